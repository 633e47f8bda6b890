//! Heatmaps: rows (regions or sources) × columns (periods), coloured on Paul Tol's sequential
//! YlOrBr scale with a colour bar; missing cells in grey (named in a legend), cell values written
//! in the cells when they fit, column labels thinned so that they never overlap.

use serde::{Deserialize, Serialize};

use crate::axis::{self, Linear, NumFormat, Rect};
use crate::font;
use crate::frame::{self, line_height, TICK};
use crate::palette;
use crate::scene::{Align, Paint, Scene};
use crate::ticks::{self, format_number};
use crate::timeline::Measure;
use crate::{finish, ChartOptions, Result};

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
    finish(&heatmap_scene(data, opts), opts)
}

fn cell(data: &Heatmap, r: usize, c: usize) -> Option<f64> {
    data.values
        .get(r)
        .and_then(|row| row.get(c))
        .copied()
        .flatten()
        .filter(|v| v.is_finite())
}

pub(crate) fn heatmap_scene(data: &Heatmap, opts: &ChartOptions) -> Scene {
    let fmt = match data.measure {
        Measure::Count => NumFormat::Number,
        Measure::Share => NumFormat::Percent,
    };
    let mut notes = Vec::new();
    // Rows that fit at 14 px each, at most max_rows.
    let est = frame::frame(opts, &[], &[String::new(), String::new()]);
    let fit_rows = (((est.y1 - est.y0 - 2.0 * line_height(TICK)) / 14.0).floor() as usize).max(1);
    let n_rows = data.rows.len().min(data.max_rows.max(1)).min(fit_rows);
    let n_cols_all = data.columns.len();
    let n_cols = n_cols_all.min(data.max_columns.max(1));
    let col_offset = n_cols_all - n_cols;
    if n_rows < data.rows.len() {
        notes.push(format!(
            "Showing the first {} of {} rows.",
            n_rows,
            format_number(data.rows.len() as f64, 0)
        ));
    }
    if n_cols < n_cols_all {
        notes.push(format!(
            "Showing the last {} of {} columns.",
            n_cols,
            format_number(n_cols_all as f64, 0)
        ));
    }
    if n_rows == 0 || n_cols == 0 {
        notes.push("No data to show.".to_string());
    }
    let mut lo = 0.0f64;
    let mut hi = 0.0f64;
    let mut missing = false;
    for r in 0..n_rows {
        for c in 0..n_cols {
            match cell(data, r, c + col_offset) {
                Some(v) => {
                    lo = lo.min(v);
                    hi = hi.max(v);
                }
                None => missing = true,
            }
        }
    }
    let mut f = frame::frame(opts, &[], &notes);
    let content = Rect {
        x0: f.x0,
        y0: f.y0,
        x1: f.x1,
        y1: f.y1,
    };
    let nt = ticks::nice_ticks(
        lo,
        if hi > lo {
            hi
        } else {
            lo + if fmt == NumFormat::Percent { 0.01 } else { 1.0 }
        },
        5,
    );
    let bar_labels = axis::num_labels(&nt, fmt);
    let bar_label_w = axis::max_width(&bar_labels);
    let title = data.value_label.trim();
    let title_w = font::width(title, TICK, true).min(160.0);
    let missing_w = if missing {
        22.0 + font::width("no data", TICK, false)
    } else {
        0.0
    };
    let side = (16.0 + 6.0 + bar_label_w).max(title_w).max(missing_w) + 20.0;
    let row_labels: Vec<String> = data.rows[..n_rows]
        .iter()
        .map(|r| font::ellipsize(r, TICK, false, content.width() * 0.25))
        .collect();
    let row_label_w = axis::max_width(&row_labels);
    let plot = Rect {
        x0: content.x0 + row_label_w + 8.0,
        y0: content.y0,
        x1: content.x1 - side,
        y1: content.y1 - 6.0 - line_height(TICK),
    };
    let cw = plot.width() / n_cols.max(1) as f64;
    let rh = (plot.height() / n_rows.max(1) as f64).min(72.0);
    let grid_bottom = plot.y0 + rh * n_rows as f64;
    let colour_of = |v: f64| palette::sequential((v - nt.lo) / (nt.hi - nt.lo));
    // Cell values: the longest formatted value must fit in a cell.
    let show_values = match data.cell_values {
        CellValues::Never => false,
        CellValues::Always => true,
        CellValues::Auto => {
            let widest = (0..n_rows)
                .flat_map(|r| (0..n_cols).map(move |c| (r, c)))
                .filter_map(|(r, c)| cell(data, r, c + col_offset))
                .map(|v| {
                    font::width(
                        &axis::format_value(v, fmt),
                        if rh >= 24.0 { 12.0 } else { 11.0 },
                        false,
                    )
                })
                .fold(0.0, f64::max);
            widest + 6.0 <= cw && rh >= 15.0
        }
    };
    let value_size = if rh >= 15.0 {
        11.0
    } else {
        (rh - 3.0).max(6.0)
    };
    // Row labels never taller than their rows.
    let label_size = TICK.min(rh - 2.0).max(7.0);
    for (r, row_label) in row_labels.iter().enumerate() {
        let y0 = plot.y0 + r as f64 * rh;
        for c in 0..n_cols {
            let x0 = plot.x0 + c as f64 * cw;
            let v = cell(data, r, c + col_offset);
            let fill = v.map(colour_of).unwrap_or(palette::MISSING);
            f.scene.rect(x0, y0, x0 + cw, y0 + rh, Some(fill), None);
            if let (true, Some(v)) = (show_values, v) {
                let ink = if fill.luminance() < 0.35 {
                    Paint::rgb(255, 255, 255)
                } else {
                    palette::TEXT
                };
                f.scene.text(
                    x0 + cw / 2.0,
                    y0 + rh / 2.0 - value_size * 0.4,
                    &axis::format_value(v, fmt),
                    value_size,
                    false,
                    ink,
                    Align::Middle,
                );
            }
        }
        // Thin white separators keep rows apart when cells are large enough.
        if rh >= 8.0 && r > 0 {
            f.scene.segment(
                plot.x0,
                y0,
                plot.x0 + cw * n_cols as f64,
                y0,
                Paint::rgb(255, 255, 255),
                1.0,
            );
        }
        f.scene.text(
            plot.x0 - 8.0,
            y0 + rh / 2.0 - label_size * 0.45,
            row_label,
            label_size,
            false,
            palette::TEXT,
            Align::End,
        );
    }
    if cw >= 8.0 {
        for c in 1..n_cols {
            let x = plot.x0 + c as f64 * cw;
            f.scene
                .segment(x, plot.y0, x, grid_bottom, Paint::rgb(255, 255, 255), 1.0);
        }
    }
    // Column labels: every k-th, k the smallest step that keeps them 10 px apart.
    let col_labels: Vec<&str> = data.columns[col_offset..]
        .iter()
        .map(|s| s.as_str())
        .collect();
    let widest = col_labels
        .iter()
        .map(|l| font::width(l, TICK, false).min(160.0))
        .fold(0.0, f64::max);
    let step = if cw > 0.0 {
        (((widest + 10.0) / cw).ceil() as usize).max(1)
    } else {
        1
    };
    let mut c = 0;
    while c < n_cols {
        let x = plot.x0 + (c as f64 + 0.5) * cw;
        let l = font::ellipsize(col_labels[c], TICK, false, 160.0);
        f.scene.text(
            x,
            grid_bottom + 6.0,
            &l,
            TICK,
            false,
            palette::MUTED,
            Align::Middle,
        );
        c += step;
    }
    // The colour bar.
    let bx = plot.x1 + 20.0;
    let by0 = plot.y0 + line_height(TICK) + 8.0;
    let by1 = (by0 + 220.0).min(grid_bottom.max(by0 + 60.0));
    if !title.is_empty() {
        let t = font::ellipsize(title, TICK, true, side - 20.0);
        f.scene
            .text(bx, plot.y0, &t, TICK, true, palette::TEXT, Align::Start);
    }
    let steps = 64;
    let y = Linear::new(nt.lo, nt.hi, by1, by0);
    for i in 0..steps {
        let a = nt.lo + (nt.hi - nt.lo) * i as f64 / steps as f64;
        let b = nt.lo + (nt.hi - nt.lo) * (i + 1) as f64 / steps as f64;
        let mid = (a + b) / 2.0;
        // Each step overlaps the next by a pixel: no seams between anti-aliased edges.
        let top = if i + 1 < steps {
            y.map(b) - 1.0
        } else {
            y.map(b)
        };
        f.scene
            .rect(bx, top, bx + 16.0, y.map(a), Some(colour_of(mid)), None);
    }
    f.scene
        .rect(bx, by0, bx + 16.0, by1, None, Some((palette::AXIS, 0.8)));
    for (v, l) in nt.values.iter().zip(&bar_labels) {
        let py = y.map(*v);
        f.scene
            .segment(bx + 16.0, py, bx + 20.0, py, palette::AXIS, 1.0);
        f.scene.text(
            bx + 23.0,
            py - TICK * 0.4,
            l,
            TICK,
            false,
            palette::MUTED,
            Align::Start,
        );
    }
    if missing {
        let my = by1 + 14.0;
        f.scene.rect(
            bx,
            my,
            bx + 16.0,
            my + 12.0,
            Some(palette::MISSING),
            Some((palette::AXIS, 0.8)),
        );
        f.scene.text(
            bx + 22.0,
            my + 6.0 - TICK * 0.45,
            "no data",
            TICK,
            false,
            palette::MUTED,
            Align::Start,
        );
    }
    f.scene
}
