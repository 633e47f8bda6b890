//! Realistic timelines to look at (the golden tests' fixtures): five outlets over 36 months,
//! shares of their articles with 95% Wilson intervals, a 3-month moving average, coverage gaps (a
//! feed that starts late, an outage), one outlet without any dated article, small denominators;
//! and a one-panel chart of three outlets over a year with the table of counts.
//! `cargo run --release -p broadsheet-chart --example demo -- /tmp/charts-demo.png`

use broadsheet_chart::*;

#[path = "../tests/common/mod.rs"]
mod common;

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or("/tmp/charts-demo.png".into());
    let opts = ChartOptions {
        title: "Regional security in Central Asian outlets, 2021–2023".into(),
        subtitle: Some(
            "Articles matching the concept among all articles of the outlet in the month".into(),
        ),
        notes: vec!["Source: generated demonstration data.".into()],
        ..Default::default()
    };
    let chart = Chart::Timeline(common::timeline_outlets());
    render_to_path(&chart, &opts, std::path::Path::new(&path)).unwrap();
    let other = path
        .replace(".png", "-table.png")
        .replace(".svg", "-table.svg");
    let opts = ChartOptions {
        title: "Three outlets in 2022, with their counts".into(),
        ..opts
    };
    render_to_path(
        &Chart::Timeline(common::timeline_evidence()),
        &opts,
        std::path::Path::new(&other),
    )
    .unwrap();
    println!("{path}\n{other}");
}
