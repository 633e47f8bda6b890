//! Fixed chart data for the golden and robustness tests (deterministic: no randomness beyond a
//! fixed linear congruential generator).

#![allow(dead_code)]

use broadsheet_chart::*;
use jiff::civil::{date, Date};

/// A tiny deterministic generator (numbers in [0, 1)).
pub struct Lcg(u64);

impl Lcg {
    pub fn new(seed: u64) -> Self {
        Lcg(seed)
    }
    pub fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

pub fn month(start: Date, k: i32) -> Date {
    let m = start.year() as i32 * 12 + start.month() as i32 - 1 + k;
    date((m / 12) as i16, (m % 12 + 1) as i8, 1)
}

pub fn point(start: Date, value: f64, total: u64, min_total: u64) -> TimelinePoint {
    TimelinePoint {
        total: Some(total),
        low_total: total < min_total,
        ..TimelinePoint::new(start, Some(value))
    }
}

/// The 95% Wilson score interval of `count` in `total`.
pub fn wilson(count: u64, total: u64) -> Option<(f64, f64)> {
    if total == 0 {
        return None;
    }
    let (n, p, z) = (total as f64, count as f64 / total as f64, 1.96f64);
    let centre = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / (1.0 + z * z / n);
    Some((centre - half, centre + half))
}

/// A share of `count` in `total` with its Wilson interval, hollow under 30 articles.
pub fn share_point(start: Date, count: u64, total: u64) -> TimelinePoint {
    let interval = wilson(count, total);
    TimelinePoint {
        total: Some(total),
        low_total: total < 30,
        count: Some(count),
        low: interval.map(|i| i.0),
        high: interval.map(|i| i.1),
        ..TimelinePoint::new(start, (total > 0).then(|| count as f64 / total as f64))
    }
}

/// Six outlets over 36 months, shares with intervals and a 3-month moving average: a feed URL
/// as a name, a feed that starts in month 9, a three-month outage and a single empty month, an
/// outlet without any dated article, small denominators every fifth month in another.
pub fn timeline_outlets() -> Timeline {
    let names = [
        "Azattyk (rus.azattyk.org)",
        "https://24.kg/rss/politics-and-security-central-asia-regional-feed.xml",
        "Kaktus Media",
        "Eurasianet",
        "Vesti.kg",
        "Radio Ozodi (archive without dates)",
    ];
    let series = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let i = i as i32;
            let points = (0..36)
                .map(|k| {
                    let total = match (i, k) {
                        (1, k) if k < 9 => 0,
                        (2, 14..=16) | (2, 25) | (5, _) => 0,
                        (4, k) if k % 5 == 0 => 18,
                        _ => 40 + ((k * 13 + i * 29) % 90) as u64 + if i == 3 { 0 } else { 120 },
                    };
                    let rise = if (18..26).contains(&k) { 0.12 } else { 0.0 };
                    let wobble = ((k * 7919 + i * 104_729) % 1000) as f64 / 1000.0;
                    let share = 0.05 + 0.02 * i as f64 + rise + 0.05 * wobble;
                    let count = (total as f64 * share).round() as u64;
                    share_point(month(date(2021, 1, 1), k), count, total)
                })
                .collect();
            TimelineSeries {
                name: name.to_string(),
                points,
            }
        })
        .collect();
    Timeline {
        series,
        measure: Measure::Share,
        min_total: Some(30),
        undated: 212,
        moving_average: Some(3),
        y_label: Some(
            "Share of the outlet's articles in the month that match the regional-security concept"
                .into(),
        ),
        ..Default::default()
    }
}

/// Three of those outlets over 2022 in one panel, with the table of counts.
pub fn timeline_evidence() -> Timeline {
    let mut t = timeline_outlets();
    t.series.truncate(3);
    for s in &mut t.series {
        s.points
            .retain(|p| p.start >= date(2022, 1, 1) && p.start < date(2023, 1, 1));
    }
    Timeline {
        moving_average: None,
        show_n: ShowN::Table,
        ..t
    }
}

/// Three outlets over 18 months, counts, with a few small denominators and a gap.
pub fn timeline_lines() -> Timeline {
    let names = ["Kommersant", "The Guardian", "BBC Persian"];
    let mut rng = Lcg::new(7);
    let series = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let points = (0..18)
                .filter(|k| !(i == 2 && (*k == 7 || *k == 8)))
                .map(|k| {
                    let base = 20.0 + 15.0 * i as f64 + 10.0 * (k as f64 / 6.0);
                    let v = (base + 12.0 * rng.next()).round();
                    let total = if i == 2 && k < 3 { 12 } else { 200 };
                    point(month(date(2021, 1, 1), k), v, total, 30)
                })
                .collect();
            TimelineSeries {
                name: name.to_string(),
                points,
            }
        })
        .collect();
    Timeline {
        series,
        min_total: Some(30),
        undated: 12,
        imprecise: 3,
        show_n: ShowN::Points,
        ..Default::default()
    }
}

/// Three concepts as shares of coverage, quarterly, stacked.
pub fn timeline_stacked_share() -> Timeline {
    let names = ["sanctions", "energy", "migration"];
    let series = names
        .iter()
        .enumerate()
        .map(|(i, name)| TimelineSeries {
            name: name.to_string(),
            points: (0..12)
                .map(|q| TimelinePoint {
                    total: Some(500),
                    ..TimelinePoint::new(
                        month(date(2019, 1, 1), 3 * q),
                        Some(0.04 + 0.02 * i as f64 + 0.01 * ((q * (i as i32 + 1)) % 5) as f64),
                    )
                })
                .collect(),
        })
        .collect();
    Timeline {
        series,
        period: PeriodUnit::Quarter,
        measure: Measure::Share,
        style: TimelineStyle::StackedArea,
        y_label: Some("Share of all articles".into()),
        ..Default::default()
    }
}

/// Nine regions over three years (small multiples), with Cyrillic and Persian names.
pub fn timeline_small_multiples() -> Timeline {
    let names = [
        "Central Asia",
        "Россия",
        "ایران",
        "South Caucasus",
        "Eastern Europe",
        "Middle East",
        "Кыргызстан",
        "East Asia",
        "A region with a very long name that must be shortened",
    ];
    let mut rng = Lcg::new(11);
    let series = names
        .iter()
        .enumerate()
        .map(|(i, name)| TimelineSeries {
            name: name.to_string(),
            points: (0..36)
                .map(|k| {
                    let v = 5.0
                        + 3.0 * i as f64
                        + 8.0 * rng.next()
                        + if i == 2 && k > 24 { 25.0 } else { 0.0 };
                    point(
                        month(date(2020, 1, 1), k),
                        v.round(),
                        if k < 2 { 10 } else { 100 },
                        20,
                    )
                })
                .collect(),
        })
        .collect();
    Timeline {
        series,
        min_total: Some(20),
        undated: 1,
        ..Default::default()
    }
}

/// Ten years, monthly, five outlets; "Azattyk" rises sharply from 2021.
pub fn timeline_realistic() -> Timeline {
    let names = ["Azattyk", "Kaktus", "24.kg", "Vesti.kg", "AKIpress"];
    let mut rng = Lcg::new(2024);
    let series = names
        .iter()
        .enumerate()
        .map(|(i, name)| TimelineSeries {
            name: name.to_string(),
            points: (0..120)
                .map(|k| {
                    let season = [
                        0.9, 0.95, 1.0, 1.05, 1.1, 1.0, 0.8, 0.75, 1.0, 1.1, 1.15, 1.05,
                    ][(k % 12) as usize];
                    let level = 40.0 + 12.0 * i as f64 + 0.15 * k as f64;
                    let rise = if i == 0 && k >= 84 {
                        60.0 + 2.0 * (k - 84) as f64
                    } else {
                        0.0
                    };
                    let v = ((level + rise) * season + 10.0 * (rng.next() - 0.5)).round();
                    let total = if i == 4 && k < 6 { 15 } else { 400 };
                    point(month(date(2014, 1, 1), k), v, total, 25)
                })
                .collect(),
        })
        .collect();
    Timeline {
        series,
        min_total: Some(25),
        undated: 1834,
        imprecise: 211,
        ..Default::default()
    }
}

pub fn term_bars() -> TermBars {
    let terms = [
        ("election", 1520.0),
        ("government", 1333.0),
        ("президент", 1210.0),
        ("parliament", 998.0),
        ("protest", 870.0),
        ("ایران", 802.0),
        ("sanctions", 640.0),
        (
            "the committee for the protection of journalists and press freedom",
            512.0,
        ),
        ("border", 431.0),
        ("energy", 388.0),
        ("Бишкек", 350.0),
        ("inflation", 298.0),
    ];
    TermBars {
        items: terms
            .iter()
            .map(|(l, v)| BarItem {
                label: l.to_string(),
                value: *v,
            })
            .collect(),
        value_label: "Occurrences".into(),
        ..Default::default()
    }
}

pub fn keyness() -> Keyness {
    let items = [
        ("sanctions", 412.3),
        ("gas", 288.1),
        ("pipeline", 201.7),
        ("Газпром", 180.2),
        ("ruble", 150.0),
        ("exports", 121.9),
        ("tariff", 90.4),
        ("kremlin", 75.5),
        ("election", -340.8),
        ("vote", -250.2),
        ("ballot", -190.7),
        ("ایران", -120.0),
        ("turnout", -88.8),
        ("candidate", -60.1),
    ];
    Keyness {
        target: "Business press 2022".into(),
        reference: "Politics desk 2022".into(),
        items: items
            .iter()
            .map(|(t, s)| KeynessItem {
                term: t.to_string(),
                score: *s,
            })
            .collect(),
        ..Default::default()
    }
}

pub fn heatmap_small() -> Heatmap {
    let rows = [
        "Central Asia",
        "Russia",
        "Iran",
        "South Caucasus",
        "Europe",
        "China",
    ];
    let columns: Vec<String> = (0..12)
        .map(|k| {
            let d = month(date(2022, 1, 1), k);
            format!("{}-{:02}", d.year(), d.month())
        })
        .collect();
    let values = (0..rows.len())
        .map(|r| {
            (0..12)
                .map(|c| {
                    if r == 3 && (c == 4 || c == 5) {
                        None
                    } else {
                        Some(((r * 37 + c * 11) % 90) as f64 + 3.0)
                    }
                })
                .collect()
        })
        .collect();
    Heatmap {
        rows: rows.iter().map(|s| s.to_string()).collect(),
        columns,
        values,
        ..Default::default()
    }
}

/// Thirty regions over 24 months, shares.
pub fn heatmap_30() -> Heatmap {
    let mut rng = Lcg::new(99);
    let rows: Vec<String> = (0..30)
        .map(|i| match i {
            3 => "Россия".to_string(),
            7 => "ایران".to_string(),
            12 => "A very long region name that does not fit the label column at all".to_string(),
            _ => format!("Region {:02}", i + 1),
        })
        .collect();
    let columns: Vec<String> = (0..24)
        .map(|k| {
            let d = month(date(2021, 1, 1), k);
            format!("{}-{:02}", d.year(), d.month())
        })
        .collect();
    let values = (0..30)
        .map(|r| {
            (0..24)
                .map(|c| {
                    if r == 20 && c < 6 {
                        None
                    } else {
                        let trend = if r == 5 { c as f64 * 0.004 } else { 0.0 };
                        Some(0.002 * (r % 7) as f64 + 0.01 * rng.next() + trend)
                    }
                })
                .collect()
        })
        .collect();
    Heatmap {
        rows,
        columns,
        values,
        value_label: "Share of articles".into(),
        measure: Measure::Share,
        ..Default::default()
    }
}

pub fn dispersion() -> Dispersion {
    let mut rng = Lcg::new(5);
    let terms = ["sanctions", "election", "Газпром", "ایران", "pipeline"];
    let rows = terms
        .iter()
        .enumerate()
        .map(|(i, t)| DispersionRow {
            term: t.to_string(),
            hits: (0..(10 + 25 * i))
                .map(|_| {
                    let p = if i == 1 {
                        0.6 + 0.1 * rng.next()
                    } else {
                        rng.next()
                    };
                    DispersionHit {
                        position: p,
                        date: Some(
                            date(2020, 1, 1)
                                .checked_add(jiff::Span::new().days((p * 1460.0) as i64))
                                .unwrap(),
                        ),
                        count: 1 + (rng.next() * 3.0) as u32,
                    }
                })
                .collect(),
        })
        .collect();
    Dispersion {
        rows,
        articles: Some(4120),
        ..Default::default()
    }
}

pub fn opts(title: &str, subtitle: &str, format: Format) -> ChartOptions {
    ChartOptions {
        title: title.into(),
        subtitle: Some(subtitle.into()),
        notes: vec!["Source: Broadsheet test fixtures.".into()],
        format,
        ..Default::default()
    }
}
