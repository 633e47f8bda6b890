//! Timelines of coverage: one series per source, region or concept over calendar periods, as
//! lines or stacked areas, counts or shares (a y-axis in percent), in one panel or as small
//! multiples (split drawing areas, the other series in grey behind each panel's own) with shared
//! axes. Points resting on small denominators are drawn hollow; optional interval bands, moving
//! averages and counts (on the points or in a table); a coverage strip per series under the
//! plot; undated articles and series without any dated article noted under the chart.

use jiff::civil::Date;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use serde::{Deserialize, Serialize};

use crate::canvas::{units, UNITS};
use crate::font;
use crate::layout::{
    self, date_labels, date_labels_height, font, keyed, label_at, lh, num_labels, page, text, wrap,
    Area, LegendItem, Mark, Mesh, NumFormat, Plot, Rect, Res, BAND_ALPHA, LABEL, SMALL, STRIP,
    TICK, TICK_MARK,
};
use crate::palette::{self, Paint};
use crate::series::{self, Plan, Prepared, MIN_GAP};
use crate::ticks::{self, day_number, format_number};
use crate::{ChartOptions, Result};

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
    pub(crate) fn days(self) -> f64 {
        match self {
            PeriodUnit::Day => 1.0,
            PeriodUnit::Week => 7.0,
            PeriodUnit::Month => 30.4375,
            PeriodUnit::Quarter => 91.3125,
            PeriodUnit::Year => 365.25,
        }
    }

    pub(crate) fn name(self) -> &'static str {
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
    /// One panel up to three series, small multiples above.
    #[default]
    Auto,
    Single,
    SmallMultiples,
}

/// Whether the counts behind each point (n of N) are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShowN {
    #[default]
    Hidden,
    /// `count/total` over each point, where labels do not overlap.
    Points,
    /// A small table under each panel: one row per series, a cell per period (left out with a
    /// note when the periods are too narrow for the numbers).
    Table,
}

/// A period's value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelinePoint {
    /// The first day of the period.
    pub start: Date,
    /// `None` (or NaN) where there is no value: the line is broken there.
    pub value: Option<f64>,
    /// The denominator (articles in the group and period), when known; 0 or `None` means the
    /// period had no articles (the coverage strip's gaps).
    #[serde(default)]
    pub total: Option<u64>,
    /// The denominator is below the threshold: the point is drawn hollow.
    #[serde(default)]
    pub low_total: bool,
    /// The numerator (articles counted), for the n labels and table.
    #[serde(default)]
    pub count: Option<u64>,
    /// An interval around the value (e.g. a 95% Wilson interval of a share), drawn as a band.
    #[serde(default)]
    pub low: Option<f64>,
    #[serde(default)]
    pub high: Option<f64>,
}

impl TimelinePoint {
    /// A point with a value and nothing else known (no denominator, count or interval).
    pub fn new(start: Date, value: Option<f64>) -> Self {
        TimelinePoint {
            start,
            value,
            total: None,
            low_total: false,
            count: None,
            low: None,
            high: None,
        }
    }
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
    /// The y-axis title (default: "Articles" or "Share of articles"); wrapped onto two lines.
    pub y_label: Option<String>,
    /// At most this many series are drawn (the largest by total; a note says so). A single
    /// panel never shows more than 8.
    pub max_series: usize,
    /// A moving average of this many periods drawn over each series (see `series.rs`).
    pub moving_average: Option<u32>,
    /// Counts behind the points: hidden, over the points, or in a table under each panel.
    pub show_n: ShowN,
    /// A coverage strip per series under the plot (drawn when denominators are known).
    pub coverage: bool,
    /// What the interval bands are, for the legend (default "95% interval").
    pub interval_label: Option<String>,
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
            moving_average: None,
            show_n: ShowN::Hidden,
            coverage: true,
            interval_label: None,
        }
    }
}

/// Draws a timeline.
pub fn timeline(data: &Timeline, opts: &ChartOptions) -> Result<Vec<u8>> {
    opts.validate()?;
    crate::draw(opts, |root| draw(root, data, opts))
}

/// How the n table is written: `count/total` on one line, or count over total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TableMode {
    One,
    Two,
}

/// Everything the panels share.
struct Shared<'a> {
    data: &'a Timeline,
    plan: &'a Plan,
    /// Day numbers of the dates.
    xs: Vec<f64>,
    x_range: (f64, f64),
    /// Stacked tops (or the values) per series.
    tops: Vec<Vec<Option<f64>>>,
    fmt: NumFormat,
    strips: bool,
    table: Option<TableMode>,
}

fn draw(root: &Area, data: &Timeline, opts: &ChartOptions) -> Res {
    let plan = series::plan(data);
    let mut shared = Shared::new(data, &plan);
    let mut notes = plan.notes.clone();
    notes.extend(count_note(&mut shared, opts));
    let legend = legend(data, &plan, shared.strips);
    let body = page(root, opts, &legend, &notes)?;
    if plan.small {
        small_multiples(root, body, &shared)
    } else {
        single(root, body, &shared)
    }
}

impl<'a> Shared<'a> {
    fn new(data: &'a Timeline, plan: &'a Plan) -> Self {
        let tops = if data.style == TimelineStyle::StackedArea && !plan.small {
            let mut acc = vec![0.0f64; plan.dates.len()];
            let mut stack = |p: &Prepared| -> Vec<Option<f64>> {
                let values = p.values.iter().zip(acc.iter_mut());
                values
                    .map(|(v, a)| {
                        *a += v.unwrap_or(0.0).max(0.0);
                        Some(*a)
                    })
                    .collect()
            };
            plan.series.iter().map(&mut stack).collect()
        } else {
            plan.series.iter().map(|p| p.values.clone()).collect()
        };
        let xs: Vec<f64> = plan.dates.iter().map(|d| day_number(*d) as f64).collect();
        let x_range = match (xs.first(), xs.last()) {
            (Some(a), Some(b)) if a < b => (*a, *b),
            (Some(a), _) => {
                let half = (data.period.days() / 2.0).max(1.0);
                (a - half, a + half)
            }
            _ => (0.0, 1.0),
        };
        Shared {
            data,
            plan,
            xs,
            x_range,
            tops,
            fmt: match data.measure {
                Measure::Count => NumFormat::Number,
                Measure::Share => NumFormat::Percent,
            },
            strips: data.coverage && plan.totals && !plan.series.is_empty(),
            table: None,
        }
    }
}

/// The note that explains the counts, and whether their table fits: decided before the page is
/// laid out (the note goes under the chart), on a conservative estimate of the plot's width.
fn count_note(s: &mut Shared, opts: &ChartOptions) -> Option<String> {
    match s.data.show_n {
        ShowN::Hidden => None,
        ShowN::Points => Some(
            "Over the points: n articles counted / N articles in the period (where they fit)."
                .to_string(),
        ),
        ShowN::Table if s.plan.series.is_empty() => None,
        ShowN::Table => {
            let inner = opts.width as f64 - 2.0 * layout::PAD - 16.0 - 90.0;
            let cols = if s.plan.small {
                grid_columns(s.plan.series.len()) as f64
            } else {
                1.0
            };
            s.table = table_mode(s.plan, &s.xs, (inner - 18.0 * (cols - 1.0)) / cols);
            Some(match s.table {
                Some(_) => "Table under the plot: n articles counted, N articles in the period."
                    .to_string(),
                None => format!(
                    "The table of counts is left out: {} periods are too narrow for their \
                     numbers (they are in the data table).",
                    format_number(s.plan.dates.len() as f64, 0)
                ),
            })
        }
    }
}

fn legend(data: &Timeline, plan: &Plan, strips: bool) -> Vec<LegendItem> {
    let item = |mark, label: String| LegendItem { mark, label };
    let mut legend = Vec::new();
    if !plan.small {
        for p in &plan.series {
            let mark = match data.style {
                TimelineStyle::Lines => Mark::Line(p.colour),
                TimelineStyle::StackedArea => Mark::Swatch(p.colour),
            };
            legend.push(item(mark, p.name.clone()));
        }
    } else if plan.series.len() > 1 {
        let label = "the other series, for comparison".to_string();
        legend.push(item(Mark::Line(palette::CONTEXT), label));
    }
    if plan.any_band && data.style == TimelineStyle::Lines {
        let label = data.interval_label.as_deref().map(layout::clean);
        let label = label.filter(|l| !l.is_empty());
        legend.push(item(
            Mark::Band(palette::MUTED),
            label.unwrap_or_else(|| "95% interval".to_string()),
        ));
    }
    if let Some(k) = data.moving_average.filter(|k| *k > 1) {
        let unit = data.period.name();
        let label = format!("{k}-{unit} moving average (mean of the {k} {unit}s up to each)");
        legend.push(item(Mark::Average(palette::MUTED), label));
    }
    if plan.any_low {
        let label = match data.min_total {
            Some(m) => format!(
                "fewer than {} articles in the period (unreliable)",
                format_number(m as f64, 0)
            ),
            None => "few articles in the period (unreliable)".to_string(),
        };
        legend.push(item(Mark::Hollow(palette::MUTED), label));
    }
    if strips {
        let unit = data.period.name();
        let label = format!(
            "coverage: first to last {unit} with articles; grey: {MIN_GAP} or more {unit}s without any"
        );
        legend.push(item(Mark::Coverage, label));
    }
    legend
}

/// The value range of the plot (0 included), over tops and bands.
fn value_range(s: &Shared) -> (f64, f64) {
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    let bands = s.plan.series.iter().flat_map(|p| p.band.iter().flatten());
    let band_values = bands.flat_map(|(a, b)| [*a, *b]);
    for v in s
        .tops
        .iter()
        .flatten()
        .flatten()
        .copied()
        .chain(band_values)
    {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if hi <= lo {
        hi = lo
            + if s.fmt == NumFormat::Percent {
                0.01
            } else {
                1.0
            };
    }
    (lo, hi)
}

fn y_title(data: &Timeline) -> String {
    let t = data
        .y_label
        .as_deref()
        .map(layout::clean)
        .unwrap_or_default();
    if !t.is_empty() {
        return t;
    }
    match data.measure {
        Measure::Count => "Articles".to_string(),
        Measure::Share => "Share of articles".to_string(),
    }
}

/// The date range of the axis (first and last period, or the day itself).
fn date_range(s: &Shared) -> Option<(Date, Date)> {
    match (s.plan.dates.first(), s.plan.dates.last()) {
        (Some(a), Some(b)) => Some((*a, *b)),
        _ => None,
    }
}

/// The x pixel of day number `d` on `chart`.
fn xpx(chart: &Plot, d: f64) -> f64 {
    chart.backend_coord(&(d, 0.0)).0 as f64 / UNITS
}

/// The height of the n table under a panel of `rows` series.
fn table_height(s: &Shared, rows: usize) -> f64 {
    match s.table {
        None => 0.0,
        Some(TableMode::One) => 6.0 + rows as f64 * lh(SMALL),
        Some(TableMode::Two) => 6.0 + rows as f64 * (2.0 * lh(SMALL) + 3.0),
    }
}

fn single(root: &Area, body: Rect, s: &Shared) -> Res {
    let n = s.plan.series.len();
    let strip_h = if s.strips {
        6.0 + n as f64 * (STRIP + 3.0)
    } else {
        0.0
    };
    let below = date_labels_height() + TICK_MARK + strip_h + table_height(s, n);
    let est_h = body.height() - below;
    let (lo, hi) = value_range(s);
    let nt = ticks::nice_ticks(lo, hi, ((est_h / 45.0).floor() as usize).clamp(2, 8));
    let labels = num_labels(&nt, s.fmt);
    let title = wrap(&y_title(s.data), LABEL, false, est_h, 2);
    let left = lh(LABEL) * title.len() as f64 + 4.0 + layout::max_width(&labels, TICK) + 10.0;
    let plot_x = (body.x0 + left, body.x1 - 16.0);
    let (x_lo, x_hi) = s.x_range;
    let map = |d: f64| plot_x.0 + (d - x_lo) / (x_hi - x_lo) * (plot_x.1 - plot_x.0);
    let steps = ticks::steps_for(s.data.period);
    let dticks = match date_range(s) {
        Some((a, b)) => layout::date_ticks(a, b, &map, (plot_x.0 - 30.0, body.x1 + 10.0), &steps),
        None => Vec::new(),
    };
    let key_days = dticks.iter().map(|t| day_number(t.date) as f64).collect();
    let mut chart = ChartBuilder::on(&layout::area(root, body))
        .margin_top(units(TICK * 0.5))
        .margin_right(units(16.0))
        .x_label_area_size(units(below))
        .y_label_area_size(units(left))
        .build_cartesian_2d(
            keyed(x_lo, x_hi, key_days),
            keyed(nt.lo, nt.hi, nt.values.clone()),
        )?;
    let no_label = |_: &f64| String::new();
    let y_label = |v: &f64| label_at(&nt.values, &labels, *v);
    let mut mesh = Mesh::new(&no_label, &y_label);
    mesh.y_desc = title.join("\n");
    mesh.draw(&mut chart)?;
    let all: Vec<usize> = (0..n).collect();
    draw_series(&mut chart, s, &all, 2.0, s.plan.dates.len() <= 40)?;
    if nt.lo < 0.0 || s.data.style == TimelineStyle::StackedArea {
        let zero = [(x_lo, 0.0), (x_hi, 0.0)];
        chart.draw_series(std::iter::once(PathElement::new(
            zero,
            palette::AXIS.stroke(1.0),
        )))?;
    }
    if s.data.show_n == ShowN::Points {
        for (k, p) in s.plan.series.iter().enumerate() {
            n_labels(root, &chart, s, p, &s.tops[k])?;
        }
    }
    let plot = layout::plot_rect(&chart);
    let x = |d: f64| xpx(&chart, d);
    let mut y = plot.y1 + TICK_MARK + 2.0;
    date_labels(root, &dticks, &x, y)?;
    y += date_labels_height();
    if s.strips {
        y += 6.0;
        // A caption where the y labels' column has room for it (the legend says the rest).
        if font::width("coverage", 12.0, false) <= plot.x0 - 6.0 - body.x0 {
            let caption = font(12.0, false, palette::MUTED);
            let at = (plot.x0 - 6.0, y - 2.5);
            text(root, "coverage", at, &caption, (HPos::Right, VPos::Top))?;
        }
        for p in &s.plan.series {
            strip(root, &x, (plot.x0, plot.x1), y, p, s.data.period)?;
            y += STRIP + 3.0;
        }
    }
    let rows: Vec<&Prepared> = s.plan.series.iter().collect();
    table(root, &x, s, &rows, plot.x0, y, true)
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

/// The layout of a small-multiples grid.
struct Grid {
    cols: usize,
    /// The shared y ticks and their labels.
    nt: ticks::NumTicks,
    labels: Vec<String>,
    /// Width of the first column's label area and of the gap between columns.
    left: f64,
    gap: f64,
    title_h: f64,
    row_gap: f64,
    /// Under each plot: tick marks, strip and table.
    below: f64,
    dticks: Vec<ticks::DateTick>,
}

fn small_multiples(root: &Area, body: Rect, s: &Shared) -> Res {
    let n = s.plan.series.len().max(1);
    let cols = grid_columns(n);
    let rows = n.div_ceil(cols);
    let (row_gap, gap) = (8.0, 18.0);
    let strip_h = if s.strips { 6.0 + STRIP } else { 0.0 };
    let below = TICK_MARK + strip_h + table_height(s, 1);
    let grid_h = body.height() - date_labels_height();
    let row_h = grid_h / rows as f64;
    // Ticks for panels with two-line titles; titles are wrapped once the width is known.
    let est_h = row_h - 2.0 * lh(TICK) - below - row_gap;
    let (lo, hi) = value_range(s);
    let nt = ticks::nice_ticks(lo, hi, ((est_h / 30.0).floor() as usize).clamp(1, 5));
    let labels = num_labels(&nt, s.fmt);
    let y_title = wrap(&y_title(s.data), LABEL, false, grid_h, 2);
    let left = lh(LABEL) * y_title.len() as f64 + 4.0 + layout::max_width(&labels, TICK) + 10.0;
    let col_w = ((body.width() - 16.0 - left - gap * (cols - 1) as f64) / cols as f64).max(10.0);
    let titles: Vec<Vec<String>> = s
        .plan
        .series
        .iter()
        .map(|p| wrap(&p.name, TICK, true, col_w, 2))
        .collect();
    let title_lines = titles.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let rotated = font(LABEL, false, palette::MUTED).transform(FontTransform::Rotate270);
    let mid = (body.x0, body.y0 + grid_h / 2.0);
    text(
        root,
        &y_title.join("\n"),
        mid,
        &rotated,
        (HPos::Center, VPos::Top),
    )?;
    let (x_lo, x_hi) = s.x_range;
    let x0 = body.x0 + left;
    let map = |d: f64| x0 + (d - x_lo) / (x_hi - x_lo) * col_w;
    let steps = ticks::steps_for(s.data.period);
    let bounds = (x0 - 20.0, x0 + col_w + gap / 2.0);
    let dticks = date_range(s)
        .map(|(a, b)| layout::date_ticks(a, b, &map, bounds, &steps))
        .unwrap_or_default();
    let grid = Grid {
        cols,
        nt,
        labels,
        left,
        gap,
        title_h: lh(TICK) * title_lines as f64 + 6.0,
        row_gap,
        below,
        dticks,
    };
    // Drawing areas: the first column holds the y labels, the others a gap; the band under the
    // last row holds the date labels.
    let xb: Vec<i32> = (0..cols)
        .map(|c| units(left + col_w + c as f64 * (gap + col_w)))
        .collect();
    let yb: Vec<i32> = (1..=rows).map(|r| units(r as f64 * row_h)).collect();
    let cells = layout::area(root, body).split_by_breakpoints(xb, yb);
    for (k, title) in titles.iter().enumerate() {
        let cell = &cells[(k / cols) * (cols + 1) + k % cols];
        panel(root, cell, s, &grid, k, title)?;
    }
    Ok(())
}

/// Panel `k` of a grid: its series over the others in grey, its title, strip, table and, under
/// the lowest panel of each column, the date labels.
fn panel(root: &Area, cell: &Area, s: &Shared, g: &Grid, k: usize, title: &[String]) -> Res {
    let first_col = k.is_multiple_of(g.cols);
    let key_days = g.dticks.iter().map(|t| day_number(t.date) as f64).collect();
    let (x_lo, x_hi) = s.x_range;
    let mut chart = ChartBuilder::on(cell)
        .margin_top(units(g.title_h))
        .margin_bottom(units(g.row_gap))
        .x_label_area_size(units(g.below))
        .y_label_area_size(units(if first_col { g.left } else { g.gap }))
        .build_cartesian_2d(
            keyed(x_lo, x_hi, key_days),
            keyed(g.nt.lo, g.nt.hi, g.nt.values.clone()),
        )?;
    let no_label = |_: &f64| String::new();
    let y_label = |v: &f64| match first_col {
        true => label_at(&g.nt.values, &g.labels, *v),
        false => String::new(),
    };
    Mesh::new(&no_label, &y_label).draw(&mut chart)?;
    let plot = layout::plot_rect(&chart);
    let title_style = font(TICK, true, palette::TEXT);
    let at = (plot.x0, plot.y0 - 5.0);
    text(
        root,
        &title.join("\n"),
        at,
        &title_style,
        (HPos::Left, VPos::Bottom),
    )?;
    for (j, other) in s.plan.series.iter().enumerate() {
        if j != k {
            draw_line(&mut chart, &s.xs, &other.values, palette::CONTEXT, 1.0)?;
        }
    }
    draw_series(&mut chart, s, &[k], 1.8, false)?;
    let p = &s.plan.series[k];
    if s.data.show_n == ShowN::Points {
        n_labels(root, &chart, s, p, &p.values)?;
    }
    let x = |d: f64| xpx(&chart, d);
    let mut y = plot.y1 + TICK_MARK + 2.0;
    if s.strips {
        y += 2.0;
        strip(root, &x, (plot.x0, plot.x1), y, p, s.data.period)?;
        y += STRIP + 4.0;
    }
    table(root, &x, s, &[p], plot.x0, y, first_col)?;
    if k + g.cols >= s.plan.series.len() {
        date_labels(root, &g.dticks, &x, y + table_height(s, 1))?;
    }
    Ok(())
}

/// Consecutive runs of slots with values.
fn runs(values: &[Option<f64>]) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut run = Vec::new();
    for (j, v) in values.iter().enumerate() {
        if v.is_some() {
            run.push(j);
        } else if !run.is_empty() {
            out.push(std::mem::take(&mut run));
        }
    }
    if !run.is_empty() {
        out.push(run);
    }
    out
}

/// A line through each run of values (a dot for a run of one).
fn draw_line(
    chart: &mut Plot,
    xs: &[f64],
    values: &[Option<f64>],
    paint: Paint,
    width: f64,
) -> Res {
    for run in runs(values) {
        let pts: Vec<(f64, f64)> = run
            .iter()
            .map(|&j| (xs[j], values[j].unwrap_or(0.0)))
            .collect();
        if pts.len() == 1 {
            let dot = Circle::new(pts[0], units(width + 1.0), paint.fill());
            chart.draw_series(std::iter::once(dot))?;
        } else {
            chart.draw_series(LineSeries::new(pts, paint.stroke(width)))?;
        }
    }
    Ok(())
}

/// The series `own` of a panel: bands, areas or lines, moving averages, dots and hollow points.
fn draw_series(chart: &mut Plot, s: &Shared, own: &[usize], width: f64, dots: bool) -> Res {
    let stacked = s.data.style == TimelineStyle::StackedArea;
    let series: Vec<(&Prepared, &Vec<Option<f64>>)> = own
        .iter()
        .map(|&k| {
            (
                &s.plan.series[k],
                if s.plan.small {
                    &s.plan.series[k].values
                } else {
                    &s.tops[k]
                },
            )
        })
        .collect();
    if stacked {
        if s.plan.small {
            let (p, values) = series[0];
            let pts =
                s.xs.iter()
                    .zip(values)
                    .map(|(x, v)| (*x, v.unwrap_or(0.0).max(0.0)));
            chart.draw_series(AreaSeries::new(pts, 0.0, p.colour.with_alpha(0.35).fill()))?;
        } else {
            draw_stacked(chart, s)?;
        }
    } else {
        for (p, _) in &series {
            draw_band(chart, &s.xs, &p.band, p.colour)?;
        }
    }
    for (p, values) in &series {
        if stacked && !s.plan.small {
            continue;
        }
        match &p.average {
            Some(avg) => {
                draw_line(chart, &s.xs, values, p.colour.with_alpha(0.45), 1.2)?;
                draw_line(chart, &s.xs, avg, p.colour, width + 1.0)?;
            }
            None => draw_line(chart, &s.xs, values, p.colour, width)?,
        }
        if dots && p.average.is_none() {
            let solid = (0..s.xs.len()).filter(|&j| !p.low[j]);
            let at = solid.filter_map(|j| Some((s.xs[j], values[j]?)));
            chart.draw_series(at.map(|c| Circle::new(c, units(3.0), p.colour.fill())))?;
        }
    }
    for (p, values) in &series {
        let low = (0..s.xs.len()).filter(|&j| p.low[j] && p.values[j].is_some());
        let at: Vec<(f64, f64)> = low.filter_map(|j| Some((s.xs[j], values[j]?))).collect();
        let r = units(3.5);
        chart.draw_series(at.iter().map(|c| Circle::new(*c, r, palette::WHITE.fill())))?;
        chart.draw_series(at.iter().map(|c| Circle::new(*c, r, p.colour.stroke(1.5))))?;
    }
    Ok(())
}

/// The interval band of each run of points with bounds.
fn draw_band(chart: &mut Plot, xs: &[f64], band: &[Option<(f64, f64)>], paint: Paint) -> Res {
    let lows: Vec<Option<f64>> = band.iter().map(|b| b.map(|b| b.0)).collect();
    for run in runs(&lows) {
        let Some((&first, &last)) = run.first().zip(run.last()) else {
            continue;
        };
        let mut pts: Vec<(f64, f64)> = run
            .iter()
            .filter_map(|&j| Some((xs[j], band[j]?.1)))
            .collect();
        pts.extend(run.iter().rev().filter_map(|&j| Some((xs[j], band[j]?.0))));
        if first == last {
            // One period: a short vertical bar.
            let (lo, hi) = band[first].unwrap_or_default();
            let bar = [(xs[first], lo), (xs[first], hi)];
            chart.draw_series(std::iter::once(PathElement::new(
                bar,
                paint.with_alpha(0.5).stroke(3.0),
            )))?;
            continue;
        }
        chart.draw_series(std::iter::once(Polygon::new(
            pts,
            paint.with_alpha(BAND_ALPHA).fill(),
        )))?;
    }
    Ok(())
}

/// Stacked areas (one period: stacked bars of a fixed width).
fn draw_stacked(chart: &mut Plot, s: &Shared) -> Res {
    let mut lower = vec![0.0f64; s.xs.len()];
    for (p, t) in s.plan.series.iter().zip(&s.tops) {
        let upper: Vec<f64> = t
            .iter()
            .enumerate()
            .map(|(j, v)| v.unwrap_or(lower[j]))
            .collect();
        if s.xs.len() == 1 {
            let x = s.xs[0];
            let half = (s.x_range.1 - s.x_range.0) * 0.03;
            let bar = Rectangle::new(
                [(x - half, lower[0]), (x + half, upper[0])],
                p.colour.fill(),
            );
            chart.draw_series(std::iter::once(bar))?;
        } else {
            let mut pts: Vec<(f64, f64)> =
                s.xs.iter().copied().zip(upper.iter().copied()).collect();
            let edge = pts.clone();
            pts.extend(s.xs.iter().copied().zip(lower.iter().copied()).rev());
            chart.draw_series(std::iter::once(Polygon::new(pts, p.colour.fill())))?;
            chart.draw_series(std::iter::once(PathElement::new(
                edge,
                palette::WHITE.stroke(0.8),
            )))?;
        }
        lower = upper;
    }
    Ok(())
}

/// "count/total" for a point.
fn n_text((count, total): (Option<u64>, Option<u64>)) -> Option<String> {
    let f = |v: u64| format_number(v as f64, 0);
    match (count, total) {
        (Some(c), Some(t)) => Some(format!("{}/{}", f(c), f(t))),
        (Some(c), None) => Some(f(c)),
        (None, Some(t)) => Some(format!("–/{}", f(t))),
        (None, None) => None,
    }
}

/// n over each point of `p`, skipping a label that would overlap the previous one.
fn n_labels(root: &Area, chart: &Plot, s: &Shared, p: &Prepared, values: &[Option<f64>]) -> Res {
    let style = font(SMALL, false, p.colour);
    let mut prev_right = f64::MIN;
    for ((x, v), n) in s.xs.iter().zip(values).zip(&p.n) {
        let (Some(v), Some(label)) = (v, n_text(*n)) else {
            continue;
        };
        let (px, py) = chart.backend_coord(&(*x, *v));
        let (px, py) = (px as f64 / UNITS, py as f64 / UNITS);
        let w = font::width(&label, SMALL, false);
        if px - w / 2.0 < prev_right + 3.0 {
            continue;
        }
        prev_right = px + w / 2.0;
        text(
            root,
            &label,
            (px, py - 6.0),
            &style,
            (HPos::Center, VPos::Bottom),
        )?;
    }
    Ok(())
}

/// How the counts of `plan` fit periods `width` pixels apart in all: on one line, on two, or not.
fn table_mode(plan: &Plan, xs: &[f64], width: f64) -> Option<TableMode> {
    let span = xs.last().zip(xs.first()).map(|(b, a)| b - a).unwrap_or(0.0);
    let step = xs.windows(2).map(|w| w[1] - w[0]).fold(f64::MAX, f64::min);
    let spacing = if xs.len() < 2 || span <= 0.0 {
        width
    } else {
        width * step / span
    };
    let f = |v: Option<u64>| v.map(|v| format_number(v as f64, 0)).unwrap_or("–".into());
    let cells = plan.series.iter().flat_map(|p| p.n.iter());
    let (mut one, mut two) = (0.0f64, 0.0f64);
    for n in cells.filter(|n| n.0.is_some() || n.1.is_some()) {
        one = one.max(font::width(&format!("{}/{}", f(n.0), f(n.1)), SMALL, false));
        two = two.max(font::width(&f(n.0), SMALL, false).max(font::width(&f(n.1), SMALL, false)));
    }
    if one + 4.0 <= spacing {
        Some(TableMode::One)
    } else if two + 4.0 <= spacing {
        Some(TableMode::Two)
    } else {
        None
    }
}

/// The n table: a row per series from `y`, cells under their periods; the row header ("n/N",
/// or "n" over "N") left of `x0` when `header`.
fn table(
    root: &Area,
    x: &dyn Fn(f64) -> f64,
    s: &Shared,
    rows: &[&Prepared],
    x0: f64,
    y: f64,
    header: bool,
) -> Res {
    let Some(mode) = s.table else {
        return Ok(());
    };
    let row_h = match mode {
        TableMode::One => lh(SMALL),
        TableMode::Two => 2.0 * lh(SMALL) + 3.0,
    };
    let f = |v: Option<u64>| v.map(|v| format_number(v as f64, 0)).unwrap_or("–".into());
    let cells = |p: &Prepared| -> Vec<Option<String>> {
        let text = |n: (Option<u64>, Option<u64>)| match mode {
            TableMode::One => format!("{}/{}", f(n.0), f(n.1)),
            TableMode::Two => format!("{}\n{}", f(n.0), f(n.1)),
        };
        let known = |n: &(Option<u64>, Option<u64>)| n.0.is_some() || n.1.is_some();
        p.n.iter().map(|n| known(n).then(|| text(*n))).collect()
    };
    // The header stands clear of the widest first cell.
    let first_w = rows
        .iter()
        .filter_map(|p| cells(p).into_iter().flatten().next())
        .flat_map(|c| {
            c.split('\n')
                .map(|l| font::width(l, SMALL, false))
                .collect::<Vec<_>>()
        })
        .fold(0.0, f64::max);
    let top = (HPos::Center, VPos::Top);
    for (r, p) in rows.iter().enumerate() {
        let ry = y + 6.0 + r as f64 * row_h;
        let style = font(SMALL, false, palette::TEXT);
        let h = if mode == TableMode::One {
            "n/N"
        } else {
            "n\nN"
        };
        let right = x0 - first_w / 2.0 - 8.0;
        if header && font::width(h, SMALL, true) <= right - layout::PAD {
            let at = (right, ry);
            text(
                root,
                h,
                at,
                &font(SMALL, true, p.colour),
                (HPos::Right, VPos::Top),
            )?;
        }
        for (j, cell) in cells(p).iter().enumerate() {
            if let Some(cell) = cell {
                text(root, cell, (x(s.xs[j]), ry), &style, top)?;
            }
        }
    }
    Ok(())
}

/// A coverage bar with its top at `y`: from the first to the last period with articles (each
/// period half a period either side of its start), gaps marked, clipped to `clip`.
fn strip(
    root: &Area,
    x: &dyn Fn(f64) -> f64,
    clip: (f64, f64),
    y: f64,
    p: &Prepared,
    unit: PeriodUnit,
) -> Res {
    let (Some(first), Some(last)) = (p.coverage.first, p.coverage.last) else {
        return Ok(());
    };
    let half = unit.days() / 2.0;
    let span = |a: Date, b: Date| {
        let x0 = x(day_number(a) as f64 - half).max(clip.0);
        let x1 = x(day_number(b) as f64 + half).min(clip.1);
        Rect {
            x0,
            y0: y,
            x1: x1.max(x0),
            y1: y + STRIP,
        }
    };
    layout::rect(root, span(first, last), p.colour.with_alpha(0.8).fill())?;
    for (a, b) in &p.coverage.gaps {
        layout::gap_mark(root, span(*a, *b))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Format;
    use jiff::civil::date;
    use quick_xml::events::Event;

    /// (text, left, right) of every horizontal text of an SVG, measured with the bundled font.
    fn text_extents(svg: &str) -> Vec<(String, f64, f64)> {
        let mut reader = quick_xml::Reader::from_str(svg);
        let mut out = Vec::new();
        let mut open: Option<(f64, f64, bool, String)> = None;
        loop {
            match reader.read_event().unwrap() {
                Event::Start(e) if e.name().as_ref() == "text" => {
                    let attr = |k: &str| {
                        let a = e.try_get_attribute(k).unwrap();
                        a.map(|a| a.value.to_string())
                    };
                    let rotated = attr("transform").is_some();
                    let x: f64 = attr("x").unwrap().parse().unwrap();
                    let size: f64 = attr("font-size").unwrap().parse().unwrap();
                    let anchor = attr("text-anchor").unwrap_or_default();
                    open = (!rotated).then(|| (x, size, attr("font-weight").is_some(), anchor));
                }
                Event::Text(t) => {
                    if let Some((x, size, bold, anchor)) = open.take() {
                        let text = t.xml10_content().to_string();
                        let w = font::width(&text, size, bold);
                        let left = match anchor.as_str() {
                            "middle" => x - w / 2.0,
                            "end" => x - w,
                            _ => x,
                        };
                        out.push((text, left, left + w));
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        out
    }

    fn points(from: Date, n: i64, step: jiff::Span) -> Vec<TimelinePoint> {
        let mut d = from;
        (0..n)
            .map(|k| {
                let p = TimelinePoint {
                    total: Some(100),
                    ..TimelinePoint::new(d, Some((k % 7) as f64))
                };
                d = d.checked_add(step).unwrap();
                p
            })
            .collect()
    }

    #[test]
    fn no_text_runs_off_the_chart_not_even_the_last_date_label() {
        let month = jiff::Span::new().months(1);
        let cases = [
            (points(date(2021, 1, 1), 18, month), PeriodUnit::Month),
            (points(date(2014, 1, 1), 120, month), PeriodUnit::Month),
            (points(date(2020, 11, 1), 14, month), PeriodUnit::Month),
            (
                points(date(2021, 3, 1), 40, jiff::Span::new().days(1)),
                PeriodUnit::Day,
            ),
            (
                points(date(2021, 1, 4), 30, jiff::Span::new().weeks(1)),
                PeriodUnit::Week,
            ),
            (
                points(date(2019, 1, 1), 12, jiff::Span::new().months(3)),
                PeriodUnit::Quarter,
            ),
        ];
        for (pts, period) in cases {
            for (n, width) in [(2, 1200), (5, 1200), (2, 640), (7, 900)] {
                let series = (0..n)
                    .map(|i| TimelineSeries {
                        name: format!("Outlet number {i} with a longer name"),
                        points: pts.clone(),
                    })
                    .collect();
                let t = Timeline {
                    series,
                    period,
                    show_n: ShowN::Points,
                    ..Default::default()
                };
                let opts = ChartOptions {
                    title: "A title".into(),
                    width,
                    format: Format::Svg,
                    ..Default::default()
                };
                let svg = String::from_utf8(timeline(&t, &opts).unwrap()).unwrap();
                for (text, left, right) in text_extents(&svg) {
                    assert!(
                        left >= 0.0 && right <= width as f64,
                        "{period:?}, {n} series, {width} px: {text:?} spans {left:.1}–{right:.1}"
                    );
                }
            }
        }
    }
}
