//! Golden files: every chart type, as SVG and PNG, compared byte for byte with the files under
//! `tests/golden/`. `UPDATE_GOLDEN=1 cargo test -p broadsheet-chart --test golden` rewrites them;
//! on a mismatch the new output is written to the system temp folder for inspection.

mod common;

use std::path::PathBuf;

use broadsheet_chart::*;
use common::opts;

fn cases() -> Vec<(&'static str, Chart, ChartOptions)> {
    vec![
        (
            "timeline_lines",
            Chart::Timeline(common::timeline_lines()),
            opts(
                "Coverage of the border talks by outlet",
                "Articles per month, January 2021 to June 2022",
                Format::Png,
            ),
        ),
        (
            "timeline_stacked_share",
            Chart::Timeline(common::timeline_stacked_share()),
            opts(
                "Three concepts as shares of coverage",
                "Quarterly share of all articles, stacked",
                Format::Png,
            ),
        ),
        (
            "timeline_small_multiples",
            Chart::Timeline(common::timeline_small_multiples()),
            opts(
                "Coverage by region",
                "Articles per month mentioning each region, 2020–2022",
                Format::Png,
            ),
        ),
        (
            "timeline_realistic",
            Chart::Timeline(common::timeline_realistic()),
            opts(
                "Ten years of coverage of Kyrgyz politics",
                "Articles per month by outlet, 2014–2023",
                Format::Png,
            ),
        ),
        (
            "timeline_outlets",
            Chart::Timeline(common::timeline_outlets()),
            opts(
                "Regional security in Central Asian outlets, 2021–2023",
                "Articles matching the concept among all articles of the outlet in the month",
                Format::Png,
            ),
        ),
        (
            "timeline_evidence",
            Chart::Timeline(common::timeline_evidence()),
            opts(
                "Three outlets in 2022, with their counts",
                "Articles matching the concept among all articles of the outlet in the month",
                Format::Png,
            ),
        ),
        (
            "term_bars",
            Chart::TermBars(common::term_bars()),
            opts(
                "Most frequent terms",
                "Top terms in the subcorpus",
                Format::Png,
            ),
        ),
        (
            "keyness",
            Chart::Keyness(common::keyness()),
            opts(
                "Key words: business press against politics desk",
                "Signed log-likelihood; p < 0.001 for all words shown",
                Format::Png,
            ),
        ),
        (
            "heatmap_small",
            Chart::Heatmap(common::heatmap_small()),
            opts(
                "Regions mentioned per month",
                "Articles mentioning each region, 2022",
                Format::Png,
            ),
        ),
        (
            "heatmap_30",
            Chart::Heatmap(common::heatmap_30()),
            opts(
                "Thirty regions over two years",
                "Share of each month's articles mentioning the region",
                Format::Png,
            ),
        ),
        (
            "dispersion",
            Chart::Dispersion(common::dispersion()),
            opts(
                "Where the terms occur",
                "Articles containing each term, in date order",
                Format::Png,
            ),
        ),
        (
            "dispersion_dates",
            Chart::Dispersion(Dispersion {
                axis: DispersionAxis::Date,
                ..common::dispersion()
            }),
            opts(
                "Where the terms occur, by date",
                "Articles containing each term",
                Format::Png,
            ),
        ),
    ]
}

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn check(name: &str, bytes: &[u8], failures: &mut Vec<String>) {
    let path = golden_dir().join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(golden_dir()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        return;
    }
    match std::fs::read(&path) {
        Ok(expected) if expected == bytes => {}
        Ok(_) | Err(_) => {
            let out = std::env::temp_dir().join("broadsheet-chart-golden");
            std::fs::create_dir_all(&out).unwrap();
            std::fs::write(out.join(name), bytes).unwrap();
            failures.push(format!(
                "{name} differs from {} (new output in {})",
                path.display(),
                out.join(name).display()
            ));
        }
    }
}

#[test]
fn golden_files() {
    let mut failures = Vec::new();
    for (name, chart, o) in cases() {
        for format in [Format::Svg, Format::Png] {
            let o = ChartOptions {
                format,
                ..o.clone()
            };
            let bytes = render(&chart, &o).unwrap();
            let ext = match format {
                Format::Svg => "svg",
                Format::Png => "png",
            };
            check(&format!("{name}.{ext}"), &bytes, &mut failures);
        }
    }
    // One chart at twice the resolution.
    let (_, chart, o) = cases().remove(0);
    let o = ChartOptions {
        scale: 2,
        format: Format::Png,
        ..o
    };
    check(
        "timeline_lines@2x.png",
        &render(&chart, &o).unwrap(),
        &mut failures,
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn rendering_twice_gives_identical_bytes() {
    for (_, chart, o) in cases() {
        for format in [Format::Svg, Format::Png] {
            let o = ChartOptions {
                format,
                ..o.clone()
            };
            assert_eq!(render(&chart, &o).unwrap(), render(&chart, &o).unwrap());
        }
    }
}

#[test]
fn json_round_trip_gives_the_same_chart() {
    for (_, chart, o) in cases() {
        let json = serde_json::to_string(&chart).unwrap();
        let back: Chart = serde_json::from_str(&json).unwrap();
        assert_eq!(render(&back, &o).unwrap(), render(&chart, &o).unwrap());
    }
}
