//! Timelines of coverage: one series per source, region or concept over calendar periods, as
//! lines or stacked areas, counts or shares (a y-axis in percent), in one panel or as small
//! multiples with shared axes; points resting on small denominators are drawn hollow, and the
//! undated and imprecisely dated articles are noted under the plot.

use std::collections::BTreeSet;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::axis::{self, Linear, NumFormat, Rect};
use crate::font;
use crate::frame::{self, line_height, LegendItem, Mark, LABEL, TICK};
use crate::palette;
use crate::scene::{Align, Paint, Scene};
use crate::ticks::{self, format_number};
use crate::{finish, ChartOptions, Result};

/// The calendar period of each point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PeriodUnit {
    Day,
    Week,
    #[default]
    Month,
    Quarter,
    Year,
}

impl PeriodUnit {
    fn days(self) -> f64 {
        match self {
            PeriodUnit::Day => 1.0,
            PeriodUnit::Week => 7.0,
            PeriodUnit::Month => 30.4375,
            PeriodUnit::Quarter => 91.3125,
            PeriodUnit::Year => 365.25,
        }
    }

    fn name(self) -> &'static str {
        match self {
            PeriodUnit::Day => "day",
            PeriodUnit::Week => "week",
            PeriodUnit::Month => "month",
            PeriodUnit::Quarter => "quarter",
            PeriodUnit::Year => "year",
        }
    }
}

/// What the values are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Measure {
    /// Counts of articles (or any non-negative quantity).
    #[default]
    Count,
    /// Shares from 0 to 1, shown in percent.
    Share,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimelineStyle {
    #[default]
    Lines,
    /// Series stacked on each other (missing values count as 0, negative ones are dropped).
    StackedArea,
}

/// One panel, or a grid of panels with shared axes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Panels {
    /// One panel up to six series, small multiples above.
    #[default]
    Auto,
    Single,
    SmallMultiples,
}

/// A period's value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelinePoint {
    /// The first day of the period.
    pub start: Date,
    /// `None` (or NaN) where there is no value: the line is broken there.
    pub value: Option<f64>,
    /// The denominator (articles in the group and period), when known.
    #[serde(default)]
    pub total: Option<u64>,
    /// The denominator is below the threshold: the point is drawn hollow.
    #[serde(default)]
    pub low_total: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineSeries {
    pub name: String,
    pub points: Vec<TimelinePoint>,
}

/// A timeline chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Timeline {
    pub series: Vec<TimelineSeries>,
    pub period: PeriodUnit,
    pub measure: Measure,
    pub style: TimelineStyle,
    pub panels: Panels,
    /// The threshold behind `low_total` (for the legend's wording); points whose `total` is
    /// below it are marked too.
    pub min_total: Option<u64>,
    /// Articles without a date, and dated less precisely than the period (noted, not drawn).
    pub undated: u64,
    pub imprecise: u64,
    /// The y-axis title (default: "Articles" or "Share of articles").
    pub y_label: Option<String>,
    /// At most this many series are drawn (the largest by total; a note says so). A single
    /// panel never shows more than 8.
    pub max_series: usize,
}

impl Default for Timeline {
    fn default() -> Self {
        Timeline {
            series: Vec::new(),
            period: PeriodUnit::Month,
            measure: Measure::Count,
            style: TimelineStyle::Lines,
            panels: Panels::Auto,
            min_total: None,
            undated: 0,
            imprecise: 0,
            y_label: None,
            max_series: 24,
        }
    }
}

const SINGLE_MAX: usize = 8;
const AUTO_SINGLE_MAX: usize = 6;

/// A series prepared for drawing: values per date index (None: missing), low flags.
struct Prepared {
    name: String,
    colour: Paint,
    values: Vec<Option<f64>>,
    low: Vec<bool>,
}

fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|v| v.is_finite())
}

/// Draws a timeline.
pub fn timeline(data: &Timeline, opts: &ChartOptions) -> Result<Vec<u8>> {
    opts.validate()?;
    finish(&timeline_scene(data, opts), opts)
}

fn is_low(p: &TimelinePoint, min_total: Option<u64>) -> bool {
    p.low_total || matches!((p.total, min_total), (Some(t), Some(m)) if t < m)
}

pub(crate) fn timeline_scene(data: &Timeline, opts: &ChartOptions) -> Scene {
    let n_series = data.series.len();
    let small = match data.panels {
        Panels::Auto => n_series > AUTO_SINGLE_MAX,
        Panels::Single => false,
        Panels::SmallMultiples => true,
    };
    let cap = if small {
        data.max_series.clamp(1, 64)
    } else {
        data.max_series.clamp(1, SINGLE_MAX)
    };
    // Keep the largest series (by total of finite values), in their given order.
    let mut keep: Vec<usize> = (0..n_series).collect();
    let mut notes = Vec::new();
    if n_series > cap {
        let sum = |i: usize| -> f64 {
            data.series[i]
                .points
                .iter()
                .filter_map(|p| finite(p.value))
                .filter(|v| *v > 0.0)
                .sum()
        };
        let mut ranked: Vec<(f64, usize)> = (0..n_series).map(|i| (sum(i), i)).collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        keep = ranked[..cap].iter().map(|r| r.1).collect();
        keep.sort_unstable();
        notes.push(format!(
            "Showing {} of {} series (the largest by total).",
            cap,
            format_number(n_series as f64, 0)
        ));
    }
    // The dates: every period start of the kept series.
    let dates: Vec<Date> = keep
        .iter()
        .flat_map(|&i| data.series[i].points.iter().map(|p| p.start))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut any_low = false;
    let prepared: Vec<Prepared> = keep
        .iter()
        .enumerate()
        .map(|(k, &i)| {
            let s = &data.series[i];
            let mut values = vec![None; dates.len()];
            let mut low = vec![false; dates.len()];
            let mut seen = vec![false; dates.len()];
            for p in &s.points {
                if let Ok(j) = dates.binary_search(&p.start) {
                    if !seen[j] {
                        seen[j] = true;
                        values[j] = finite(p.value);
                        low[j] = is_low(p, data.min_total);
                        any_low |= low[j] && values[j].is_some();
                    }
                }
            }
            let name = s.name.trim();
            Prepared {
                name: if name.is_empty() {
                    "(unnamed)".to_string()
                } else {
                    name.to_string()
                },
                colour: if small {
                    palette::series(0)
                } else {
                    palette::series(k)
                },
                values,
                low,
            }
        })
        .collect();

    let mut not_shown = Vec::new();
    if data.undated > 0 {
        not_shown.push(format!(
            "{} undated {}",
            format_number(data.undated as f64, 0),
            if data.undated == 1 {
                "article"
            } else {
                "articles"
            }
        ));
    }
    if data.imprecise > 0 {
        not_shown.push(format!(
            "{} dated less precisely than a {}",
            format_number(data.imprecise as f64, 0),
            data.period.name()
        ));
    }
    if !not_shown.is_empty() {
        notes.push(format!("Not shown: {}.", not_shown.join("; ")));
    }
    if prepared.is_empty() || dates.is_empty() {
        notes.push("No data to show.".to_string());
    }

    let mut legend = Vec::new();
    if !small {
        for p in &prepared {
            legend.push(LegendItem {
                mark: match data.style {
                    TimelineStyle::Lines => Mark::Line(p.colour),
                    TimelineStyle::StackedArea => Mark::Swatch(p.colour),
                },
                label: p.name.clone(),
            });
        }
    } else if prepared.len() > 1 {
        legend.push(LegendItem {
            mark: Mark::Line(Paint::hex(0xC8C8C8)),
            label: "the other series, for comparison".to_string(),
        });
    }
    if any_low {
        legend.push(LegendItem {
            mark: Mark::Hollow(palette::MUTED),
            label: match data.min_total {
                Some(m) => format!(
                    "fewer than {} articles in the period (unreliable)",
                    format_number(m as f64, 0)
                ),
                None => "few articles in the period (unreliable)".to_string(),
            },
        });
    }

    let mut f = frame::frame(opts, &legend, &notes);
    let content = Rect {
        x0: f.x0,
        y0: f.y0,
        x1: f.x1,
        y1: f.y1,
    };
    let stacked = data.style == TimelineStyle::StackedArea;
    let fmt = match data.measure {
        Measure::Count => NumFormat::Number,
        Measure::Share => NumFormat::Percent,
    };
    // Stacked tops per series (cumulative), or the values themselves.
    let tops: Vec<Vec<Option<f64>>> = if stacked && !small {
        let mut acc = vec![0.0f64; dates.len()];
        prepared
            .iter()
            .map(|p| {
                p.values
                    .iter()
                    .enumerate()
                    .map(|(j, v)| {
                        acc[j] += v.unwrap_or(0.0).max(0.0);
                        Some(acc[j])
                    })
                    .collect()
            })
            .collect()
    } else {
        prepared.iter().map(|p| p.values.clone()).collect()
    };
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for t in &tops {
        for v in t.iter().flatten() {
            lo = lo.min(*v);
            hi = hi.max(*v);
        }
    }
    if hi <= lo {
        hi = lo + if fmt == NumFormat::Percent { 0.01 } else { 1.0 };
    }
    // The x range: first to last period start, widened when there is a single period.
    let (x_lo, x_hi) = match (dates.first(), dates.last()) {
        (Some(a), Some(b)) if a < b => (ticks::day_number(*a) as f64, ticks::day_number(*b) as f64),
        (Some(a), _) => {
            let d = ticks::day_number(*a) as f64;
            let half = (data.period.days() / 2.0).max(1.0);
            (d - half, d + half)
        }
        _ => (0.0, 1.0),
    };
    let date_of = |d: f64| -> Date {
        let base = jiff::civil::date(1970, 1, 1);
        jiff::Span::new()
            .try_days(d.round() as i64)
            .ok()
            .and_then(|s| base.checked_add(s).ok())
            .unwrap_or(base)
    };
    let (d_lo, d_hi) = match (dates.first(), dates.last()) {
        (Some(a), Some(b)) if a < b => (*a, *b),
        _ => (date_of(x_lo.ceil()), date_of(x_hi.floor())),
    };
    let y_title = data.y_label.clone().unwrap_or_else(|| match data.measure {
        Measure::Count => "Articles".to_string(),
        Measure::Share => "Share of articles".to_string(),
    });
    let title_w = line_height(LABEL) + 4.0;

    if !small {
        let est_h = content.height() - axis::date_axis_height();
        let max_ticks = ((est_h / 45.0).floor() as usize).clamp(2, 8);
        let nt = ticks::nice_ticks(lo, hi, max_ticks);
        let labels = axis::num_labels(&nt, fmt);
        let label_w = axis::max_width(&labels);
        let plot = Rect {
            x0: content.x0 + title_w + label_w + 8.0,
            y0: content.y0 + TICK * 0.5,
            x1: content.x1 - 16.0,
            y1: content.y1 - axis::date_axis_height(),
        };
        let y = Linear::new(nt.lo, nt.hi, plot.y1, plot.y0);
        let x = Linear::new(x_lo, x_hi, plot.x0, plot.x1);
        axis::y_axis(&mut f.scene, plot, &nt, &labels, &y, true);
        let steps = ticks::steps_for(data.period);
        // Labels may reach a little into the outer margin.
        let dticks =
            axis::choose_date_ticks(d_lo, d_hi, &x, plot.x0 - 30.0, content.x1 + 10.0, &steps);
        axis::x_date_axis(&mut f.scene, plot, &dticks, &x, true, false);
        axis::y_title(&mut f.scene, content.x0, plot, &y_title);
        let xs: Vec<f64> = dates
            .iter()
            .map(|d| x.map(ticks::day_number(*d) as f64))
            .collect();
        if stacked {
            draw_stacked(&mut f.scene, &prepared, &tops, &xs, &y);
        } else {
            for (p, t) in prepared.iter().zip(&tops) {
                draw_series(
                    &mut f.scene,
                    p,
                    t,
                    &xs,
                    &y,
                    p.colour,
                    2.0,
                    dates.len() <= 40,
                );
            }
        }
        draw_low_markers(&mut f.scene, &prepared, &tops, &xs, &y);
        // Redraw the zero line over areas.
        if nt.lo < 0.0 || stacked {
            let py = y.map(0.0);
            f.scene
                .segment(plot.x0, py, plot.x1, py, palette::AXIS, 1.0);
        }
        return f.scene;
    }

    // Small multiples.
    let n = prepared.len().max(1);
    let cols = grid_columns(n);
    let rows = n.div_ceil(cols);
    let panel_title_h = line_height(TICK) + 2.0;
    let grid_h = content.height() - axis::date_axis_height();
    let row_gap = 14.0;
    let row_h = (grid_h + row_gap) / rows as f64;
    let est_h = row_h - panel_title_h - 10.0;
    let max_ticks = ((est_h / 30.0).floor() as usize).clamp(1, 5);
    let nt = ticks::nice_ticks(lo, hi, max_ticks);
    let labels = axis::num_labels(&nt, fmt);
    let label_w = axis::max_width(&labels);
    let left = content.x0 + title_w + label_w + 8.0;
    let gap = 18.0;
    let col_w = (content.x1 - 16.0 - left - gap * (cols - 1) as f64) / cols as f64;
    axis::y_title(
        &mut f.scene,
        content.x0,
        Rect {
            y1: content.y0 + grid_h,
            ..content
        },
        &y_title,
    );
    let mut dticks = Vec::new();
    for (k, p) in prepared.iter().enumerate() {
        let (r, c) = (k / cols, k % cols);
        let px0 = left + c as f64 * (col_w + gap);
        let top = content.y0 + r as f64 * row_h;
        let plot = Rect {
            x0: px0,
            y0: top + panel_title_h + 4.0,
            x1: px0 + col_w,
            y1: top + row_h - row_gap - 6.0,
        };
        let y = Linear::new(nt.lo, nt.hi, plot.y1, plot.y0);
        let x = Linear::new(x_lo, x_hi, plot.x0, plot.x1);
        if k == 0 {
            dticks = axis::choose_date_ticks(
                d_lo,
                d_hi,
                &x,
                plot.x0 - 20.0,
                plot.x1 + gap / 2.0,
                &ticks::steps_for(data.period),
            );
        }
        let title = font::ellipsize(&p.name, TICK, true, col_w);
        f.scene.text(
            plot.x0,
            top,
            &title,
            TICK,
            true,
            palette::TEXT,
            Align::Start,
        );
        axis::y_axis(&mut f.scene, plot, &nt, &labels, &y, c == 0);
        // Labels under the lowest panel of each column.
        let lowest = k + cols >= prepared.len();
        axis::x_date_axis(&mut f.scene, plot, &dticks, &x, lowest, false);
        let xs: Vec<f64> = dates
            .iter()
            .map(|d| x.map(ticks::day_number(*d) as f64))
            .collect();
        for (j, other) in prepared.iter().enumerate() {
            if j != k {
                draw_series(
                    &mut f.scene,
                    other,
                    &other.values,
                    &xs,
                    &y,
                    Paint::hex(0xD0D0D0),
                    1.0,
                    false,
                );
            }
        }
        if stacked {
            draw_area(&mut f.scene, &p.values, &xs, &y, p.colour.with_alpha(0.35));
        }
        draw_series(&mut f.scene, p, &p.values, &xs, &y, p.colour, 1.8, false);
        draw_low_markers(
            &mut f.scene,
            std::slice::from_ref(p),
            std::slice::from_ref(&p.values),
            &xs,
            &y,
        );
    }
    f.scene
}

/// Columns of a small-multiples grid of `n` panels on a wide chart: few empty slots, panels
/// about twice as wide as high.
fn grid_columns(n: usize) -> usize {
    match n {
        0..=3 => n.max(1),
        4 => 2,
        5 | 6 | 9 => 3,
        7 | 8 | 10..=12 | 16 => 4,
        13..=15 | 17..=20 => 5,
        21..=24 => 6,
        _ => {
            let mut c = 1;
            while c * c < (n as f64 * 1.6).ceil() as usize {
                c += 1;
            }
            c
        }
    }
}

/// Draws the runs of consecutive values of one series as lines (single points as dots).
#[allow(clippy::too_many_arguments)]
fn draw_series(
    scene: &mut Scene,
    p: &Prepared,
    values: &[Option<f64>],
    xs: &[f64],
    y: &Linear,
    colour: Paint,
    width: f64,
    dots: bool,
) {
    let mut run: Vec<(f64, f64)> = Vec::new();
    let flush = |run: &mut Vec<(f64, f64)>, scene: &mut Scene| {
        if run.len() == 1 {
            scene.circle(run[0].0, run[0].1, width + 1.0, Some(colour), None);
        } else {
            scene.line(std::mem::take(run), colour, width);
        }
        run.clear();
    };
    for (j, v) in values.iter().enumerate() {
        match v {
            Some(v) => run.push((xs[j], y.map(*v))),
            None => flush(&mut run, scene),
        }
    }
    flush(&mut run, scene);
    if dots {
        for (j, v) in values.iter().enumerate() {
            if let (Some(v), false) = (v, p.low[j]) {
                scene.circle(xs[j], y.map(*v), 3.0, Some(colour), None);
            }
        }
    }
}

fn draw_area(scene: &mut Scene, values: &[Option<f64>], xs: &[f64], y: &Linear, fill: Paint) {
    if xs.len() < 2 {
        return;
    }
    let base = y.map(0.0);
    let mut pts: Vec<(f64, f64)> = xs
        .iter()
        .zip(values)
        .map(|(x, v)| (*x, y.map(v.unwrap_or(0.0).max(0.0))))
        .collect();
    pts.push((xs[xs.len() - 1], base));
    pts.push((xs[0], base));
    scene.polygon(pts, fill);
}

fn draw_stacked(
    scene: &mut Scene,
    prepared: &[Prepared],
    tops: &[Vec<Option<f64>>],
    xs: &[f64],
    y: &Linear,
) {
    if xs.len() < 2 {
        // One period: stacked bars of a fixed width instead of areas.
        let mut below = 0.0;
        for (p, t) in prepared.iter().zip(tops) {
            let top = t.first().copied().flatten().unwrap_or(below);
            if let Some(&x) = xs.first() {
                scene.rect(
                    x - 20.0,
                    y.map(below),
                    x + 20.0,
                    y.map(top),
                    Some(p.colour),
                    None,
                );
            }
            below = top;
        }
        return;
    }
    let mut lower = vec![0.0f64; xs.len()];
    for (p, t) in prepared.iter().zip(tops) {
        let upper: Vec<f64> = t
            .iter()
            .enumerate()
            .map(|(j, v)| v.unwrap_or(lower[j]))
            .collect();
        let mut pts: Vec<(f64, f64)> = xs
            .iter()
            .zip(&upper)
            .map(|(x, v)| (*x, y.map(*v)))
            .collect();
        for j in (0..xs.len()).rev() {
            pts.push((xs[j], y.map(lower[j])));
        }
        scene.polygon(pts, p.colour);
        let edge: Vec<(f64, f64)> = xs
            .iter()
            .zip(&upper)
            .map(|(x, v)| (*x, y.map(*v)))
            .collect();
        scene.line(edge, Paint::rgb(255, 255, 255), 0.8);
        lower = upper;
    }
}

fn draw_low_markers(
    scene: &mut Scene,
    prepared: &[Prepared],
    tops: &[Vec<Option<f64>>],
    xs: &[f64],
    y: &Linear,
) {
    for (p, t) in prepared.iter().zip(tops) {
        for (j, v) in t.iter().enumerate() {
            if let (Some(v), true) = (v, p.low[j]) {
                if p.values[j].is_some() {
                    scene.circle(
                        xs[j],
                        y.map(*v),
                        3.5,
                        Some(Paint::rgb(255, 255, 255)),
                        Some((p.colour, 1.5)),
                    );
                }
            }
        }
    }
}
