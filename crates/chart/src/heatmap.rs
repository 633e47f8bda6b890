//! Heatmaps on plotters' chart layer: rows (regions or sources) × columns (periods) as
//! rectangles coloured on Paul Tol's sequential YlOrBr scale, with a colour bar drawn as a second
//! chart; missing cells in grey (named under the bar), cell values written in the cells when they
//! fit, column labels thinned so that they never overlap.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};

use crate::canvas::units;
use crate::font;
use crate::layout::{
    self, clean, font, format_value, keyed, label_at, lh, num_labels, page, text, Area, Mesh,
    NumFormat, Rect, Res, TICK,
};
use crate::palette;
use crate::ticks::{self, format_number};
use crate::timeline::Measure;
use crate::{ChartOptions, Result};

/// Whether values are written in the cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CellValues {
    /// When the cells are large enough for the text.
    #[default]
    Auto,
    Always,
    Never,
}

/// A heatmap: `values[row][column]`; missing rows or cells (and NaN) are drawn as "no data".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Heatmap {
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    pub values: Vec<Vec<Option<f64>>>,
    /// What the colours mean (the colour bar's title).
    pub value_label: String,
    pub measure: Measure,
    pub cell_values: CellValues,
    /// At most this many rows (the first ones) and columns (the last ones) are drawn.
    pub max_rows: usize,
    pub max_columns: usize,
}

impl Default for Heatmap {
    fn default() -> Self {
        Heatmap {
            rows: Vec::new(),
            columns: Vec::new(),
            values: Vec::new(),
            value_label: "Articles".to_string(),
            measure: Measure::Count,
            cell_values: CellValues::Auto,
            max_rows: 60,
            max_columns: 400,
        }
    }
}

/// Draws a heatmap.
pub fn heatmap(data: &Heatmap, opts: &ChartOptions) -> Result<Vec<u8>> {
    opts.validate()?;
    crate::draw(opts, |root| draw(root, data, opts))
}

fn cell(data: &Heatmap, r: usize, c: usize) -> Option<f64> {
    data.values
        .get(r)
        .and_then(|row| row.get(c))
        .copied()
        .flatten()
        .filter(|v| v.is_finite())
}

/// Rows, columns and notes of what is drawn.
struct Shown {
    rows: usize,
    cols: usize,
    /// The first column drawn (the last ones are kept).
    offset: usize,
    notes: Vec<String>,
}

fn shown(data: &Heatmap, opts: &ChartOptions) -> Shown {
    let mut notes = Vec::new();
    // Rows that fit at 14 px each, at most max_rows.
    let est = layout::body(opts, &[], &[String::new(), String::new()]);
    let fit_rows = (((est.height() - 2.0 * lh(TICK)) / 14.0).floor() as usize).max(1);
    let rows = data.rows.len().min(data.max_rows.max(1)).min(fit_rows);
    let all = data.columns.len();
    let cols = all.min(data.max_columns.max(1));
    if rows < data.rows.len() {
        notes.push(format!(
            "Showing the first {} of {} rows.",
            rows,
            format_number(data.rows.len() as f64, 0)
        ));
    }
    if cols < all {
        notes.push(format!(
            "Showing the last {} of {} columns.",
            cols,
            format_number(all as f64, 0)
        ));
    }
    if rows == 0 || cols == 0 {
        notes.push("No data to show.".to_string());
    }
    Shown {
        rows,
        cols,
        offset: all - cols,
        notes,
    }
}

fn draw(root: &Area, data: &Heatmap, opts: &ChartOptions) -> Res {
    let fmt = match data.measure {
        Measure::Count => NumFormat::Number,
        Measure::Share => NumFormat::Percent,
    };
    let sh = shown(data, opts);
    let (n_rows, n_cols) = (sh.rows, sh.cols);
    let values: Vec<Vec<Option<f64>>> = (0..n_rows)
        .map(|r| (0..n_cols).map(|c| cell(data, r, c + sh.offset)).collect())
        .collect();
    let all = values.iter().flatten();
    let lo = all.clone().flatten().copied().fold(0.0, f64::min);
    let hi = all.clone().flatten().copied().fold(0.0, f64::max);
    let missing = all.clone().any(|v| v.is_none());
    let body = page(root, opts, &[], &sh.notes)?;
    let empty = if fmt == NumFormat::Percent { 0.01 } else { 1.0 };
    let nt = ticks::nice_ticks(lo, if hi > lo { hi } else { lo + empty }, 5);
    let bar_labels = num_labels(&nt, fmt);
    let title = clean(&data.value_label);
    let side = (16.0 + 6.0 + layout::max_width(&bar_labels, TICK))
        .max(font::width(&title, TICK, true).min(160.0))
        .max(if missing {
            22.0 + font::width("no data", TICK, false)
        } else {
            0.0
        })
        + 20.0;
    let row_labels: Vec<String> = data.rows[..n_rows]
        .iter()
        .map(|r| font::ellipsize(&clean(r), TICK, false, body.width() * 0.25))
        .collect();
    let label_h = 6.0 + lh(TICK);
    let cw =
        (body.width() - side - layout::max_width(&row_labels, TICK) - 8.0) / n_cols.max(1) as f64;
    let rh = ((body.height() - label_h) / n_rows.max(1) as f64).min(72.0);
    // Row labels never taller than their rows.
    let label_size = TICK.min(rh - 2.0).max(7.0);
    let row_labels: Vec<String> = row_labels
        .iter()
        .map(|l| font::ellipsize(l, label_size, false, body.width() * 0.25))
        .collect();
    let grid = Rect {
        x1: body.x1 - side,
        y1: body.y0 + rh * n_rows as f64 + label_h,
        ..body
    };
    // Column labels: every k-th, k the smallest step that keeps them 10 px apart.
    let col_labels: Vec<String> = data.columns[sh.offset..]
        .iter()
        .map(|s| font::ellipsize(&clean(s), TICK, false, 160.0))
        .collect();
    let widest = layout::max_width(&col_labels, TICK);
    let step = if cw > 0.0 {
        (((widest + 10.0) / cw).ceil() as usize).max(1)
    } else {
        1
    };
    let col_keys: Vec<f64> = (0..n_cols).step_by(step).map(|c| c as f64 + 0.5).collect();
    let col_text: Vec<String> = (0..n_cols)
        .step_by(step)
        .map(|c| col_labels[c].clone())
        .collect();
    let row_keys: Vec<f64> = (0..n_rows).map(|r| r as f64 + 0.5).collect();
    let mut chart = ChartBuilder::on(&layout::area(root, grid))
        .x_label_area_size(units(label_h))
        .y_label_area_size(units(layout::max_width(&row_labels, label_size) + 8.0))
        .build_cartesian_2d(
            keyed(0.0, n_cols.max(1) as f64, col_keys.clone()),
            keyed(n_rows.max(1) as f64, 0.0, row_keys.clone()),
        )?;
    let x_label = |v: &f64| label_at(&col_keys, &col_text, *v);
    let y_label = |v: &f64| label_at(&row_keys, &row_labels, *v);
    let mut mesh = Mesh::new(&x_label, &y_label);
    mesh.y_grid = false;
    mesh.x_tick = 3.0;
    mesh.y_label_size = label_size;
    mesh.y_label_paint = palette::TEXT;
    mesh.draw(&mut chart)?;
    let colour_of = |v: f64| palette::sequential((v - nt.lo) / (nt.hi - nt.lo));
    let cells = values.iter().enumerate().flat_map(|(r, row)| {
        row.iter().enumerate().map(move |(c, v)| {
            let fill = v.map(colour_of).unwrap_or(palette::MISSING);
            let (x, y) = (c as f64, r as f64);
            Rectangle::new([(x, y), (x + 1.0, y + 1.0)], fill.fill())
        })
    });
    chart.draw_series(cells)?;
    // Thin white separators keep cells apart when they are large enough.
    let (w, h) = (n_cols as f64, n_rows as f64);
    let white = palette::WHITE.stroke(1.0);
    if rh >= 8.0 {
        let lines =
            (1..n_rows).map(|r| PathElement::new(vec![(0.0, r as f64), (w, r as f64)], white));
        chart.draw_series(lines)?;
    }
    if cw >= 8.0 {
        let lines =
            (1..n_cols).map(|c| PathElement::new(vec![(c as f64, 0.0), (c as f64, h)], white));
        chart.draw_series(lines)?;
    }
    if show_values(data, &values, fmt, (cw, rh)) {
        let size = if rh >= 15.0 {
            11.0
        } else {
            (rh - 3.0).max(6.0)
        };
        for (r, row) in values.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let Some(v) = v else { continue };
                let ink = if colour_of(*v).luminance() < 0.35 {
                    palette::WHITE
                } else {
                    palette::TEXT
                };
                let style = font(size, false, ink).pos(Pos::new(HPos::Center, VPos::Center));
                let label = Text::new(
                    format_value(*v, fmt),
                    (c as f64 + 0.5, r as f64 + 0.5),
                    style,
                );
                chart.draw_series(std::iter::once(label))?;
            }
        }
    }
    let bar = Rect {
        x0: body.x1 - side + 20.0,
        y0: body.y0,
        x1: body.x1,
        y1: grid.y1 - label_h,
    };
    colour_bar(root, bar, &nt, &bar_labels, &title, missing)
}

/// Whether values are written in the cells: always, never, or when the longest fits.
fn show_values(
    data: &Heatmap,
    values: &[Vec<Option<f64>>],
    fmt: NumFormat,
    (cw, rh): (f64, f64),
) -> bool {
    match data.cell_values {
        CellValues::Never => false,
        CellValues::Always => true,
        CellValues::Auto => {
            let size = if rh >= 24.0 { 12.0 } else { 11.0 };
            let widest = values
                .iter()
                .flatten()
                .flatten()
                .map(|v| font::width(&format_value(*v, fmt), size, false))
                .fold(0.0, f64::max);
            widest + 6.0 <= cw && rh >= 15.0
        }
    }
}

/// The colour bar at `r`: its title, a chart of 64 steps with the value labels at its right, and
/// the "no data" swatch under it.
fn colour_bar(
    root: &Area,
    r: Rect,
    nt: &ticks::NumTicks,
    labels: &[String],
    title: &str,
    missing: bool,
) -> Res {
    let top = (HPos::Left, VPos::Top);
    let bold = font(TICK, true, palette::TEXT);
    text(
        root,
        &font::ellipsize(title, TICK, true, r.width()),
        (r.x0, r.y0),
        &bold,
        top,
    )?;
    let y0 = r.y0 + lh(TICK) + 8.0;
    let y1 = (y0 + 220.0).min(r.y1.max(y0 + 60.0));
    let area = Rect {
        y0: y0 - 0.5,
        y1: y1 + 0.5,
        ..r
    };
    let mut chart = ChartBuilder::on(&layout::area(root, area))
        .right_y_label_area_size(units(r.width() - 16.0))
        .build_cartesian_2d(
            keyed(0.0, 1.0, vec![]),
            keyed(nt.lo, nt.hi, nt.values.clone()),
        )?;
    let no_label = |_: &f64| String::new();
    let y_label = |v: &f64| label_at(&nt.values, labels, *v);
    let mut mesh = Mesh::new(&no_label, &y_label);
    mesh.y_grid = false;
    mesh.y_tick = 3.0;
    mesh.draw(&mut chart)?;
    let steps = 64;
    let colour = |t: f64| palette::sequential(t);
    let span = nt.hi - nt.lo;
    let rects = (0..steps).map(|i| {
        let a = nt.lo + span * i as f64 / steps as f64;
        // Each step overlaps the next: no seams between anti-aliased edges.
        let b =
            nt.lo + span * ((i + 1) as f64 / steps as f64 + if i + 1 < steps { 0.01 } else { 0.0 });
        Rectangle::new(
            [(0.0, a), (1.0, b.min(nt.hi))],
            colour((i as f64 + 0.5) / steps as f64).fill(),
        )
    });
    chart.draw_series(rects)?;
    let frame = Rectangle::new([(0.0, nt.lo), (1.0, nt.hi)], palette::AXIS.stroke(0.8));
    chart.draw_series(std::iter::once(frame))?;
    if missing {
        let my = y1 + 14.0;
        let swatch = Rect {
            x0: r.x0,
            y0: my,
            x1: r.x0 + 16.0,
            y1: my + 12.0,
        };
        layout::rect(root, swatch, palette::MISSING.fill())?;
        layout::rect(root, swatch, palette::AXIS.stroke(0.8))?;
        let style = font(TICK, false, palette::MUTED);
        text(
            root,
            "no data",
            (r.x0 + 22.0, my + 6.0),
            &style,
            (HPos::Left, VPos::Center),
        )?;
    }
    Ok(())
}
