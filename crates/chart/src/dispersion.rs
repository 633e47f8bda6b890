//! Dispersion plots, like AntConc's concordance plot: one row per term, a tick for each article
//! where it occurs along the corpus ordered by date (by relative position from 0 to 1, or by
//! date), and each term's number of hits beside its row.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::axis::{self, Linear, NumFormat, Rect};
use crate::font;
use crate::frame::{self, line_height, LABEL, TICK};
use crate::palette;
use crate::scene::{Align, Paint, Scene};
use crate::ticks::{self, format_number};
use crate::{finish, ChartOptions, Result};

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
    finish(&dispersion_scene(data, opts), opts)
}

pub(crate) fn dispersion_scene(data: &Dispersion, opts: &ChartOptions) -> Scene {
    let mut notes = Vec::new();
    let est = frame::frame(opts, &[], &[String::new(), String::new()]);
    let fit = (((est.y1 - est.y0 - axis::date_axis_height() - line_height(TICK)) / 14.0).floor()
        as usize)
        .max(1);
    let n = data.rows.len().min(data.max_rows.max(1)).min(fit);
    if n < data.rows.len() {
        notes.push(format!(
            "Showing the first {} of {} terms.",
            n,
            format_number(data.rows.len() as f64, 0)
        ));
    }
    let rows = &data.rows[..n];
    let by_date = data.axis == DispersionAxis::Date;
    let dates: Vec<Date> = rows
        .iter()
        .flat_map(|r| r.hits.iter().filter_map(|h| h.date))
        .collect();
    let (d_lo, d_hi) = (dates.iter().min().copied(), dates.iter().max().copied());
    if by_date {
        let undated: u64 = rows
            .iter()
            .flat_map(|r| r.hits.iter())
            .filter(|h| h.date.is_none())
            .count() as u64;
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
    let mut f = frame::frame(opts, &[], &notes);
    let content = Rect {
        x0: f.x0,
        y0: f.y0,
        x1: f.x1,
        y1: f.y1,
    };
    let labels: Vec<String> = rows
        .iter()
        .map(|r| font::ellipsize(&r.term, LABEL, false, content.width() * 0.25))
        .collect();
    let label_w = axis::max_width_at(&labels, LABEL);
    let counts: Vec<u64> = rows
        .iter()
        .map(|r| {
            r.hits
                .iter()
                .filter(|h| !by_date || h.date.is_some())
                .filter(|h| by_date || h.position.is_finite())
                .map(|h| h.count as u64)
                .sum()
        })
        .collect();
    let count_labels: Vec<String> = counts.iter().map(|c| format_number(*c as f64, 0)).collect();
    let count_w = axis::max_width_at(&count_labels, TICK).max(font::width("Hits", TICK, true));
    let header_h = line_height(TICK) + 2.0;
    let plot = Rect {
        x0: content.x0 + label_w + 10.0,
        y0: content.y0 + header_h,
        x1: content.x1 - count_w - 14.0,
        y1: content.y1 - axis::date_axis_height() - line_height(TICK),
    };
    f.scene.text(
        content.x1,
        content.y0,
        "Hits",
        TICK,
        true,
        palette::TEXT,
        Align::End,
    );
    let (x, axis_title) = if by_date {
        let (a, b) = match (d_lo, d_hi) {
            (Some(a), Some(b)) if a < b => {
                (ticks::day_number(a) as f64, ticks::day_number(b) as f64)
            }
            (Some(a), _) => (
                ticks::day_number(a) as f64 - 15.0,
                ticks::day_number(a) as f64 + 15.0,
            ),
            _ => (0.0, 1.0),
        };
        (Linear::new(a, b, plot.x0, plot.x1), "Date")
    } else {
        (
            Linear::new(0.0, 1.0, plot.x0, plot.x1),
            "Position in the corpus (articles ordered by date)",
        )
    };
    let row_h = (plot.height() / n.max(1) as f64).min(72.0);
    let grid_bottom = plot.y0 + row_h * n as f64;
    let axis_box = Rect {
        y0: plot.y0 + 3.0,
        y1: grid_bottom,
        ..plot
    };
    if by_date {
        if let (Some(a), Some(b)) = (d_lo, d_hi) {
            let t =
                axis::choose_date_ticks(a, b, &x, plot.x0 - 20.0, content.x1, &ticks::DATE_STEPS);
            axis::x_date_axis(&mut f.scene, axis_box, &t, &x, true, true);
        }
    } else {
        let nt = ticks::NumTicks {
            values: vec![0.0, 0.25, 0.5, 0.75, 1.0],
            step: 0.25,
            lo: 0.0,
            hi: 1.0,
        };
        let l = axis::num_labels(&nt, NumFormat::Percent);
        axis::x_num_axis(&mut f.scene, axis_box, &nt, &l, &x);
    }
    let title_y = grid_bottom
        + 6.0
        + if by_date {
            2.0 * line_height(TICK)
        } else {
            line_height(TICK)
        };
    f.scene.text(
        (plot.x0 + plot.x1) / 2.0,
        title_y,
        axis_title,
        LABEL,
        false,
        palette::MUTED,
        Align::Middle,
    );
    let ink = Paint::hex(0x1F1F1F);
    for (k, r) in rows.iter().enumerate() {
        let y0 = plot.y0 + k as f64 * row_h;
        let (ty0, ty1) = (y0 + 3.0, y0 + row_h - 3.0);
        f.scene.rect(
            plot.x0,
            ty0,
            plot.x1,
            ty1,
            Some(Paint::hex(0xFAFAFA)),
            Some((Paint::hex(0xB0B0B0), 0.8)),
        );
        // One tick per distinct quarter-pixel column, in order.
        let mut cols: Vec<i64> = r
            .hits
            .iter()
            .filter_map(|h| {
                let v = if by_date {
                    ticks::day_number(h.date?) as f64
                } else if h.position.is_finite() {
                    h.position.clamp(0.0, 1.0)
                } else {
                    return None;
                };
                Some((x.map(v) * 4.0).round() as i64)
            })
            .collect();
        cols.sort_unstable();
        cols.dedup();
        for c in cols {
            let px = c as f64 / 4.0;
            f.scene.segment(px, ty0 + 1.0, px, ty1 - 1.0, ink, 1.0);
        }
        let cy = (ty0 + ty1) / 2.0;
        f.scene.text(
            plot.x0 - 8.0,
            cy - LABEL * 0.45,
            &labels[k],
            LABEL,
            false,
            palette::TEXT,
            Align::End,
        );
        f.scene.text(
            content.x1,
            cy - TICK * 0.4,
            &count_labels[k],
            TICK,
            false,
            palette::MUTED,
            Align::End,
        );
    }
    f.scene
}
