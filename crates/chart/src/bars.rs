//! Horizontal bar charts on plotters' chart layer: top terms (one bar per term, labels cut with
//! "…" when long, values at the bar ends) and keyness (a diverging chart: the target's key words
//! go right in one colour, the reference's go left in another, each labelled beside the zero
//! line).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};

use crate::canvas::units;
use crate::font;
use crate::layout::{
    self, clean, font, keyed, label_at, lh, num_labels, page, Area, LegendItem, Mark, Mesh,
    NumFormat, Plot, Rect, Res, LABEL, TICK,
};
use crate::palette::{self, Paint};
use crate::ticks::{self, format_number};
use crate::{ChartOptions, Result};

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

/// The height under a bar chart's plot: tick labels and the axis title.
fn axis_height() -> f64 {
    6.0 + lh(TICK) + lh(LABEL)
}

/// How many rows fit in `height` (at least one).
fn rows_that_fit(height: f64) -> usize {
    ((height / ROW_MIN).floor() as usize).max(1)
}

/// A bar chart's frame in `body`: the value axis `x` along the bottom (plotters' mesh with
/// vertical grid lines and `desc` under it) and `rows` rows from the top, labelled with
/// `row_labels` at their left when there are any.
struct Frame<'s> {
    x: (f64, f64),
    ticks: &'s ticks::NumTicks,
    rows: usize,
    row_labels: &'s [String],
    desc: &'s str,
    /// Space kept left and right of the plot.
    margins: (f64, f64),
}

fn frame<'b>(root: &Area<'b>, body: Rect, f: &Frame) -> Res<Plot<'static, 'b>> {
    let centres: Vec<f64> = (0..f.rows).map(|k| k as f64 + 0.5).collect();
    let label_w = if f.row_labels.is_empty() {
        0.0
    } else {
        layout::max_width(f.row_labels, LABEL) + 10.0
    };
    let mut chart = ChartBuilder::on(&layout::area(root, body))
        .margin_left(units(f.margins.0))
        .margin_right(units(f.margins.1))
        .x_label_area_size(units(axis_height()))
        .y_label_area_size(units(label_w))
        .build_cartesian_2d(
            keyed(f.x.0, f.x.1, f.ticks.values.clone()),
            keyed(f.rows.max(1) as f64, 0.0, centres.clone()),
        )?;
    let tick_labels = num_labels(f.ticks, NumFormat::Number);
    let x_label = |v: &f64| label_at(&f.ticks.values, &tick_labels, *v);
    let y_label = |v: &f64| label_at(&centres, f.row_labels, *v);
    let mut mesh = Mesh::new(&x_label, &y_label);
    mesh.x_grid = true;
    mesh.y_grid = false;
    mesh.y_tick = 4.0;
    mesh.y_label_size = LABEL;
    mesh.y_label_paint = palette::TEXT;
    mesh.x_desc = f.desc.to_string();
    mesh.draw(&mut chart)?;
    Ok(chart)
}

/// A bar from 0 to `v` in row `k`, `thick` rows thick.
fn bar(chart: &mut Plot, k: usize, v: f64, thick: f64, paint: Paint) -> Res {
    let c = k as f64 + 0.5;
    let r = Rectangle::new([(0.0, c - thick / 2.0), (v, c + thick / 2.0)], paint.fill());
    chart.draw_series(std::iter::once(r))?;
    Ok(())
}

/// `label` beside the point (`v`, row `k`), `dx` pixels off, aligned by `h`.
fn beside(
    chart: &mut Plot,
    (v, k): (f64, usize),
    label: &str,
    dx: f64,
    h: HPos,
    style: &TextStyle,
) -> Res {
    let style = style.pos(Pos::new(h, VPos::Center));
    let at =
        EmptyElement::at((v, k as f64 + 0.5)) + Text::new(label.to_string(), (units(dx), 0), style);
    chart.draw_series(std::iter::once(at))?;
    Ok(())
}

/// Draws a top-terms bar chart.
pub fn term_bars(data: &TermBars, opts: &ChartOptions) -> Result<Vec<u8>> {
    opts.validate()?;
    crate::draw(opts, |root| draw_term_bars(root, data, opts))
}

fn draw_term_bars(root: &Area, data: &TermBars, opts: &ChartOptions) -> Res {
    let valid: Vec<&BarItem> = data.items.iter().filter(|i| i.value.is_finite()).collect();
    let mut notes = Vec::new();
    let dropped = data.items.len() - valid.len();
    if dropped > 0 {
        notes.push(format!(
            "{} without a numeric value not shown.",
            format_number(dropped as f64, 0)
        ));
    }
    let est = layout::body(opts, &[], &vec![String::from("x"); notes.len() + 1]);
    let cap = data
        .max_items
        .max(1)
        .min(rows_that_fit(est.height() - axis_height()));
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
    let body = page(root, opts, &[], &notes)?;
    let lo = items.iter().map(|i| i.value).fold(0.0, f64::min);
    let hi = items.iter().map(|i| i.value).fold(0.0, f64::max);
    let labels: Vec<String> = items
        .iter()
        .map(|i| font::ellipsize(&clean(&i.label), LABEL, false, body.width() * 0.3))
        .collect();
    let values: Vec<String> = items.iter().map(|i| ticks::format_count(i.value)).collect();
    let value_w = layout::max_width(&values, TICK) + 10.0;
    let plot_w = body.width() - layout::max_width(&labels, LABEL) - 10.0 - value_w;
    let nt = ticks::nice_ticks(lo, hi, ((plot_w / 90.0).floor() as usize).clamp(2, 10));
    let desc = clean(&data.value_label);
    let spec = Frame {
        x: (nt.lo, nt.hi),
        ticks: &nt,
        rows: items.len(),
        row_labels: &labels,
        desc: &desc,
        margins: (0.0, value_w),
    };
    let mut chart = frame(root, body, &spec)?;
    let row_px = layout::plot_rect(&chart).height() / items.len().max(1) as f64;
    let thick = 0.72f64.min(34.0 / row_px);
    let style = font(TICK, false, palette::MUTED);
    for (k, item) in items.iter().enumerate() {
        bar(&mut chart, k, item.value, thick, palette::series(0))?;
        let (dx, h) = if item.value >= 0.0 {
            (4.0, HPos::Left)
        } else {
            (-4.0, HPos::Right)
        };
        beside(&mut chart, (item.value, k), &values[k], dx, h, &style)?;
    }
    Ok(())
}

/// Draws a keyness chart.
pub fn keyness(data: &Keyness, opts: &ChartOptions) -> Result<Vec<u8>> {
    opts.validate()?;
    crate::draw(opts, |root| draw_keyness(root, data, opts))
}

fn draw_keyness(root: &Area, data: &Keyness, opts: &ChartOptions) -> Res {
    let name = |s: &str, default: &str| {
        let s = clean(s);
        if s.is_empty() {
            default.to_string()
        } else {
            s
        }
    };
    let target_name = name(&data.target, "target");
    let reference_name = name(&data.reference, "reference");
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
    let est = layout::body(opts, &legend, &[String::new(), String::new()]);
    let fit = rows_that_fit(est.height() - axis_height());
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
    let body = page(root, opts, &legend, &notes)?;
    let label =
        |i: &KeynessItem| font::ellipsize(&clean(&i.term), LABEL, false, body.width() * 0.22);
    let widest = |items: &[&KeynessItem]| {
        let labels: Vec<String> = items.iter().map(|i| label(i)).collect();
        layout::max_width(&labels, LABEL)
    };
    let (lt, lr) = (widest(&pos), widest(&shown_neg));
    let w = body.width() - 8.0;
    let tmax = pos.first().map(|i| i.score).unwrap_or(0.0);
    let rmax = shown_neg.last().map(|i| -i.score).unwrap_or(0.0);
    let nt = ticks::nice_ticks(-rmax, tmax, ((w / 90.0).floor() as usize).clamp(2, 10));
    // Place zero so that the scale is as large as possible while the labels beside the zero
    // line fit on their sides.
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
    let x = (-a / k, (w - a) / k);
    // Only ticks inside the plot.
    let kept = ticks::NumTicks {
        values: nt
            .values
            .iter()
            .copied()
            .filter(|v| *v >= x.0 - 1e-9 && *v <= x.1 + 1e-9)
            .collect(),
        ..nt.clone()
    };
    let rows: Vec<&KeynessItem> = pos.iter().chain(shown_neg.iter()).copied().collect();
    let desc = clean(&data.score_label);
    let spec = Frame {
        x,
        ticks: &kept,
        rows: rows.len(),
        row_labels: &[],
        desc: &desc,
        margins: (4.0, 4.0),
    };
    let mut chart = frame(root, body, &spec)?;
    let row_px = layout::plot_rect(&chart).height() / rows.len().max(1) as f64;
    let thick = 0.72f64.min(30.0 / row_px);
    let style = font(LABEL, false, palette::TEXT);
    for (j, item) in rows.iter().enumerate() {
        let positive = item.score > 0.0;
        let (colour, dx, h) = if positive {
            (palette::TARGET, -6.0, HPos::Right)
        } else {
            (palette::REFERENCE, 6.0, HPos::Left)
        };
        bar(&mut chart, j, item.score, thick, colour)?;
        beside(&mut chart, (0.0, j), &label(item), dx, h, &style)?;
    }
    let n = rows.len().max(1) as f64;
    let zero = PathElement::new(vec![(0.0, 0.0), (0.0, n)], palette::AXIS.stroke(1.0));
    chart.draw_series(std::iter::once(zero))?;
    Ok(())
}
