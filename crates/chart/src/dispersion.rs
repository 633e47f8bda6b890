//! Dispersion plots, like AntConc's concordance plot, on plotters' chart layer: one row per term,
//! a tick for each article where it occurs along the corpus ordered by date (by relative position
//! from 0 to 1, or by date), and each term's number of hits beside its row.

use jiff::civil::Date;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use serde::{Deserialize, Serialize};

use crate::canvas::units;
use crate::font;
use crate::layout::{
    self, clean, date_labels, date_labels_height, font, keyed, label_at, lh, num_labels, page,
    text, Area, Mesh, NumFormat, Rect, Res, LABEL, TICK, TICK_MARK,
};
use crate::palette::{self, Paint};
use crate::ticks::{self, day_number, format_number};
use crate::{ChartOptions, Result};

/// The x-axis of a dispersion plot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DispersionAxis {
    /// The article's place in the corpus ordered by date, 0 (first) to 1 (last).
    #[default]
    Position,
    /// The article's date (hits without one are left out and counted in a note).
    Date,
}

/// Where a term occurs: one article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DispersionHit {
    /// 0 to 1 (values outside are clamped, NaN is left out).
    pub position: f64,
    #[serde(default)]
    pub date: Option<Date>,
    /// Occurrences in that article.
    #[serde(default = "one")]
    pub count: u32,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DispersionRow {
    pub term: String,
    pub hits: Vec<DispersionHit>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Dispersion {
    pub rows: Vec<DispersionRow>,
    pub axis: DispersionAxis,
    /// Articles in the corpus, for the note under the plot.
    pub articles: Option<u64>,
    /// At most this many rows (the first ones).
    pub max_rows: usize,
}

impl Default for Dispersion {
    fn default() -> Self {
        Dispersion {
            rows: Vec::new(),
            axis: DispersionAxis::Position,
            articles: None,
            max_rows: 30,
        }
    }
}

/// Draws a dispersion plot.
pub fn dispersion(data: &Dispersion, opts: &ChartOptions) -> Result<Vec<u8>> {
    opts.validate()?;
    crate::draw(opts, |root| draw(root, data, opts))
}

/// Where a hit goes on the x-axis (a day number or a position), if it is drawn.
fn hit_x(h: &DispersionHit, by_date: bool) -> Option<f64> {
    if by_date {
        Some(day_number(h.date?) as f64)
    } else if h.position.is_finite() {
        Some(h.position.clamp(0.0, 1.0))
    } else {
        None
    }
}

fn draw(root: &Area, data: &Dispersion, opts: &ChartOptions) -> Res {
    let mut notes = Vec::new();
    let by_date = data.axis == DispersionAxis::Date;
    let axis_h = TICK_MARK
        + 2.0
        + if by_date {
            date_labels_height()
        } else {
            6.0 + lh(TICK)
        }
        + lh(LABEL);
    let est = layout::body(opts, &[], &[String::new(), String::new()]);
    let fit = (((est.height() - axis_h - lh(TICK)) / 14.0).floor() as usize).max(1);
    let n = data.rows.len().min(data.max_rows.max(1)).min(fit);
    if n < data.rows.len() {
        notes.push(format!(
            "Showing the first {} of {} terms.",
            n,
            format_number(data.rows.len() as f64, 0)
        ));
    }
    let rows = &data.rows[..n];
    let dates: Vec<Date> = rows
        .iter()
        .flat_map(|r| r.hits.iter().filter_map(|h| h.date))
        .collect();
    let (d_lo, d_hi) = (dates.iter().min().copied(), dates.iter().max().copied());
    if by_date {
        let undated = rows
            .iter()
            .flat_map(|r| &r.hits)
            .filter(|h| h.date.is_none())
            .count();
        if undated > 0 {
            notes.push(format!(
                "Not shown: {} undated {}.",
                format_number(undated as f64, 0),
                if undated == 1 { "article" } else { "articles" }
            ));
        }
    }
    if let Some(a) = data.articles {
        notes.push(format!(
            "One tick per article containing the term; {} articles ordered by date.",
            format_number(a as f64, 0)
        ));
    }
    if rows.is_empty() {
        notes.push("No data to show.".to_string());
    }
    let body = page(root, opts, &[], &notes)?;
    let labels: Vec<String> = rows
        .iter()
        .map(|r| font::ellipsize(&clean(&r.term), LABEL, false, body.width() * 0.25))
        .collect();
    let counts: Vec<String> = rows
        .iter()
        .map(|r| {
            let hits = r.hits.iter().filter(|h| hit_x(h, by_date).is_some());
            format_number(hits.map(|h| h.count as u64).sum::<u64>() as f64, 0)
        })
        .collect();
    let count_w = layout::max_width(&counts, TICK).max(font::width("Hits", TICK, true));
    let header_h = lh(TICK) + 2.0;
    let row_h = ((body.height() - header_h - axis_h) / n.max(1) as f64).min(72.0);
    let area = Rect {
        y1: body.y0 + header_h + row_h * n.max(1) as f64 + axis_h,
        ..body
    };
    let (x_lo, x_hi, desc) = if by_date {
        let (a, b) = match (d_lo, d_hi) {
            (Some(a), Some(b)) if a < b => (day_number(a) as f64, day_number(b) as f64),
            (Some(a), _) => (day_number(a) as f64 - 15.0, day_number(a) as f64 + 15.0),
            _ => (0.0, 1.0),
        };
        (a, b, "Date")
    } else {
        (
            0.0,
            1.0,
            "Position in the corpus (articles ordered by date)",
        )
    };
    let label_w = layout::max_width(&labels, LABEL) + 10.0;
    let plot_x = (body.x0 + label_w, body.x1 - count_w - 14.0);
    let quarters = ticks::NumTicks {
        values: vec![0.0, 0.25, 0.5, 0.75, 1.0],
        step: 0.25,
        lo: 0.0,
        hi: 1.0,
    };
    let map = |d: f64| plot_x.0 + (d - x_lo) / (x_hi - x_lo) * (plot_x.1 - plot_x.0);
    let dticks = match (by_date, d_lo, d_hi) {
        (true, Some(a), Some(b)) => {
            layout::date_ticks(a, b, &map, (plot_x.0 - 20.0, body.x1), &ticks::DATE_STEPS)
        }
        _ => Vec::new(),
    };
    let keys: Vec<f64> = if by_date {
        dticks.iter().map(|t| day_number(t.date) as f64).collect()
    } else {
        quarters.values.clone()
    };
    let centres: Vec<f64> = (0..n).map(|k| k as f64 + 0.5).collect();
    let mut chart = ChartBuilder::on(&layout::area(root, area))
        .margin_top(units(header_h))
        .margin_right(units(count_w + 14.0))
        .x_label_area_size(units(axis_h))
        .y_label_area_size(units(label_w))
        .build_cartesian_2d(
            keyed(x_lo, x_hi, keys),
            keyed(n.max(1) as f64, 0.0, centres.clone()),
        )?;
    let pct = num_labels(&quarters, NumFormat::Percent);
    let x_label = |v: &f64| {
        if by_date {
            String::new()
        } else {
            label_at(&quarters.values, &pct, *v)
        }
    };
    let y_label = |v: &f64| label_at(&centres, &labels, *v);
    let mut mesh = Mesh::new(&x_label, &y_label);
    mesh.x_grid = true;
    mesh.y_grid = false;
    mesh.y_tick = 4.0;
    mesh.y_label_size = LABEL;
    mesh.y_label_paint = palette::TEXT;
    mesh.x_desc = desc.to_string();
    mesh.draw(&mut chart)?;
    let plot = layout::plot_rect(&chart);
    let x = |d: f64| plot.x0 + (d - x_lo) / (x_hi - x_lo) * plot.width();
    date_labels(root, &dticks, &x, plot.y1 + TICK_MARK + 2.0)?;
    let bold = font(TICK, true, palette::TEXT);
    text(
        root,
        "Hits",
        (body.x1, body.y0),
        &bold,
        (HPos::Right, VPos::Top),
    )?;
    let muted = font(TICK, false, palette::MUTED);
    let ink = Paint::hex(0x1F1F1F);
    for (k, r) in rows.iter().enumerate() {
        let (y0, y1) = (k as f64 + 0.06, k as f64 + 0.94);
        let band = [(x_lo, y0), (x_hi, y1)];
        chart.draw_series(std::iter::once(Rectangle::new(
            band,
            Paint::hex(0xFAFAFA).fill(),
        )))?;
        chart.draw_series(std::iter::once(Rectangle::new(
            band,
            Paint::hex(0xB0B0B0).stroke(0.8),
        )))?;
        // One tick per distinct quarter-pixel column, in order.
        let mut cols: Vec<i64> = r
            .hits
            .iter()
            .filter_map(|h| hit_x(h, by_date))
            .map(|v| (x(v) * 4.0).round() as i64)
            .collect();
        cols.sort_unstable();
        cols.dedup();
        let (py0, py1) = (plot.y0 + (y0 + 0.03) * row_h, plot.y0 + (y1 - 0.03) * row_h);
        for c in cols {
            let px = c as f64 / 4.0;
            layout::line(root, &[(px, py0), (px, py1)], ink, 1.0)?;
        }
        let cy = plot.y0 + (k as f64 + 0.5) * row_h;
        text(
            root,
            &counts[k],
            (body.x1, cy),
            &muted,
            (HPos::Right, VPos::Center),
        )?;
    }
    Ok(())
}
