//! Horizontal bar charts: top terms (one bar per term, labels cut with "…" when long, values at
//! the bar ends) and keyness (a diverging chart: the target's key words go right in one colour,
//! the reference's go left in another, each labelled beside the zero line).

use serde::{Deserialize, Serialize};

use crate::axis::{self, Linear, NumFormat, Rect};
use crate::font;
use crate::frame::{self, line_height, LegendItem, Mark, LABEL, TICK};
use crate::palette;
use crate::scene::{Align, Scene};
use crate::ticks::{self, format_number};
use crate::{finish, ChartOptions, Result};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BarItem {
    pub label: String,
    pub value: f64,
}

/// Top terms: bars in the order given (the first at the top).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TermBars {
    pub items: Vec<BarItem>,
    /// The x-axis title, e.g. "Occurrences" or "Per million words".
    pub value_label: String,
    /// At most this many bars (fewer when they would be thinner than the text).
    pub max_items: usize,
}

impl Default for TermBars {
    fn default() -> Self {
        TermBars {
            items: Vec::new(),
            value_label: "Occurrences".to_string(),
            max_items: 30,
        }
    }
}

/// A keyword and its keyness score: positive when key in the target, negative when key in the
/// reference (e.g. signed log-likelihood or Log Ratio).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeynessItem {
    pub term: String,
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Keyness {
    /// Names of the two subcorpora, shown in the legend.
    pub target: String,
    pub reference: String,
    pub items: Vec<KeynessItem>,
    /// The x-axis title.
    pub score_label: String,
    /// At most this many words on each side (the strongest).
    pub max_per_side: usize,
}

impl Default for Keyness {
    fn default() -> Self {
        Keyness {
            target: "Target".to_string(),
            reference: "Reference".to_string(),
            items: Vec::new(),
            score_label: "Log-likelihood (G²)".to_string(),
            max_per_side: 15,
        }
    }
}

const ROW_MIN: f64 = 15.0;

/// Draws a top-terms bar chart.
pub fn term_bars(data: &TermBars, opts: &ChartOptions) -> Result<Vec<u8>> {
    opts.validate()?;
    finish(&term_bars_scene(data, opts), opts)
}

/// How many rows fit in `height` (at least one).
fn rows_that_fit(height: f64) -> usize {
    ((height / ROW_MIN).floor() as usize).max(1)
}

fn bar_frame_height(opts: &ChartOptions, notes_guess: usize) -> f64 {
    // A cheap estimate of the plot height before notes are known: the frame is redrawn after.
    let f = frame::frame(opts, &[], &vec![String::from("x"); notes_guess]);
    f.y1 - f.y0 - axis::date_axis_height()
}

pub(crate) fn term_bars_scene(data: &TermBars, opts: &ChartOptions) -> Scene {
    let valid: Vec<&BarItem> = data.items.iter().filter(|i| i.value.is_finite()).collect();
    let mut notes = Vec::new();
    let dropped = data.items.len() - valid.len();
    if dropped > 0 {
        notes.push(format!(
            "{} without a numeric value not shown.",
            format_number(dropped as f64, 0)
        ));
    }
    let fit = rows_that_fit(bar_frame_height(opts, notes.len() + 1));
    let cap = data.max_items.max(1).min(fit);
    if valid.len() > cap {
        notes.push(format!(
            "Showing the first {} of {} terms.",
            cap,
            format_number(valid.len() as f64, 0)
        ));
    }
    if valid.is_empty() {
        notes.push("No data to show.".to_string());
    }
    let items: Vec<&BarItem> = valid.into_iter().take(cap).collect();
    let mut f = frame::frame(opts, &[], &notes);
    let content = Rect {
        x0: f.x0,
        y0: f.y0,
        x1: f.x1,
        y1: f.y1,
    };
    let lo = items.iter().map(|i| i.value).fold(0.0, f64::min);
    let hi = items.iter().map(|i| i.value).fold(0.0, f64::max);
    let max_label = content.width() * 0.3;
    let labels: Vec<String> = items
        .iter()
        .map(|i| font::ellipsize(&i.label, LABEL, false, max_label))
        .collect();
    let label_w = labels
        .iter()
        .map(|l| font::width(l, LABEL, false))
        .fold(0.0, f64::max);
    let values: Vec<String> = items.iter().map(|i| ticks::format_count(i.value)).collect();
    let value_w = values
        .iter()
        .map(|v| font::width(v, TICK, false))
        .fold(0.0, f64::max);
    let plot = Rect {
        x0: content.x0 + label_w + 10.0,
        y0: content.y0,
        x1: content.x1 - value_w - 10.0,
        y1: content.y1 - axis::date_axis_height(),
    };
    let max_ticks = ((plot.width() / 90.0).floor() as usize).clamp(2, 10);
    let nt = ticks::nice_ticks(lo, hi, max_ticks);
    let tick_labels = axis::num_labels(&nt, NumFormat::Number);
    let x = Linear::new(nt.lo, nt.hi, plot.x0, plot.x1);
    axis::x_num_axis(&mut f.scene, plot, &nt, &tick_labels, &x);
    let title = data.value_label.trim();
    if !title.is_empty() {
        let t = font::ellipsize(title, LABEL, false, plot.width());
        f.scene.text(
            (plot.x0 + plot.x1) / 2.0,
            plot.y1 + 6.0 + line_height(TICK),
            &t,
            LABEL,
            false,
            palette::MUTED,
            Align::Middle,
        );
    }
    let n = items.len().max(1);
    let row = plot.height() / n as f64;
    let bar = (row * 0.72).min(34.0);
    for (k, item) in items.iter().enumerate() {
        let cy = plot.y0 + (k as f64 + 0.5) * row;
        let (a, b) = (x.map(0.0), x.map(item.value));
        f.scene.rect(
            a.min(b),
            cy - bar / 2.0,
            a.max(b),
            cy + bar / 2.0,
            Some(palette::series(0)),
            None,
        );
        f.scene.text(
            content.x0 + label_w,
            cy - LABEL * 0.45,
            &labels[k],
            LABEL,
            false,
            palette::TEXT,
            Align::End,
        );
        let (vx, align) = if item.value >= 0.0 {
            (a.max(b) + 4.0, Align::Start)
        } else {
            (a.min(b) - 4.0, Align::End)
        };
        f.scene.text(
            vx,
            cy - TICK * 0.45,
            &values[k],
            TICK,
            false,
            palette::MUTED,
            align,
        );
    }
    f.scene
}

/// Draws a keyness chart.
pub fn keyness(data: &Keyness, opts: &ChartOptions) -> Result<Vec<u8>> {
    opts.validate()?;
    finish(&keyness_scene(data, opts), opts)
}

pub(crate) fn keyness_scene(data: &Keyness, opts: &ChartOptions) -> Scene {
    let target_name = if data.target.trim().is_empty() {
        "target"
    } else {
        data.target.trim()
    };
    let reference_name = if data.reference.trim().is_empty() {
        "reference"
    } else {
        data.reference.trim()
    };
    let mut pos: Vec<&KeynessItem> = data
        .items
        .iter()
        .filter(|i| i.score.is_finite() && i.score > 0.0)
        .collect();
    let mut neg: Vec<&KeynessItem> = data
        .items
        .iter()
        .filter(|i| i.score.is_finite() && i.score < 0.0)
        .collect();
    // Strongest first, ties by term, so the order never depends on the input's.
    pos.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.term.cmp(&b.term)));
    neg.sort_by(|a, b| a.score.total_cmp(&b.score).then(a.term.cmp(&b.term)));
    let legend = vec![
        LegendItem {
            mark: Mark::Swatch(palette::TARGET),
            label: format!("More frequent in {target_name}"),
        },
        LegendItem {
            mark: Mark::Swatch(palette::REFERENCE),
            label: format!("More frequent in {reference_name}"),
        },
    ];
    let mut notes = Vec::new();
    let f0 = frame::frame(opts, &legend, &[String::new(), String::new()]);
    let fit = rows_that_fit(f0.y1 - f0.y0 - axis::date_axis_height());
    let per_side = data.max_per_side.max(1);
    let (mut np, mut nn) = (pos.len().min(per_side), neg.len().min(per_side));
    while np + nn > fit {
        if np >= nn {
            np -= 1;
        } else {
            nn -= 1;
        }
    }
    if (np < pos.len() || nn < neg.len()) && neg.is_empty() {
        notes.push(format!(
            "Showing the {} strongest of {} key words in {}; none in {}.",
            np,
            format_number(pos.len() as f64, 0),
            target_name,
            reference_name
        ));
    } else if np < pos.len() || nn < neg.len() {
        notes.push(format!(
            "Showing the {} strongest of {} key words in {} and {} of {} in {}.",
            np,
            format_number(pos.len() as f64, 0),
            target_name,
            nn,
            format_number(neg.len() as f64, 0),
            reference_name
        ));
    }
    if np + nn == 0 {
        notes.push("No key words to show.".to_string());
    }
    pos.truncate(np);
    // The reference's strongest at the bottom.
    let mut shown_neg: Vec<&KeynessItem> = neg.into_iter().take(nn).collect();
    shown_neg.reverse();
    let mut f = frame::frame(opts, &legend, &notes);
    let content = Rect {
        x0: f.x0,
        y0: f.y0,
        x1: f.x1,
        y1: f.y1,
    };
    let max_label = content.width() * 0.22;
    let label = |i: &KeynessItem| font::ellipsize(&i.term, LABEL, false, max_label);
    let lt = pos
        .iter()
        .map(|i| font::width(&label(i), LABEL, false))
        .fold(0.0, f64::max);
    let lr = shown_neg
        .iter()
        .map(|i| font::width(&label(i), LABEL, false))
        .fold(0.0, f64::max);
    let plot = Rect {
        x0: content.x0 + 4.0,
        y0: content.y0,
        x1: content.x1 - 4.0,
        y1: content.y1 - axis::date_axis_height(),
    };
    let tmax = pos.first().map(|i| i.score).unwrap_or(0.0);
    let rmax = shown_neg.last().map(|i| -i.score).unwrap_or(0.0);
    let max_ticks = ((plot.width() / 90.0).floor() as usize).clamp(2, 10);
    let nt = ticks::nice_ticks(-rmax, tmax, max_ticks);
    // Place zero so that the scale is as large as possible while the labels beside the zero
    // line fit on their sides.
    let w = plot.width();
    let (dlo, dhi) = (-nt.lo, nt.hi);
    let ideal = w * dlo / (dlo + dhi);
    let min_left = if pos.is_empty() { 0.0 } else { lt + 10.0 };
    let max_left = if shown_neg.is_empty() {
        w
    } else {
        w - lr - 10.0
    };
    let a = ideal.clamp(min_left.min(max_left), max_left.max(min_left));
    let k = match (dlo > 0.0, dhi > 0.0) {
        (true, true) => (a / dlo).min((w - a) / dhi),
        (true, false) => a / dlo,
        (false, true) => (w - a) / dhi,
        _ => 1.0,
    };
    let zero = plot.x0 + a;
    let x = Linear::new(0.0, 1.0, zero, zero + k);
    // Only ticks inside the plot.
    let kept: Vec<(f64, String)> = nt
        .values
        .iter()
        .zip(axis::num_labels(&nt, NumFormat::Number))
        .filter(|(v, _)| {
            let px = x.map(**v);
            px >= plot.x0 - 0.5 && px <= plot.x1 + 0.5
        })
        .map(|(v, l)| (*v, l))
        .collect();
    let kt = ticks::NumTicks {
        values: kept.iter().map(|k| k.0).collect(),
        ..nt.clone()
    };
    let kl: Vec<String> = kept.into_iter().map(|k| k.1).collect();
    axis::x_num_axis(&mut f.scene, plot, &kt, &kl, &x);
    let title = data.score_label.trim();
    if !title.is_empty() {
        let t = font::ellipsize(title, LABEL, false, plot.width());
        f.scene.text(
            (plot.x0 + plot.x1) / 2.0,
            plot.y1 + 6.0 + line_height(TICK),
            &t,
            LABEL,
            false,
            palette::MUTED,
            Align::Middle,
        );
    }
    let rows: Vec<&KeynessItem> = pos.iter().chain(shown_neg.iter()).copied().collect();
    let n = rows.len().max(1);
    let row = plot.height() / n as f64;
    let bar = (row * 0.72).min(30.0);
    for (j, item) in rows.iter().enumerate() {
        let cy = plot.y0 + (j as f64 + 0.5) * row;
        let end = x.map(item.score);
        let positive = item.score > 0.0;
        let colour = if positive {
            palette::TARGET
        } else {
            palette::REFERENCE
        };
        f.scene.rect(
            zero.min(end),
            cy - bar / 2.0,
            zero.max(end),
            cy + bar / 2.0,
            Some(colour),
            None,
        );
        let (lx, align) = if positive {
            (zero - 6.0, Align::End)
        } else {
            (zero + 6.0, Align::Start)
        };
        f.scene.text(
            lx,
            cy - LABEL * 0.45,
            &label(item),
            LABEL,
            false,
            palette::TEXT,
            align,
        );
    }
    f.scene
        .segment(zero, plot.y0, zero, plot.y1, palette::AXIS, 1.0);
    f.scene
}
