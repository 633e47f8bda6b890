//! What surrounds every plot: title, subtitle, a legend that wraps into rows, and notes under the
//! plot (wrapped to the width). It returns the box left for the chart's own axes and marks.

use crate::font;
use crate::palette;
use crate::scene::{Align, Paint, Scene};
use crate::ChartOptions;

pub(crate) const PAD: f64 = 18.0;
pub(crate) const TITLE: f64 = 20.0;
pub(crate) const SUBTITLE: f64 = 14.0;
pub(crate) const LABEL: f64 = 13.0;
pub(crate) const TICK: f64 = 12.0;
pub(crate) const NOTE: f64 = 12.0;
pub(crate) const LEGEND: f64 = 13.0;

/// Line height for text of `size`.
pub(crate) fn line_height(size: f64) -> f64 {
    (size * 1.35).round()
}

/// What a legend entry shows before its label.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Mark {
    Line(Paint),
    Swatch(Paint),
    /// A hollow circle: a point resting on a small denominator.
    Hollow(Paint),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LegendItem {
    pub mark: Mark,
    pub label: String,
}

/// The scene with title, legend and notes drawn, and the box left for the plot.
pub(crate) struct Frame {
    pub scene: Scene,
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

/// Greedy word wrap of `text` to `width` pixels; words longer than a line are cut with "…".
pub(crate) fn wrap(text: &str, size: f64, width: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if font::width(&candidate, size, false) <= width {
            line = candidate;
        } else {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            line = font::ellipsize(word, size, false, width);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

const MARK_W: f64 = 22.0;
const MARK_GAP: f64 = 6.0;
const ITEM_GAP: f64 = 20.0;
const MAX_LEGEND_ROWS: usize = 4;

fn draw_mark(scene: &mut Scene, mark: &Mark, x: f64, cy: f64) {
    match mark {
        Mark::Line(p) => scene.segment(x, cy, x + MARK_W, cy, *p, 2.5),
        Mark::Swatch(p) => scene.rect(
            x + 4.0,
            cy - 6.0,
            x + MARK_W - 4.0,
            cy + 6.0,
            Some(*p),
            None,
        ),
        Mark::Hollow(p) => scene.circle(
            x + MARK_W / 2.0,
            cy,
            4.0,
            Some(Paint::rgb(255, 255, 255)),
            Some((*p, 1.5)),
        ),
    }
}

/// Lays out legend items in rows within `width`; returns (row, x offset) per item and the
/// number of rows.
/// Long labels are cut shorter and shorter until the legend takes at most `MAX_LEGEND_ROWS`.
fn legend_rows(items: &[LegendItem], width: f64) -> (Vec<(usize, f64, String)>, usize) {
    let full = (width - MARK_W - MARK_GAP).max(20.0);
    let mut result = legend_rows_at(items, width, full);
    for parts in [2.0, 3.0, 4.0, 6.0] {
        if result.1 <= MAX_LEGEND_ROWS {
            break;
        }
        let cut = (width / parts - MARK_W - MARK_GAP - ITEM_GAP).max(40.0);
        result = legend_rows_at(items, width, cut);
    }
    result
}

fn legend_rows_at(
    items: &[LegendItem],
    width: f64,
    max_label: f64,
) -> (Vec<(usize, f64, String)>, usize) {
    let mut placed = Vec::new();
    let (mut row, mut x) = (0usize, 0f64);
    for item in items {
        let label = font::ellipsize(&item.label, LEGEND, false, max_label);
        let w = MARK_W + MARK_GAP + font::width(&label, LEGEND, false);
        if x > 0.0 && x + w > width {
            row += 1;
            x = 0.0;
        }
        placed.push((row, x, label));
        x += w + ITEM_GAP;
    }
    let rows = if items.is_empty() { 0 } else { row + 1 };
    (placed, rows)
}

/// Draws the frame. `notes` are the chart's own notes, printed after the options' notes.
pub(crate) fn frame(opts: &ChartOptions, legend: &[LegendItem], notes: &[String]) -> Frame {
    crate::font::register();
    let (w, h) = (opts.width as f64, opts.height as f64);
    let mut scene = Scene::new(w, h);
    let inner = w - 2.0 * PAD;
    let mut y = PAD;
    let title = opts.title.trim();
    if !title.is_empty() {
        let t = font::ellipsize(title, TITLE, true, inner);
        scene.text(PAD, y, &t, TITLE, true, palette::TEXT, Align::Start);
        y += line_height(TITLE);
    }
    if let Some(sub) = opts
        .subtitle
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        for line in wrap(sub, SUBTITLE, inner).into_iter().take(2) {
            scene.text(PAD, y, &line, SUBTITLE, false, palette::MUTED, Align::Start);
            y += line_height(SUBTITLE);
        }
    }
    if !legend.is_empty() {
        y += 4.0;
        let (placed, rows) = legend_rows(legend, inner);
        let rows = rows.min(MAX_LEGEND_ROWS);
        let lh = line_height(LEGEND) + 4.0;
        for ((row, x, label), item) in placed.iter().zip(legend) {
            if *row >= rows {
                break;
            }
            let top = y + *row as f64 * lh;
            let cy = top + LEGEND * 0.45;
            draw_mark(&mut scene, &item.mark, PAD + x, cy);
            scene.text(
                PAD + x + MARK_W + MARK_GAP,
                top,
                label,
                LEGEND,
                false,
                palette::TEXT,
                Align::Start,
            );
        }
        y += rows as f64 * lh;
    }
    if y > PAD {
        y += 8.0;
    }
    // Notes from the bottom up.
    let mut lines: Vec<String> = Vec::new();
    for n in opts.notes.iter().chain(notes) {
        lines.extend(wrap(n, NOTE, inner));
    }
    // Keep at most a quarter of the height for notes.
    let max_lines = ((h / 4.0) / line_height(NOTE)).floor().max(1.0) as usize;
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            *last = font::ellipsize(&format!("{last} …"), NOTE, false, inner);
        }
    }
    let mut bottom = h - PAD;
    for line in lines.iter().rev() {
        bottom -= line_height(NOTE);
        scene.text(PAD, bottom, line, NOTE, false, palette::MUTED, Align::Start);
    }
    if !lines.is_empty() {
        bottom -= 8.0;
    }
    Frame {
        scene,
        x0: PAD,
        y0: y,
        x1: w - PAD,
        y1: bottom.max(y + 10.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_words_and_width() {
        let lines = wrap(
            "one two three four five six seven eight nine ten",
            12.0,
            80.0,
        );
        assert!(lines.len() > 1);
        for l in &lines {
            assert!(font::width(l, 12.0, false) <= 80.0, "{l}");
        }
        assert!(wrap("", 12.0, 80.0).is_empty());
        let long = wrap(&"x".repeat(500), 12.0, 80.0);
        assert_eq!(long.len(), 1);
        assert!(long[0].ends_with('…'));
    }

    #[test]
    fn legend_wraps_into_rows() {
        let items: Vec<LegendItem> = (0..30)
            .map(|i| LegendItem {
                mark: Mark::Line(palette::series(i)),
                label: format!("Series number {i}"),
            })
            .collect();
        let (placed, rows) = legend_rows_at(&items, 600.0, 600.0);
        assert!(rows > 3);
        assert!(placed.iter().all(|(_, x, _)| *x < 600.0));
        // Nine items with very long labels still fit in four rows, cut.
        let long: Vec<LegendItem> = (0..9)
            .map(|i| LegendItem {
                mark: Mark::Line(palette::series(i)),
                label: format!("{i} {}", "a long outlet name ".repeat(10)),
            })
            .collect();
        let (placed, rows) = legend_rows(&long, 1164.0);
        assert!(rows <= MAX_LEGEND_ROWS, "{rows}");
        assert!(placed.iter().all(|(_, _, l)| l.ends_with('…')));
    }
}
