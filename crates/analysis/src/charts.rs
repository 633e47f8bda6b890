//! Charts of analysis tables: a timeline as lines (share of coverage or counts, low
//! denominators marked, undated noted), a region × period table as a heatmap, word lists as bars,
//! keyness as two-coloured bars, dispersion as a plot. The chart is drawn from the same table
//! that is exported, so chart and CSV always agree.

use std::path::Path;

use polars::prelude::*;

use broadsheet_chart::{
    BarItem, Chart, ChartOptions, Dispersion, DispersionHit, DispersionRow, Heatmap, Keyness,
    KeynessItem, Measure, PeriodUnit, TermBars, Timeline, TimelinePoint, TimelineSeries,
};

use crate::{AnalysisError, Kind, Period, Result, Table};

/// How a timeline is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scale {
    /// The share of the group's articles (count / total), in %.
    #[default]
    Share,
    /// The number of matching articles.
    Count,
}

fn strings(df: &DataFrame, name: &str) -> Result<Vec<String>> {
    let c = df.column(name)?;
    Ok((0..df.height())
        .map(|i| match c.get(i) {
            Ok(AnyValue::String(s)) => s.to_string(),
            Ok(AnyValue::StringOwned(s)) => s.to_string(),
            Ok(AnyValue::Null) | Err(_) => String::new(),
            Ok(v) => v.to_string(),
        })
        .collect())
}

fn floats(df: &DataFrame, name: &str) -> Result<Vec<Option<f64>>> {
    let c = df.column(name)?.cast(&DataType::Float64)?;
    Ok(c.f64()?.iter().collect())
}

fn uints(df: &DataFrame, name: &str) -> Result<Vec<u64>> {
    let c = df.column(name)?.cast(&DataType::UInt64)?;
    Ok(c.u64()?.iter().map(|v| v.unwrap_or(0)).collect())
}

fn bools(df: &DataFrame, name: &str) -> Result<Vec<bool>> {
    let c = df.column(name)?.cast(&DataType::Boolean)?;
    Ok(c.bool()?.iter().map(|v| v.unwrap_or(false)).collect())
}

fn unit(p: Option<&str>) -> PeriodUnit {
    match p {
        Some("day") => PeriodUnit::Day,
        Some("week") => PeriodUnit::Week,
        Some("quarter") => PeriodUnit::Quarter,
        Some("year") => PeriodUnit::Year,
        _ => PeriodUnit::Month,
    }
}

fn date(s: &str) -> Option<jiff::civil::Date> {
    s.parse().ok()
}

/// The 95% Wilson score interval of a share of `k` in `n` (Wilson 1927): unlike the normal
/// approximation it stays within 0 and 1 and is right for small `n` and shares near 0 or 1.
pub fn wilson(k: u64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    const Z: f64 = 1.959_963_984_540_054;
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let z2 = Z * Z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / (1.0 + z2 / n);
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// A timeline table as a line chart.
pub fn timeline_chart(t: &Table, scale: Scale, min_total: Option<u64>) -> Result<Timeline> {
    let df = &t.frame;
    let (start, group, count, total, share, low) = (
        strings(df, "start")?,
        strings(df, "group")?,
        uints(df, "count")?,
        uints(df, "total")?,
        floats(df, "share")?,
        bools(df, "low_total")?,
    );
    let mut series: Vec<TimelineSeries> = Vec::new();
    for i in 0..df.height() {
        let Some(d) = date(&start[i]) else { continue };
        let value = match scale {
            Scale::Share => share[i],
            Scale::Count => Some(count[i] as f64),
        };
        // The share's 95% interval is drawn as a band around it.
        let (lo, hi) = match scale {
            Scale::Share if total[i] > 0 => {
                let (lo, hi) = wilson(count[i], total[i]);
                (Some(lo), Some(hi))
            }
            _ => (None, None),
        };
        let p = TimelinePoint {
            count: Some(count[i]),
            total: Some(total[i]),
            low_total: low[i],
            low: lo,
            high: hi,
            ..TimelinePoint::new(d, value)
        };
        match series.iter_mut().find(|s| s.name == group[i]) {
            Some(s) => s.points.push(p),
            None => series.push(TimelineSeries {
                name: group[i].clone(),
                points: vec![p],
            }),
        }
    }
    let note = |k: &str| {
        t.note_value(k)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    Ok(Timeline {
        series,
        period: unit(t.note_value("period")),
        measure: match scale {
            Scale::Share => Measure::Share,
            Scale::Count => Measure::Count,
        },
        min_total,
        undated: note("undated"),
        imprecise: note("imprecise"),
        y_label: Some(match scale {
            Scale::Share => "Share of the group's articles".into(),
            Scale::Count => "Matching articles".into(),
        }),
        ..Timeline::default()
    })
}

/// A region × period table (a timeline grouped by region) as a heatmap.
pub fn heatmap_chart(t: &Table, scale: Scale) -> Result<Heatmap> {
    let df = &t.frame;
    let (period, start, group, count, share) = (
        strings(df, "period")?,
        strings(df, "start")?,
        strings(df, "group")?,
        uints(df, "count")?,
        floats(df, "share")?,
    );
    let mut rows: Vec<String> = Vec::new();
    let mut columns: Vec<String> = Vec::new();
    for i in 0..df.height() {
        if start[i].is_empty() {
            continue;
        }
        if !rows.contains(&group[i]) {
            rows.push(group[i].clone());
        }
        if !columns.contains(&period[i]) {
            columns.push(period[i].clone());
        }
    }
    let mut values = vec![vec![None; columns.len()]; rows.len()];
    for i in 0..df.height() {
        if start[i].is_empty() {
            continue;
        }
        let r = rows.iter().position(|x| *x == group[i]).unwrap_or(0);
        let c = columns.iter().position(|x| *x == period[i]).unwrap_or(0);
        values[r][c] = match scale {
            Scale::Share => share[i],
            Scale::Count => Some(count[i] as f64),
        };
    }
    // Rows by the names readers know: places by name (`Central Asia`), organisations by their
    // acronym (`CSTO`, `EAEU`), not by id; the table keeps the ids, which filters take.
    let g = broadsheet_geo::Gazetteer::builtin();
    let rows = rows
        .into_iter()
        .map(|id| match g.region(&id) {
            Some(r) if r.kind == broadsheet_geo::RegionKind::Political && id.len() <= 5 => {
                id.to_uppercase()
            }
            Some(r) => r.name.clone(),
            None => id,
        })
        .collect();
    Ok(Heatmap {
        rows,
        columns,
        values,
        value_label: match scale {
            Scale::Share => "Share of articles".into(),
            Scale::Count => "Matching articles".into(),
        },
        measure: match scale {
            Scale::Share => Measure::Share,
            Scale::Count => Measure::Count,
        },
        ..Heatmap::default()
    })
}

/// A word list as bars.
pub fn terms_chart(t: &Table) -> Result<TermBars> {
    let (term, freq) = (strings(&t.frame, "term")?, uints(&t.frame, "freq")?);
    Ok(TermBars {
        items: term
            .into_iter()
            .zip(freq)
            .map(|(label, f)| BarItem {
                label,
                value: f as f64,
            })
            .collect(),
        value_label: "Occurrences".into(),
        ..TermBars::default()
    })
}

/// Keywords as bars in two colours (target right, reference left), by signed log-likelihood.
pub fn keyness_chart(t: &Table, target: &str, reference: &str) -> Result<Keyness> {
    let (term, g2) = (strings(&t.frame, "term")?, floats(&t.frame, "g2")?);
    Ok(Keyness {
        target: target.to_string(),
        reference: reference.to_string(),
        items: term
            .into_iter()
            .zip(g2)
            .filter_map(|(term, s)| s.map(|score| KeynessItem { term, score }))
            .collect(),
        ..Keyness::default()
    })
}

/// A dispersion table as a plot: one row per term, a mark per article.
pub fn dispersion_chart(t: &Table) -> Result<Dispersion> {
    let df = &t.frame;
    let (term, dates, pos, count) = (
        strings(df, "term")?,
        strings(df, "date")?,
        floats(df, "position")?,
        uints(df, "count")?,
    );
    let mut rows: Vec<DispersionRow> = Vec::new();
    for i in 0..df.height() {
        let hit = DispersionHit {
            position: pos[i].unwrap_or(0.0),
            date: date(dates[i].get(..10).unwrap_or("")),
            count: count[i] as u32,
        };
        match rows.iter_mut().find(|r| r.term == term[i]) {
            Some(r) => r.hits.push(hit),
            None => rows.push(DispersionRow {
                term: term[i].clone(),
                hits: vec![hit],
            }),
        }
    }
    Ok(Dispersion {
        rows,
        articles: t.note_value("articles").and_then(|v| v.parse().ok()),
        ..Dispersion::default()
    })
}

/// What to call the two sides of a keyness chart.
#[derive(Debug, Clone, Default)]
pub struct Labels {
    pub target: String,
    pub reference: String,
}

/// The chart of a finished analysis, if its kind has one.
pub fn chart_of(
    kind: Kind,
    t: &Table,
    scale: Scale,
    min_total: Option<u64>,
    labels: &Labels,
) -> Result<Option<Chart>> {
    Ok(Some(match kind {
        Kind::Timeline => Chart::Timeline(timeline_chart(t, scale, min_total)?),
        Kind::Regions => Chart::Heatmap(heatmap_chart(t, scale)?),
        Kind::Terms => Chart::TermBars(terms_chart(t)?),
        Kind::Keyness => Chart::Keyness(keyness_chart(t, &labels.target, &labels.reference)?),
        Kind::Dispersion => Chart::Dispersion(dispersion_chart(t)?),
        _ => return Ok(None),
    }))
}

pub use broadsheet_chart::Format as ChartFormat;

fn options(chart: &Chart, title: &str, subtitle: Option<String>, scale: u32) -> ChartOptions {
    ChartOptions {
        title: title.to_string(),
        subtitle,
        scale: scale.max(1),
        height: natural_height(chart),
        ..ChartOptions::default()
    }
}

/// Draws a chart into `path` (`.svg` or `.png`), titled, with the table's notes under it.
pub fn write_chart(
    chart: &Chart,
    title: &str,
    subtitle: Option<String>,
    scale: u32,
    path: &Path,
) -> Result<()> {
    broadsheet_chart::render_to_path(chart, &options(chart, title, subtitle, scale), path)
        .map_err(|e| AnalysisError::Invalid(format!("chart: {e}")))
}

/// Draws a chart in memory `width` logical pixels wide (the text keeps its size, so a narrower
/// chart shown in a narrower place keeps its labels readable), its height in proportion.
pub fn render_chart_at_width(
    chart: &Chart,
    title: &str,
    subtitle: Option<String>,
    width: u32,
    format: ChartFormat,
) -> Result<Vec<u8>> {
    let base = options(chart, title, subtitle, 1);
    let height = match chart {
        Chart::Heatmap(_) | Chart::Dispersion(_) => base.height,
        _ => (base.height * width / base.width.max(1)).max(420),
    };
    let opts = ChartOptions {
        format,
        width,
        height,
        ..base
    };
    broadsheet_chart::render(chart, &opts)
        .map_err(|e| AnalysisError::Invalid(format!("chart: {e}")))
}

/// Draws a chart in memory: the same bytes [`write_chart`] writes for a file in `format`.
pub fn render_chart(
    chart: &Chart,
    title: &str,
    subtitle: Option<String>,
    scale: u32,
    format: ChartFormat,
) -> Result<Vec<u8>> {
    let opts = ChartOptions {
        format,
        ..options(chart, title, subtitle, scale)
    };
    broadsheet_chart::render(chart, &opts)
        .map_err(|e| AnalysisError::Invalid(format!("chart: {e}")))
}

/// The height a chart needs: row charts (heatmaps, dispersion plots) grow with their rows
/// instead of leaving the lower half of a 16:9 page empty; the others keep 675 pixels.
fn natural_height(chart: &Chart) -> u32 {
    let rows = match chart {
        Chart::Heatmap(h) => h.rows.len(),
        Chart::Dispersion(d) => d.rows.len(),
        _ => return ChartOptions::default().height,
    };
    (190 + 75 * rows as u32).clamp(320, 4000)
}

/// The chart period unit for an analysis period.
pub fn period_unit(p: Period) -> PeriodUnit {
    match p {
        Period::Day => PeriodUnit::Day,
        Period::Week => PeriodUnit::Week,
        Period::Month => PeriodUnit::Month,
        Period::Quarter => PeriodUnit::Quarter,
        Period::Year => PeriodUnit::Year,
    }
}

#[cfg(test)]
mod wilson_tests {
    use super::wilson;

    /// Values from Newcombe (1998), Table I, method 3 (the Wilson score interval).
    #[test]
    fn wilson_intervals_match_the_published_values() {
        for (k, n, lo, hi) in [
            (81, 263, 0.2553, 0.3662),
            (15, 148, 0.0624, 0.1605),
            (0, 20, 0.0, 0.1611),
            (1, 29, 0.0061, 0.1718),
        ] {
            let (l, h) = wilson(k, n);
            assert!(
                (l - lo).abs() < 5e-4 && (h - hi).abs() < 5e-4,
                "{k}/{n}: {l} {h}"
            );
        }
        assert_eq!(wilson(0, 0), (0.0, 1.0));
    }
}

#[cfg(test)]
mod heatmap_tests {
    use super::*;

    /// Issue 20: the heatmap's rows were region ids (`csto`, `central-asia`) and its legend was
    /// cut.
    #[test]
    fn heatmap_rows_are_region_names() {
        let df = DataFrame::new(
            3,
            vec![
                Column::new("period".into(), ["2016", "2016", "2016"]),
                Column::new("start".into(), ["2016-01-01", "2016-01-01", "2016-01-01"]),
                Column::new("group".into(), ["csto", "central-asia", "not-a-region"]),
                Column::new("count".into(), [3u64, 2, 1]),
                Column::new("total".into(), [10u64, 8, 4]),
                Column::new("share".into(), [0.3f64, 0.25, 0.25]),
            ],
        )
        .unwrap();
        let h = heatmap_chart(&Table::new(df), Scale::Share).unwrap();
        assert_eq!(h.rows, ["CSTO", "Central Asia", "not-a-region"]);
        assert_eq!(h.value_label, "Share of articles");
    }
}
