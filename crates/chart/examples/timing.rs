//! Render time of a 1200×650 timeline (five outlets, ten years of months) as PNG and SVG, in one
//! panel and as small multiples: `cargo run --release -p broadsheet-chart --example timing`.

use std::time::Instant;

use broadsheet_chart::*;
use jiff::civil::date;

fn data() -> Timeline {
    let names = ["Azattyk", "Kaktus", "24.kg", "Vesti.kg", "AKIpress"];
    let series = names
        .iter()
        .enumerate()
        .map(|(i, name)| TimelineSeries {
            name: name.to_string(),
            points: (0..120)
                .map(|k| {
                    let m = 2014 * 12 + k;
                    let total = 300 + ((k * 37 + i as i32 * 11) % 120) as u64;
                    let count = 20 + ((k * 13 + i as i32 * 7) % 40) as u64;
                    TimelinePoint {
                        start: date((m / 12) as i16, (m % 12 + 1) as i8, 1),
                        value: Some(count as f64 / total as f64),
                        total: Some(total),
                        low_total: false,
                        count: None,
                        low: None,
                        high: None,
                    }
                })
                .collect(),
        })
        .collect();
    Timeline {
        series,
        measure: Measure::Share,
        ..Default::default()
    }
}

fn main() {
    for (what, panels) in [
        ("one panel", Panels::Single),
        ("small multiples", Panels::Auto),
    ] {
        let t = Chart::Timeline(Timeline { panels, ..data() });
        time(what, &t);
    }
}

fn time(what: &str, t: &Chart) {
    for format in [Format::Png, Format::Svg] {
        let o = ChartOptions {
            title: "Timing".into(),
            width: 1200,
            height: 650,
            format,
            ..Default::default()
        };
        // The fastest of five batches of ten: the machine is shared.
        let ms = (0..5)
            .map(|_| {
                let start = Instant::now();
                for _ in 0..10 {
                    std::hint::black_box(render(t, &o).unwrap());
                }
                start.elapsed().as_secs_f64() * 100.0
            })
            .fold(f64::MAX, f64::min);
        println!("{what}, {format:?}: {ms:.1} ms per chart");
    }
}
