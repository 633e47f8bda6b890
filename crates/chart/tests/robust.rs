//! No data makes a chart panic: empty inputs, single points, zeros, NaN and missing values,
//! thousands of series, very long and right-to-left labels, odd sizes; both formats.

mod common;

use broadsheet_chart::*;
use jiff::civil::date;

fn both(chart: &Chart) {
    for format in [Format::Svg, Format::Png] {
        let o = ChartOptions {
            title: "Robustness".into(),
            format,
            ..Default::default()
        };
        let bytes = render(chart, &o).unwrap();
        match format {
            Format::Svg => assert!(String::from_utf8(bytes).unwrap().starts_with("<svg")),
            Format::Png => assert_eq!(&bytes[1..4], b"PNG"),
        }
    }
}

fn series(name: &str, points: Vec<(jiff::civil::Date, Option<f64>)>) -> TimelineSeries {
    TimelineSeries {
        name: name.into(),
        points: points
            .into_iter()
            .map(|(start, value)| TimelinePoint {
                start,
                value,
                total: None,
                low_total: false,
                count: None,
                low: None,
                high: None,
            })
            .collect(),
    }
}

fn all_timeline_variants(t: Timeline) {
    for style in [TimelineStyle::Lines, TimelineStyle::StackedArea] {
        for measure in [Measure::Count, Measure::Share] {
            for panels in [Panels::Auto, Panels::Single, Panels::SmallMultiples] {
                both(&Chart::Timeline(Timeline {
                    style,
                    measure,
                    panels,
                    ..t.clone()
                }));
            }
        }
    }
}

#[test]
fn timeline_edge_cases() {
    all_timeline_variants(Timeline::default());
    all_timeline_variants(Timeline {
        series: vec![series("empty", vec![])],
        ..Default::default()
    });
    all_timeline_variants(Timeline {
        series: vec![series("one", vec![(date(2020, 5, 1), Some(3.0))])],
        undated: 5,
        ..Default::default()
    });
    all_timeline_variants(Timeline {
        series: vec![
            series(
                "zeros",
                (1..=12).map(|m| (date(2020, m, 1), Some(0.0))).collect(),
            ),
            series(
                "nan",
                (1..=12)
                    .map(|m| (date(2020, m, 1), Some(f64::NAN)))
                    .collect(),
            ),
            series("none", (1..=12).map(|m| (date(2020, m, 1), None)).collect()),
            series(
                "inf and negative",
                vec![
                    (date(2020, 1, 1), Some(f64::INFINITY)),
                    (date(2020, 2, 1), Some(-5.0)),
                    (date(2020, 3, 1), Some(1e300)),
                ],
            ),
            series(
                "",
                vec![(date(2020, 1, 1), Some(1.0)), (date(2020, 1, 1), Some(2.0))],
            ),
        ],
        ..Default::default()
    });
    // A single day, a century, far-apart dates.
    all_timeline_variants(Timeline {
        series: vec![series(
            "span",
            vec![
                (date(1900, 1, 1), Some(1.0)),
                (date(2099, 12, 1), Some(2.0)),
            ],
        )],
        period: PeriodUnit::Year,
        ..Default::default()
    });
    all_timeline_variants(Timeline {
        series: vec![series(
            "day",
            vec![(date(2020, 5, 1), Some(1.0)), (date(2020, 5, 2), Some(2.0))],
        )],
        period: PeriodUnit::Day,
        ..Default::default()
    });
}

#[test]
fn thousands_of_series_are_capped_with_a_note() {
    let many: Vec<TimelineSeries> = (0..3000)
        .map(|i| {
            series(
                &format!("source {i}"),
                (1..=6)
                    .map(|m| (date(2021, m, 1), Some(((i * 7 + m as usize) % 50) as f64)))
                    .collect(),
            )
        })
        .collect();
    let t = Timeline {
        series: many,
        ..Default::default()
    };
    let svg = String::from_utf8(
        render(
            &Chart::Timeline(t.clone()),
            &ChartOptions {
                format: Format::Svg,
                ..Default::default()
            },
        )
        .unwrap(),
    )
    .unwrap();
    assert!(svg.contains("Showing 24 of 3,000 series"), "note missing");
    both(&Chart::Timeline(Timeline {
        panels: Panels::Single,
        ..t
    }));
}

#[test]
fn long_and_unicode_labels() {
    let long = "x".repeat(5000) + " " + &"слово ".repeat(200) + "پچژکگی".repeat(50).as_str();
    let rtl = [
        "ایران",
        "الجمهورية الإسلامية",
        "می‌خواهم ۱۴۰۲",
        "Iran (ایران) 2020",
        "\u{200F}\u{202E}",
        "ـ",
        "\u{064B}",
    ];
    let mut labels: Vec<String> = rtl.iter().map(|s| s.to_string()).collect();
    labels.push(long.clone());
    labels.push(String::new());
    labels.push("\u{1F600} emoji and \u{10FFFF} unassigned".into());
    both(&Chart::TermBars(TermBars {
        items: labels
            .iter()
            .enumerate()
            .map(|(i, l)| BarItem {
                label: l.clone(),
                value: i as f64,
            })
            .collect(),
        value_label: long.clone(),
        ..Default::default()
    }));
    both(&Chart::Keyness(Keyness {
        target: long.clone(),
        reference: "ایران".into(),
        items: labels
            .iter()
            .enumerate()
            .map(|(i, l)| KeynessItem {
                term: l.clone(),
                score: i as f64 - 4.0,
            })
            .collect(),
        ..Default::default()
    }));
    all_timeline_variants(Timeline {
        series: labels
            .iter()
            .map(|l| {
                series(
                    l,
                    vec![(date(2020, 1, 1), Some(1.0)), (date(2020, 2, 1), Some(2.0))],
                )
            })
            .collect(),
        y_label: Some(long.clone()),
        ..Default::default()
    });
    let o = ChartOptions {
        title: long.clone(),
        subtitle: Some(long.clone()),
        notes: vec![long.clone(); 40],
        format: Format::Png,
        ..Default::default()
    };
    render(&Chart::TermBars(common::term_bars()), &o).unwrap();
}

#[test]
fn bar_and_keyness_edge_cases() {
    both(&Chart::TermBars(TermBars::default()));
    both(&Chart::TermBars(TermBars {
        items: vec![
            BarItem {
                label: "nan".into(),
                value: f64::NAN,
            },
            BarItem {
                label: "neg".into(),
                value: -10.0,
            },
            BarItem {
                label: "zero".into(),
                value: 0.0,
            },
        ],
        ..Default::default()
    }));
    both(&Chart::TermBars(TermBars {
        items: (0..5000)
            .map(|i| BarItem {
                label: format!("term {i}"),
                value: (5000 - i) as f64,
            })
            .collect(),
        max_items: 10_000,
        ..Default::default()
    }));
    both(&Chart::Keyness(Keyness::default()));
    for items in [
        vec![KeynessItem {
            term: "only target".into(),
            score: 5.0,
        }],
        vec![KeynessItem {
            term: "only reference".into(),
            score: -5.0,
        }],
        vec![
            KeynessItem {
                term: "zero".into(),
                score: 0.0,
            },
            KeynessItem {
                term: "nan".into(),
                score: f64::NAN,
            },
        ],
        (0..2000)
            .map(|i| KeynessItem {
                term: format!("w{i}"),
                score: i as f64 - 1000.0,
            })
            .collect(),
    ] {
        both(&Chart::Keyness(Keyness {
            items,
            ..Default::default()
        }));
    }
}

#[test]
fn heatmap_edge_cases() {
    both(&Chart::Heatmap(Heatmap::default()));
    both(&Chart::Heatmap(Heatmap {
        rows: vec!["a".into(), "b".into()],
        columns: vec!["2020".into()],
        values: vec![],
        ..Default::default()
    }));
    both(&Chart::Heatmap(Heatmap {
        rows: vec!["a".into()],
        columns: vec!["x".into(), "y".into()],
        values: vec![vec![Some(0.0), Some(f64::NAN)], vec![Some(5.0)]],
        cell_values: CellValues::Always,
        ..Default::default()
    }));
    both(&Chart::Heatmap(Heatmap {
        rows: (0..500).map(|i| format!("row {i}")).collect(),
        columns: (0..3000).map(|i| format!("day {i}")).collect(),
        values: (0..500)
            .map(|r| (0..3000).map(|c| Some(((r + c) % 17) as f64)).collect())
            .collect(),
        measure: Measure::Share,
        ..Default::default()
    }));
}

#[test]
fn dispersion_edge_cases() {
    both(&Chart::Dispersion(Dispersion::default()));
    for axis in [DispersionAxis::Position, DispersionAxis::Date] {
        both(&Chart::Dispersion(Dispersion {
            rows: vec![
                DispersionRow {
                    term: "none".into(),
                    hits: vec![],
                },
                DispersionRow {
                    term: "odd".into(),
                    hits: vec![
                        DispersionHit {
                            position: f64::NAN,
                            date: None,
                            count: 1,
                        },
                        DispersionHit {
                            position: -3.0,
                            date: Some(date(2020, 1, 1)),
                            count: 0,
                        },
                        DispersionHit {
                            position: 7.0,
                            date: Some(date(2020, 1, 1)),
                            count: u32::MAX,
                        },
                    ],
                },
            ],
            axis,
            ..Default::default()
        }));
        both(&Chart::Dispersion(Dispersion {
            rows: (0..300)
                .map(|i| DispersionRow {
                    term: format!("t{i}"),
                    hits: (0..2000)
                        .map(|k| DispersionHit {
                            position: k as f64 / 2000.0,
                            date: Some(date(2020, 1, 1)),
                            count: 1,
                        })
                        .collect(),
                })
                .collect(),
            axis,
            ..Default::default()
        }));
    }
}

#[test]
fn options_are_checked_not_panicked_on() {
    for (w, h, scale) in [
        (0, 0, 1),
        (100, 100, 1),
        (1200, 675, 0),
        (1200, 675, 99),
        (20_000, 20_000, 8),
    ] {
        let o = ChartOptions {
            width: w,
            height: h,
            scale,
            ..Default::default()
        };
        assert!(render(&Chart::TermBars(common::term_bars()), &o).is_err());
    }
    // Small and large sizes that are allowed.
    for (w, h, scale) in [(200, 150, 1), (300, 2000, 2), (2400, 400, 3)] {
        let o = ChartOptions {
            width: w,
            height: h,
            scale,
            ..Default::default()
        };
        for chart in [
            Chart::Timeline(common::timeline_realistic()),
            Chart::Timeline(common::timeline_small_multiples()),
            Chart::TermBars(common::term_bars()),
            Chart::Keyness(common::keyness()),
            Chart::Heatmap(common::heatmap_30()),
            Chart::Dispersion(common::dispersion()),
        ] {
            render(&chart, &o).unwrap();
        }
    }
}

#[test]
fn path_extension_picks_the_format() {
    let dir = std::env::temp_dir().join(format!("broadsheet-chart-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let chart = Chart::TermBars(common::term_bars());
    let o = ChartOptions::titled("Terms");
    render_to_path(&chart, &o, &dir.join("a.SVG")).unwrap();
    render_to_path(&chart, &o, &dir.join("a.png")).unwrap();
    assert!(std::fs::read_to_string(dir.join("a.SVG"))
        .unwrap()
        .starts_with("<svg"));
    assert_eq!(&std::fs::read(dir.join("a.png")).unwrap()[1..4], b"PNG");
    assert!(matches!(
        render_to_path(&chart, &o, &dir.join("a.jpg")),
        Err(ChartError::Extension(_))
    ));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn font_covers_the_project_languages() {
    for c in "Россия Кыргызстан ایران پچژکگی العربية Ελλάδα Türkiye Ōsaka".chars()
    {
        assert!(font_covers(c), "{c:?}");
    }
}

/// Seeded random data of every kind (odd values included), small images, both formats.
#[test]
fn random_data_never_panics() {
    use common::Lcg;
    let mut r = Lcg::new(4242);
    let names = [
        "",
        "a",
        "Россия",
        "ایران",
        "Iran (ایران) ۱۴۰۲",
        "\u{200F}",
        "a very long name that goes on and on and on and on and on and on and on",
    ];
    let pick = |r: &mut Lcg, n: usize| (r.next() * n as f64) as usize % n.max(1);
    let value = |r: &mut Lcg| -> Option<f64> {
        match (r.next() * 8.0) as u32 {
            0 => None,
            1 => Some(f64::NAN),
            2 => Some(f64::INFINITY),
            3 => Some(-r.next() * 100.0),
            4 => Some(0.0),
            5 => Some(r.next() * 1e12),
            _ => Some(r.next() * 100.0),
        }
    };
    for i in 0..40 {
        let year = 1 + (r.next() * 9000.0) as i16;
        let span_days = [1.0, 40.0, 400.0, 4000.0, 40000.0][pick(&mut r, 5)];
        let base = date(year, 1 + pick(&mut r, 12) as i8, 1 + pick(&mut r, 28) as i8);
        let rand_date = |r: &mut Lcg| {
            base.checked_add(jiff::Span::new().days((r.next() * span_days) as i64))
                .unwrap_or(base)
        };
        let series: Vec<TimelineSeries> = (0..pick(&mut r, 12))
            .map(|_| TimelineSeries {
                name: names[pick(&mut r, names.len())].to_string(),
                points: (0..pick(&mut r, 30))
                    .map(|_| TimelinePoint {
                        start: rand_date(&mut r),
                        value: value(&mut r),
                        total: Some((r.next() * 50.0) as u64),
                        low_total: r.next() < 0.2,
                        count: None,
                        low: (r.next() < 0.5).then(|| r.next() * 0.5),
                        high: (r.next() < 0.5).then(|| r.next()),
                    })
                    .collect(),
            })
            .collect();
        let periods = [
            PeriodUnit::Day,
            PeriodUnit::Week,
            PeriodUnit::Month,
            PeriodUnit::Quarter,
            PeriodUnit::Year,
        ];
        let timeline = Timeline {
            series,
            period: periods[pick(&mut r, 5)],
            measure: if r.next() < 0.5 {
                Measure::Count
            } else {
                Measure::Share
            },
            style: if r.next() < 0.5 {
                TimelineStyle::Lines
            } else {
                TimelineStyle::StackedArea
            },
            panels: [Panels::Auto, Panels::Single, Panels::SmallMultiples][pick(&mut r, 3)],
            min_total: Some(10),
            undated: (r.next() * 1e6) as u64,
            imprecise: 0,
            y_label: None,
            max_series: pick(&mut r, 30),
            moving_average: [None, Some(1), Some(3), Some(12)][pick(&mut r, 4)],
            show_n: [ShowN::Hidden, ShowN::Points, ShowN::Table][pick(&mut r, 3)],
            coverage: r.next() < 0.8,
            interval_label: None,
        };
        let items: Vec<(String, f64)> = (0..pick(&mut r, 40))
            .map(|_| {
                (
                    names[pick(&mut r, names.len())].to_string(),
                    value(&mut r).unwrap_or(f64::NAN),
                )
            })
            .collect();
        let rows = pick(&mut r, 40);
        let cols = pick(&mut r, 40);
        let heat = Heatmap {
            rows: (0..rows).map(|k| format!("r{k}")).collect(),
            columns: (0..cols).map(|k| format!("c{k}")).collect(),
            values: (0..pick(&mut r, rows + 1))
                .map(|_| (0..pick(&mut r, cols + 1)).map(|_| value(&mut r)).collect())
                .collect(),
            measure: if r.next() < 0.5 {
                Measure::Count
            } else {
                Measure::Share
            },
            cell_values: CellValues::Always,
            ..Default::default()
        };
        let disp = Dispersion {
            rows: (0..pick(&mut r, 10))
                .map(|_| DispersionRow {
                    term: names[pick(&mut r, names.len())].to_string(),
                    hits: (0..pick(&mut r, 50))
                        .map(|_| DispersionHit {
                            position: value(&mut r).unwrap_or(0.5),
                            date: if r.next() < 0.8 {
                                Some(rand_date(&mut r))
                            } else {
                                None
                            },
                            count: (r.next() * 5.0) as u32,
                        })
                        .collect(),
                })
                .collect(),
            axis: if r.next() < 0.5 {
                DispersionAxis::Position
            } else {
                DispersionAxis::Date
            },
            ..Default::default()
        };
        let charts = [
            Chart::Timeline(timeline),
            Chart::TermBars(TermBars {
                items: items
                    .iter()
                    .map(|(l, v)| BarItem {
                        label: l.clone(),
                        value: *v,
                    })
                    .collect(),
                ..Default::default()
            }),
            Chart::Keyness(Keyness {
                items: items
                    .iter()
                    .map(|(l, v)| KeynessItem {
                        term: l.clone(),
                        score: *v - 50.0,
                    })
                    .collect(),
                ..Default::default()
            }),
            Chart::Heatmap(heat),
            Chart::Dispersion(disp),
        ];
        for chart in &charts {
            for format in [Format::Svg, Format::Png] {
                let o = ChartOptions {
                    title: format!("random {i}"),
                    width: [200, 480, 1200][i % 3],
                    height: [150, 320, 675][i % 3],
                    format,
                    ..Default::default()
                };
                if let Err(e) = render(chart, &o) {
                    panic!("case {i}: {e}\n{}", serde_json::to_string(chart).unwrap());
                }
            }
        }
    }
}
