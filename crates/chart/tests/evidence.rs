//! Charts that carry their evidence and stay readable: well-formed SVG whatever the names hold,
//! long names wrapped, coverage strips with their gaps, interval bands and moving averages at the
//! right values, series without dated articles named, small multiples with grey context.

mod common;

use std::collections::BTreeMap;

use broadsheet_chart::*;
use jiff::civil::{date, Date};
use proptest::prelude::*;
use quick_xml::events::Event;
use quick_xml::XmlVersion;

const V10: XmlVersion = XmlVersion::Implicit1_0;

fn svg(chart: &Chart, opts: &ChartOptions) -> String {
    let o = ChartOptions {
        format: Format::Svg,
        ..opts.clone()
    };
    String::from_utf8(render(chart, &o).unwrap()).unwrap()
}

fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Panics unless `doc` is well-formed XML 1.0: only characters of the `Char` production, tags
/// that nest and close, attribute values and references that resolve.
fn assert_well_formed(doc: &str) {
    if let Some(c) = doc.chars().find(|c| !xml_char(*c)) {
        panic!("U+{:04X} is not allowed in XML 1.0", c as u32);
    }
    let mut reader = quick_xml::Reader::from_str(doc);
    let (mut depth, mut roots) = (0i64, 0);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if depth < 0 => panic!("{e:?}"),
            Ok(Event::Start(e)) => {
                roots += i32::from(depth == 0);
                depth += 1;
                for a in e.attributes() {
                    a.unwrap().normalized_value(V10).unwrap();
                }
            }
            Ok(Event::Empty(e)) => {
                roots += i32::from(depth == 0);
                for a in e.attributes() {
                    a.unwrap().normalized_value(V10).unwrap();
                }
            }
            Ok(Event::End(_)) => depth -= 1,
            Ok(Event::GeneralRef(r)) => {
                let known = ["amp", "lt", "gt", "quot", "apos"];
                let name = r.to_string();
                if !known.contains(&name.as_str()) {
                    let c = r.resolve_char_ref().unwrap().expect("a known reference");
                    assert!(xml_char(c), "&{name};");
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not well-formed at {}: {e}", reader.buffer_position()),
        }
    }
    assert_eq!((depth, roots), (0, 1), "unbalanced document");
}

/// An SVG element: its name, attributes and text.
#[derive(Debug, Clone)]
struct El {
    name: String,
    attrs: BTreeMap<String, String>,
    text: String,
}

impl El {
    fn attr(&self, k: &str) -> &str {
        self.attrs.get(k).map(String::as_str).unwrap_or("")
    }

    fn num(&self, k: &str) -> f64 {
        self.attr(k).parse().unwrap_or(f64::NAN)
    }

    fn points(&self) -> Vec<(f64, f64)> {
        self.attr("points")
            .split_whitespace()
            .map(|p| {
                let (x, y) = p.split_once(',').unwrap();
                (x.parse().unwrap(), y.parse().unwrap())
            })
            .collect()
    }
}

fn elements(doc: &str) -> Vec<El> {
    let mut reader = quick_xml::Reader::from_str(doc);
    let mut out: Vec<El> = Vec::new();
    let mut open = false;
    loop {
        let event = reader.read_event().unwrap();
        open &= !matches!(event, Event::End(_));
        let starts = matches!(event, Event::Start(_));
        match event {
            Event::Start(e) | Event::Empty(e) => {
                open = starts;
                let attrs = e
                    .attributes()
                    .map(|a| {
                        let a = a.unwrap();
                        let k = a.key.as_ref().to_string();
                        (k, a.normalized_value(V10).unwrap().to_string())
                    })
                    .collect();
                out.push(El {
                    name: e.name().as_ref().to_string(),
                    attrs,
                    text: String::new(),
                });
            }
            Event::Text(t) if open => {
                if let Some(last) = out.last_mut() {
                    last.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) if open => {
                let s = match &*r {
                    "amp" => "&".to_string(),
                    "lt" => "<".to_string(),
                    "gt" => ">".to_string(),
                    _ => String::new(),
                };
                if let Some(last) = out.last_mut() {
                    last.text.push_str(&s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// The texts of a document, isolates (U+2068, U+2069) removed.
fn texts(doc: &str) -> Vec<String> {
    elements(doc)
        .into_iter()
        .filter(|e| e.name == "text")
        .map(|e| e.text.replace(['\u{2068}', '\u{2069}'], ""))
        .collect()
}

fn month(k: i32) -> Date {
    common::month(date(2021, 1, 1), k)
}

fn series(name: &str, points: Vec<TimelinePoint>) -> TimelineSeries {
    TimelineSeries {
        name: name.into(),
        points,
    }
}

/// Names as hostile as users' data: anything proptest makes, and strings built from pieces that
/// break documents and layouts (XML-forbidden characters, markup, bidi controls, combining marks,
/// emoji, CJK, Arabic script, very long runs).
fn name() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "\u{FFFE}",
        "\u{FFFF}",
        "\u{0}",
        "\u{1B}[31m",
        "\u{8}",
        "\n",
        "\t",
        "\r",
        "&",
        "&amp;",
        "<",
        ">",
        "\"",
        "'",
        "]]>",
        "<!--",
        "\u{202E}",
        "\u{2066}",
        "\u{2069}",
        "\u{200F}",
        "\u{200D}",
        "\u{0301}",
        "e\u{0301}\u{0302}\u{0303}",
        "👩‍👩‍👧",
        "🇰🇬",
        "中文新闻",
        "東京",
        "ایران",
        "بِسْمِ",
        "می‌خواهم",
        "Кыргызстан",
        "\u{10FFFF}",
        "\u{D7FF}",
        "\u{E000}",
        " ",
        "https://x.org/a?b=c&d=e",
        "x",
    ]);
    prop_oneof![
        any::<String>(),
        prop::collection::vec(pieces.clone(), 0..16).prop_map(|v| v.concat()),
        (pieces, 50usize..300).prop_map(|(p, n)| p.repeat(n)),
    ]
}

/// Every chart kind with `names` in every text it has.
fn charts_named(names: &[String]) -> Vec<Chart> {
    let n = |i: usize| names[i % names.len()].clone();
    let points = |k: i32| {
        (0..6)
            .map(|m| TimelinePoint {
                total: Some(10 + (m * k) as u64 % 7),
                count: Some(3),
                low: Some(0.1),
                high: Some(0.4),
                ..TimelinePoint::new(month(m + k), Some(0.2 + 0.01 * m as f64))
            })
            .collect::<Vec<_>>()
    };
    let timeline = |panels, show_n| Timeline {
        series: (0..5).map(|i| series(&n(i), points(i as i32))).collect(),
        measure: Measure::Share,
        panels,
        show_n,
        moving_average: Some(2),
        y_label: Some(n(5)),
        interval_label: Some(n(6)),
        ..Default::default()
    };
    vec![
        Chart::Timeline(timeline(Panels::Single, ShowN::Table)),
        Chart::Timeline(timeline(Panels::SmallMultiples, ShowN::Points)),
        Chart::TermBars(TermBars {
            items: (0..4)
                .map(|i| BarItem {
                    label: n(i),
                    value: i as f64,
                })
                .collect(),
            value_label: n(7),
            ..Default::default()
        }),
        Chart::Keyness(Keyness {
            target: n(1),
            reference: n(2),
            items: (0..4)
                .map(|i| KeynessItem {
                    term: n(i + 3),
                    score: i as f64 - 1.5,
                })
                .collect(),
            score_label: n(4),
            ..Default::default()
        }),
        Chart::Heatmap(Heatmap {
            rows: (0..3).map(n).collect(),
            columns: (3..6).map(n).collect(),
            values: vec![vec![Some(1.0), None, Some(3.0)]; 3],
            value_label: n(6),
            cell_values: CellValues::Always,
            ..Default::default()
        }),
        Chart::Dispersion(Dispersion {
            rows: (0..3)
                .map(|i| DispersionRow {
                    term: n(i),
                    hits: vec![DispersionHit {
                        position: 0.5,
                        date: Some(month(i as i32)),
                        count: 1,
                    }],
                })
                .collect(),
            axis: DispersionAxis::Date,
            ..Default::default()
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Issue 19, item 8: a name holding U+FFFE made a timeline SVG that no XML parser accepts.
    #[test]
    fn svg_is_well_formed_xml_whatever_the_names_hold(names in prop::collection::vec(name(), 1..9)) {
        let opts = ChartOptions {
            title: names[0].clone(),
            subtitle: Some(names[names.len() - 1].clone()),
            notes: names.clone(),
            width: 640,
            height: 420,
            ..Default::default()
        };
        for chart in charts_named(&names) {
            assert_well_formed(&svg(&chart, &opts));
        }
        // The PNG of the same names never panics either.
        let png = ChartOptions { format: Format::Png, width: 300, height: 200, ..opts };
        render(&charts_named(&names)[0], &png).unwrap();
    }
}

#[test]
fn timeline_svg_with_u_fffe_in_a_source_name_is_well_formed() {
    let t = Timeline {
        series: vec![series(
            "Moscow\u{FFFE} Times\u{FFFF}\u{1}",
            (0..3)
                .map(|k| TimelinePoint::new(month(k), Some(1.0)))
                .collect(),
        )],
        ..Default::default()
    };
    let doc = svg(&Chart::Timeline(t), &ChartOptions::titled("A\u{FFFF}B"));
    assert_well_formed(&doc);
    let texts = texts(&doc);
    assert!(texts.iter().any(|t| t == "Moscow Times"), "{texts:?}");
    assert!(texts.iter().any(|t| t == "AB"), "{texts:?}");
}

/// The lines a wrapped `name` was drawn in (consecutive text elements that together make it).
fn wrapped_lines(texts: &[String], name: &str) -> Option<Vec<String>> {
    let compact = |s: &str| s.split_whitespace().collect::<String>();
    for (i, t) in texts.iter().enumerate() {
        if t.len() >= 10 && name.starts_with(t.as_str()) {
            let mut lines = vec![t.clone()];
            let mut j = i + 1;
            while compact(&lines.concat()).len() < compact(name).len() && j < texts.len() {
                lines.push(texts[j].clone());
                j += 1;
            }
            if compact(&lines.concat()) == compact(name) {
                return Some(lines);
            }
        }
    }
    None
}

#[test]
fn a_120_character_source_name_wraps_onto_two_lines_in_legends_and_panel_titles() {
    let long = "https://www.example-outlet.org/feeds/central-asia/security-and-politics/\
                regional-news-in-english-and-russian.xml?year=24";
    assert_eq!(long.chars().count(), 120);
    // A legend on a 700-pixel chart; panels of a 2×2 grid on a 1200-pixel one.
    for (panels, n, width) in [(Panels::Single, 3, 700), (Panels::SmallMultiples, 4, 1200)] {
        let t = Timeline {
            series: (0..n)
                .map(|i| {
                    let name = if i == 1 {
                        long.to_string()
                    } else {
                        format!("Outlet {i}")
                    };
                    let points = (0..12).map(|k| TimelinePoint::new(month(k), Some(k as f64)));
                    series(&name, points.collect())
                })
                .collect(),
            panels,
            ..Default::default()
        };
        let opts = ChartOptions {
            width,
            ..Default::default()
        };
        let texts = texts(&svg(&Chart::Timeline(t), &opts));
        let lines = wrapped_lines(&texts, long).unwrap_or_else(|| panic!("{panels:?}: {texts:?}"));
        assert_eq!(lines.len(), 2, "{panels:?}: {lines:?}");
        assert!(lines.iter().all(|l| !l.contains('…')), "{lines:?}");
    }
}

#[test]
fn coverage_gaps_are_computed_from_the_denominators() {
    // (case, period, (period number, denominator) of each point, first, last, gaps as pairs of
    // period numbers); points at month(k), quarter(k), week(k) or day(k).
    type Case = (
        &'static str,
        PeriodUnit,
        Vec<(i32, Option<u64>)>,
        Option<(i32, i32)>,
        Vec<(i32, i32)>,
    );
    let zero_filled = |empty: &[i32]| -> Vec<(i32, Option<u64>)> {
        (0..12)
            .map(|k| (k, Some(if empty.contains(&k) { 0 } else { 50 })))
            .collect()
    };
    let cases: Vec<Case> = vec![
        (
            "two empty months are a gap",
            PeriodUnit::Month,
            zero_filled(&[4, 5]),
            Some((0, 11)),
            vec![(4, 5)],
        ),
        (
            "one empty month is not",
            PeriodUnit::Month,
            zero_filled(&[4, 8]),
            Some((0, 11)),
            vec![],
        ),
        (
            "three runs",
            PeriodUnit::Month,
            zero_filled(&[1, 2, 3, 6, 8, 9]),
            Some((0, 11)),
            vec![(1, 3), (8, 9)],
        ),
        (
            "empty ends move first and last",
            PeriodUnit::Month,
            zero_filled(&[0, 1, 2, 10, 11]),
            Some((3, 9)),
            vec![],
        ),
        (
            "missing points are periods without articles",
            PeriodUnit::Month,
            vec![(0, Some(5)), (1, Some(5)), (5, Some(5)), (6, Some(1))],
            Some((0, 6)),
            vec![(2, 4)],
        ),
        (
            "no denominator is no articles",
            PeriodUnit::Month,
            vec![(0, Some(5)), (1, None), (2, None), (3, Some(5))],
            Some((0, 3)),
            vec![(1, 2)],
        ),
        (
            "in any order",
            PeriodUnit::Month,
            vec![(9, Some(5)), (0, Some(5)), (3, Some(2)), (4, Some(0))],
            Some((0, 9)),
            vec![(1, 2), (4, 8)],
        ),
        (
            "quarters",
            PeriodUnit::Quarter,
            vec![(0, Some(5)), (1, Some(0)), (2, Some(0)), (3, Some(9))],
            Some((0, 3)),
            vec![(1, 2)],
        ),
        (
            "weeks",
            PeriodUnit::Week,
            vec![(0, Some(5)), (3, Some(9)), (4, Some(9))],
            Some((0, 4)),
            vec![(1, 2)],
        ),
        (
            "days",
            PeriodUnit::Day,
            vec![(0, Some(5)), (2, Some(9)), (5, Some(1))],
            Some((0, 5)),
            vec![(3, 4)],
        ),
        (
            "nothing at all",
            PeriodUnit::Month,
            vec![(0, Some(0)), (1, None)],
            None,
            vec![],
        ),
    ];
    let at = |unit: PeriodUnit, k: i32| -> Date {
        match unit {
            PeriodUnit::Month => month(k),
            PeriodUnit::Quarter => month(3 * k),
            // 2021-01-04 was a Monday.
            PeriodUnit::Week => date(2021, 1, 4)
                .checked_add(jiff::Span::new().days(7 * k as i64))
                .unwrap(),
            PeriodUnit::Day => date(2021, 1, 1)
                .checked_add(jiff::Span::new().days(k as i64))
                .unwrap(),
            PeriodUnit::Year => date(2000 + k as i16, 1, 1),
        }
    };
    for (case, unit, points, ends, gaps) in cases {
        let points: Vec<TimelinePoint> = points
            .iter()
            .map(|&(k, total)| TimelinePoint {
                total,
                ..TimelinePoint::new(at(unit, k), Some(1.0))
            })
            .collect();
        let c = coverage(&points, unit);
        assert_eq!(
            (c.first, c.last),
            (ends.map(|e| at(unit, e.0)), ends.map(|e| at(unit, e.1))),
            "{case}"
        );
        let expected: Vec<(Date, Date)> = gaps
            .iter()
            .map(|g| (at(unit, g.0), at(unit, g.1)))
            .collect();
        assert_eq!(c.gaps, expected, "{case}");
    }
}

#[test]
fn coverage_strips_mark_the_gaps_of_each_outlet() {
    let doc = svg(
        &Chart::Timeline(common::timeline_outlets()),
        &ChartOptions::default(),
    );
    let els = elements(&doc);
    // One gap (Kaktus Media's three months); the late start and the single empty month are not
    // gaps; one more grey box in the legend's mark.
    let gaps = els
        .iter()
        .filter(|e| e.name == "rect" && e.attr("fill") == "#d9d9d9");
    assert_eq!(gaps.count(), 2);
    let bars = els
        .iter()
        .filter(|e| e.name == "rect" && e.attr("fill-opacity") == "0.8");
    assert_eq!(bars.count(), 5, "one strip per outlet with dated articles");
    assert!(texts(&doc)
        .iter()
        .any(|t| t.starts_with("coverage: first to last month")));
}

/// Values of y pixels on a one-panel chart whose axis runs from 0 to `top`: the grid's lowest
/// and highest horizontal lines are 0 and `top`.
fn y_scale(els: &[El], top: f64) -> impl Fn(f64) -> f64 {
    let ys: Vec<f64> = els
        .iter()
        .filter(|e| e.name == "polyline" && e.attr("stroke") == "#e3e3e3")
        .map(|e| e.points())
        .filter(|p| p.len() == 2 && p[0].1 == p[1].1)
        .map(|p| p[0].1)
        .collect();
    let (lo, hi) = (
        ys.iter().copied().fold(f64::MIN, f64::max),
        ys.iter().copied().fold(f64::MAX, f64::min),
    );
    move |y| (lo - y) / (lo - hi) * top
}

#[test]
fn interval_band_and_moving_average_are_drawn_at_their_values() {
    let values = [0.1, 0.2, 0.3, 0.4, 0.25, 0.1];
    let t = Timeline {
        series: vec![series(
            "Outlet",
            values
                .iter()
                .enumerate()
                .map(|(k, v)| TimelinePoint {
                    low: Some(v - 0.05),
                    high: Some(v + 0.1),
                    total: Some(100),
                    ..TimelinePoint::new(month(k as i32), Some(*v))
                })
                .collect(),
        )],
        measure: Measure::Share,
        panels: Panels::Single,
        moving_average: Some(3),
        ..Default::default()
    };
    let doc = svg(&Chart::Timeline(t), &ChartOptions::default());
    let els = elements(&doc);
    let value = y_scale(&els, 0.5);
    let band: Vec<&El> = els
        .iter()
        .filter(|e| e.name == "polygon" && e.attr("fill-opacity") == "0.2")
        .collect();
    assert_eq!(band.len(), 1);
    let pts = band[0].points();
    assert_eq!(pts.len(), 12);
    for (k, v) in values.iter().enumerate() {
        let (high, low) = (value(pts[k].1), value(pts[11 - k].1));
        assert!((high - (v + 0.1)).abs() < 0.003, "high {k}: {high}");
        assert!((low - (v - 0.05)).abs() < 0.003, "low {k}: {low}");
    }
    // The 3-month average where two of three months have values: from the second month on.
    let expected = [0.15, 0.2, 0.3, (0.3 + 0.4 + 0.25) / 3.0, 0.25];
    let average: Vec<&El> = els
        .iter()
        .filter(|e| {
            e.name == "polyline" && e.attr("stroke") == "#0072b2" && e.num("stroke-width") == 3.0
        })
        .collect();
    assert_eq!(average.len(), 1, "one moving-average line");
    let got: Vec<f64> = average[0].points().iter().map(|p| value(p.1)).collect();
    assert_eq!(got.len(), expected.len());
    for (g, e) in got.iter().zip(expected) {
        assert!((g - e).abs() < 0.003, "{got:?}");
    }
    // The series itself is drawn lighter under it.
    let raw = els.iter().filter(|e| {
        e.name == "polyline" && e.attr("stroke") == "#0072b2" && e.attr("stroke-opacity") == "0.45"
    });
    assert_eq!(raw.count(), 1);
    let texts = texts(&doc);
    assert!(texts.iter().any(|t| t == "95% interval"), "{texts:?}");
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("3-month moving average")),
        "{texts:?}"
    );
}

#[test]
fn series_without_dated_articles_are_named_under_the_chart_not_in_the_legend() {
    let dated = (0..6).map(|k| TimelinePoint {
        total: Some(40),
        ..TimelinePoint::new(month(k), Some(0.1))
    });
    let empty = (0..6).map(|k| TimelinePoint {
        total: Some(0),
        ..TimelinePoint::new(month(k), None)
    });
    let t = Timeline {
        series: vec![
            series("Kommersant", dated.collect()),
            series("Ghost outlet", empty.collect()),
            series("Archive", vec![]),
        ],
        measure: Measure::Share,
        ..Default::default()
    };
    let texts = texts(&svg(&Chart::Timeline(t), &ChartOptions::default()));
    let note = texts.iter().find(|t| t.starts_with("No dated articles"));
    assert_eq!(
        note.map(String::as_str),
        Some("No dated articles: Ghost outlet, Archive.")
    );
    assert!(
        !texts.iter().any(|t| t == "Ghost outlet" || t == "Archive"),
        "{texts:?}"
    );
    assert!(texts.iter().any(|t| t == "Kommersant"));
}

#[test]
fn small_multiples_above_three_series_with_the_others_in_grey() {
    let make = |n: usize| Timeline {
        series: (0..n)
            .map(|i| {
                let points =
                    (0..12).map(|k| TimelinePoint::new(month(k), Some((k + i as i32) as f64)));
                series(&format!("Outlet {i}"), points.collect())
            })
            .collect(),
        ..Default::default()
    };
    let grey = |doc: &str| {
        elements(doc)
            .iter()
            .filter(|e| e.name == "polyline" && e.attr("stroke") == "#d0d0d0")
            .count()
    };
    let four = svg(&Chart::Timeline(make(4)), &ChartOptions::default());
    // Each panel draws the three other series, and the legend says what they are.
    assert_eq!(grey(&four), 4 * 3 + 1);
    let texts4 = texts(&four);
    assert!(texts4
        .iter()
        .any(|t| t == "the other series, for comparison"));
    for i in 0..4 {
        assert!(
            texts4.iter().any(|t| *t == format!("Outlet {i}")),
            "panel title {i}"
        );
    }
    let three = svg(&Chart::Timeline(make(3)), &ChartOptions::default());
    assert_eq!(grey(&three), 0, "three series share one panel");
}

#[test]
fn text_is_at_least_12_pixels_at_1200_by_675() {
    for (chart, what) in [
        (Chart::Timeline(common::timeline_lines()), "lines"),
        (Chart::Timeline(common::timeline_outlets()), "outlets"),
        (
            Chart::Timeline(common::timeline_small_multiples()),
            "small multiples",
        ),
        (Chart::TermBars(common::term_bars()), "terms"),
        (Chart::Keyness(common::keyness()), "keyness"),
        (Chart::Dispersion(common::dispersion()), "dispersion"),
    ] {
        let doc = svg(&chart, &common::opts("Title", "Subtitle", Format::Svg));
        for e in elements(&doc).iter().filter(|e| e.name == "text") {
            assert!(e.num("font-size") >= 12.0, "{what}: {e:?}");
        }
    }
    // A PNG at scale 2 has twice the pixels, text included.
    let png = render(
        &Chart::Timeline(common::timeline_lines()),
        &ChartOptions {
            scale: 2,
            ..ChartOptions::default()
        },
    )
    .unwrap();
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    assert_eq!(width, 2400);
}
