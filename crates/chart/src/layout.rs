//! What every chart shares, on plotters drawing areas: text styles in logical pixels, clean labels,
//! word wrapping (inside long URLs too), the page (title, subtitle, a legend in rows, notes under
//! the plot), and axes on plotters' mesh with Broadsheet's own ticks and date labels.

use std::collections::VecDeque;
use std::convert::Infallible;

use jiff::civil::Date;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::canvas::{self, block_height, units, Canvas, UNITS};
use crate::font::{self, FONT_FAMILY};
use crate::palette::{self, Paint};
use crate::ticks::{self, DateStep, DateTick, NumTicks};
use crate::ChartOptions;

pub(crate) type Area<'a> = DrawingArea<Canvas<'a>, Shift>;
pub(crate) type Res<T = ()> = Result<T, DrawingAreaErrorKind<Infallible>>;
pub(crate) type Plot<'a, 'b> = ChartContext<'a, Canvas<'b>, Cartesian2d<Keyed, Keyed>>;

pub(crate) const PAD: f64 = 18.0;
pub(crate) const TITLE: f64 = 22.0;
pub(crate) const SUBTITLE: f64 = 15.0;
pub(crate) const LABEL: f64 = 14.0;
pub(crate) const TICK: f64 = 13.0;
pub(crate) const NOTE: f64 = 13.0;
pub(crate) const LEGEND: f64 = 14.0;
/// Counts printed on points and in tables.
pub(crate) const SMALL: f64 = 12.0;
/// The length of tick marks under a plot.
pub(crate) const TICK_MARK: f64 = 4.0;

/// The distance between lines of text of `size`.
pub(crate) fn lh(size: f64) -> f64 {
    size * canvas::LINE
}

/// A box in logical pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    pub fn width(&self) -> f64 {
        self.x1 - self.x0
    }
    pub fn height(&self) -> f64 {
        self.y1 - self.y0
    }
}

/// The drawing area of `r` (logical pixels on the canvas).
pub(crate) fn area<'a>(root: &Area<'a>, r: Rect) -> Area<'a> {
    root.clone().shrink(
        (units(r.x0), units(r.y0)),
        (units(r.width().max(0.1)), units(r.height().max(0.1))),
    )
}

/// The plotting box of a chart, in logical pixels.
pub(crate) fn plot_rect(chart: &Plot) -> Rect {
    let (x, y) = chart.plotting_area().get_pixel_range();
    Rect {
        x0: x.start as f64 / UNITS,
        y0: y.start as f64 / UNITS,
        x1: x.end as f64 / UNITS,
        y1: y.end as f64 / UNITS,
    }
}

/// A label as drawn: control characters (line breaks, tabs, escapes) become spaces, characters
/// XML forbids are dropped, runs of spaces are one, ends trimmed.
pub(crate) fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() || c.is_whitespace() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else if canvas::xml_char(c) {
            out.push(c);
        }
    }
    out.trim().to_string()
}

pub(crate) fn font(size: f64, bold: bool, paint: Paint) -> TextStyle<'static> {
    let weight = if bold {
        FontStyle::Bold
    } else {
        FontStyle::Normal
    };
    FontDesc::new(FontFamily::Name(FONT_FAMILY), size * UNITS, weight).color(&paint.rgba())
}

/// Draws `text` (lines separated by `\n`) anchored at (`x`, `y`) logical pixels of `root`.
pub(crate) fn text(
    root: &Area,
    text: &str,
    (x, y): (f64, f64),
    style: &TextStyle,
    (h, v): (HPos, VPos),
) -> Res {
    if text.is_empty() || !x.is_finite() || !y.is_finite() {
        return Ok(());
    }
    let style = style.pos(Pos::new(h, v));
    root.draw(&Text::new(text, (units(x), units(y)), style))
}

pub(crate) fn line(root: &Area, pts: &[(f64, f64)], paint: Paint, width: f64) -> Res {
    if pts.len() < 2 || pts.iter().any(|(x, y)| !x.is_finite() || !y.is_finite()) {
        return Ok(());
    }
    let pts: Vec<(i32, i32)> = pts.iter().map(|&(x, y)| (units(x), units(y))).collect();
    root.draw(&PathElement::new(pts, paint.stroke(width)))
}

pub(crate) fn rect(root: &Area, r: Rect, style: ShapeStyle) -> Res {
    if ![r.x0, r.y0, r.x1, r.y1].iter().all(|v| v.is_finite()) {
        return Ok(());
    }
    let (a, b) = ((units(r.x0), units(r.y0)), (units(r.x1), units(r.y1)));
    root.draw(&Rectangle::new([a, b], style))
}

/// Greedy wrapping of `text` into lines of at most `width` pixels, at most `max_lines` of them
/// (the last cut with "…" when text remains). Lines break between words; a word longer than a
/// line (a feed URL) breaks after `/ . - _ ? & = :` where it can, anywhere else where it must.
pub(crate) fn wrap(text: &str, size: f64, bold: bool, width: f64, max_lines: usize) -> Vec<String> {
    let fits = |s: &str| font::width(s, size, bold) <= width;
    let mut words: VecDeque<String> = text.split_whitespace().map(String::from).collect();
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    while lines.len() < max_lines {
        let Some(word) = words.pop_front() else { break };
        let candidate = if line.is_empty() {
            word.clone()
        } else {
            format!("{line} {word}")
        };
        if fits(&candidate) {
            line = candidate;
        } else if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            words.push_front(word);
        } else {
            let (head, tail) = split_word(&word, &fits);
            lines.push(head);
            if !tail.is_empty() {
                words.push_front(tail);
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    } else if !words.is_empty() {
        let rest: Vec<String> = words.into();
        if let Some(last) = lines.last_mut() {
            *last = font::ellipsize(&format!("{last} {}", rest.join(" ")), size, bold, width);
        }
    }
    lines
}

/// The longest start of `word` that fits (at least one character), cut after a break mark when
/// one lies in its second half, and the rest.
fn split_word(word: &str, fits: &dyn Fn(&str) -> bool) -> (String, String) {
    let chars: Vec<char> = word.chars().collect();
    let (mut lo, mut hi) = (1usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if fits(&chars[..mid].iter().collect::<String>()) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let cut = (1..=lo)
        .rev()
        .find(|&k| k * 2 > lo && "/.-_?&=:".contains(chars[k - 1]))
        .unwrap_or(lo);
    (chars[..cut].iter().collect(), chars[cut..].iter().collect())
}

/// What a legend entry shows before its label.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Mark {
    Line(Paint),
    /// A thick line over a thin one: a moving average.
    Average(Paint),
    Swatch(Paint),
    /// A translucent band: an interval.
    Band(Paint),
    /// A hollow circle: a point resting on a small denominator.
    Hollow(Paint),
    /// A coverage bar with a gap.
    Coverage,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LegendItem {
    pub mark: Mark,
    pub label: String,
}

const MARK_W: f64 = 22.0;
const MARK_GAP: f64 = 6.0;
const ITEM_GAP: f64 = 20.0;
/// The legend takes at most this many lines of text.
const MAX_LEGEND_LINES: usize = 6;

fn draw_mark(root: &Area, mark: &Mark, x: f64, cy: f64) -> Res {
    let mid = x + MARK_W / 2.0;
    match mark {
        Mark::Line(p) => line(root, &[(x, cy), (x + MARK_W, cy)], *p, 2.5),
        Mark::Average(p) => {
            line(
                root,
                &[(x, cy + 3.0), (x + MARK_W, cy - 3.0)],
                p.with_alpha(0.5),
                1.2,
            )?;
            line(root, &[(x, cy), (x + MARK_W, cy)], *p, 3.0)
        }
        Mark::Swatch(p) | Mark::Band(p) => {
            let fill = if matches!(mark, Mark::Band(_)) {
                p.with_alpha(BAND_ALPHA)
            } else {
                *p
            };
            let r = Rect {
                x0: x + 3.0,
                y0: cy - 6.0,
                x1: x + MARK_W - 3.0,
                y1: cy + 6.0,
            };
            rect(root, r, fill.fill())
        }
        Mark::Hollow(p) => {
            root.draw(&Circle::new(
                (units(mid), units(cy)),
                units(4.0),
                palette::WHITE.fill(),
            ))?;
            root.draw(&Circle::new(
                (units(mid), units(cy)),
                units(4.0),
                p.stroke(1.5),
            ))
        }
        Mark::Coverage => {
            let bar = |x0, x1| Rect {
                x0,
                y0: cy - STRIP / 2.0,
                x1,
                y1: cy + STRIP / 2.0,
            };
            rect(root, bar(x, x + MARK_W), palette::MUTED.fill())?;
            gap_mark(root, bar(x + 5.0, x + MARK_W - 5.0))
        }
    }
}

/// The height of a coverage bar.
pub(crate) const STRIP: f64 = 5.0;
/// The opacity of interval bands.
pub(crate) const BAND_ALPHA: f64 = 0.2;

/// A gap in coverage: the bar cut out, a light box with dark ends.
pub(crate) fn gap_mark(root: &Area, r: Rect) -> Res {
    rect(root, r, palette::MISSING.fill())?;
    line(
        root,
        &[(r.x0, r.y0 - 1.5), (r.x0, r.y1 + 1.5)],
        palette::TEXT,
        1.0,
    )?;
    line(
        root,
        &[(r.x1, r.y0 - 1.5), (r.x1, r.y1 + 1.5)],
        palette::TEXT,
        1.0,
    )
}

/// One legend entry placed: its row, its offset in the row, its label's lines.
struct Placed {
    row: usize,
    x: f64,
    lines: Vec<String>,
}

/// Lays out legend items in rows within `width`, labels wrapped onto two lines at most; when
/// the legend would take more than [`MAX_LEGEND_LINES`], labels are wrapped narrower so that more
/// fit in a row. Returns the entries and the number of text lines of each row.
fn legend_rows(items: &[LegendItem], width: f64) -> (Vec<Placed>, Vec<usize>) {
    let full = (width - MARK_W - MARK_GAP).max(20.0);
    let mut best = legend_rows_at(items, width, full);
    for parts in [2.0, 3.0, 4.0, 6.0] {
        if best.1.iter().sum::<usize>() <= MAX_LEGEND_LINES {
            break;
        }
        best = legend_rows_at(
            items,
            width,
            (width / parts - MARK_W - MARK_GAP - ITEM_GAP).max(40.0),
        );
    }
    best
}

fn legend_rows_at(items: &[LegendItem], width: f64, max_label: f64) -> (Vec<Placed>, Vec<usize>) {
    let mut placed = Vec::new();
    let mut rows: Vec<usize> = Vec::new();
    let mut x = 0f64;
    for item in items {
        let lines = wrap(&item.label, LEGEND, false, max_label, 2);
        let label_w = lines
            .iter()
            .map(|l| font::width(l, LEGEND, false))
            .fold(0.0, f64::max);
        let w = MARK_W + MARK_GAP + label_w;
        if rows.is_empty() || (x > 0.0 && x + w > width) {
            rows.push(0);
            x = 0.0;
        }
        let row = rows.len() - 1;
        rows[row] = rows[row].max(lines.len().max(1));
        placed.push(Placed { row, x, lines });
        x += w + ITEM_GAP;
    }
    (placed, rows)
}

/// The text of a page and where it goes.
struct PageLayout {
    title: Vec<String>,
    subtitle: Vec<String>,
    legend: Vec<Placed>,
    /// The top of each legend row, and how many rows are shown.
    row_top: Vec<f64>,
    shown: usize,
    notes: Vec<String>,
    body: Rect,
}

fn layout_page(opts: &ChartOptions, legend: &[LegendItem], notes: &[String]) -> PageLayout {
    let (w, h) = (opts.width as f64, opts.height as f64);
    let inner = w - 2.0 * PAD;
    let mut y = PAD;
    let title = wrap(&clean(&opts.title), TITLE, true, inner, 2);
    y += lh(TITLE) * title.len() as f64;
    let subtitle = wrap(
        &clean(opts.subtitle.as_deref().unwrap_or("")),
        SUBTITLE,
        false,
        inner,
        2,
    );
    y += lh(SUBTITLE) * subtitle.len() as f64;
    let (placed, rows) = legend_rows(legend, inner);
    if !legend.is_empty() {
        y += 4.0;
    }
    let mut row_top = vec![y];
    for r in &rows {
        let last = row_top[row_top.len() - 1];
        row_top.push(last + lh(LEGEND) * *r as f64 + 4.0);
    }
    // Rows beyond the line budget are left out.
    let shown = (0..=rows.len())
        .rev()
        .find(|&k| rows[..k].iter().sum::<usize>() <= MAX_LEGEND_LINES)
        .unwrap_or(0);
    y = row_top[shown];
    if y > PAD {
        y += 8.0;
    }
    // Notes from the bottom up, in at most a quarter of the height.
    let max_lines = ((h / 4.0) / lh(NOTE)).floor().max(1.0) as usize;
    let mut lines: Vec<String> = Vec::new();
    for n in opts.notes.iter().chain(notes) {
        let left = max_lines.saturating_sub(lines.len()).max(1);
        lines.extend(wrap(&clean(n), NOTE, false, inner, left));
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            *last = font::ellipsize(&format!("{last} …"), NOTE, false, inner);
        }
    }
    let mut bottom = h - PAD;
    if !lines.is_empty() {
        bottom -= block_height(lines.len(), NOTE) + 10.0;
    }
    PageLayout {
        title,
        subtitle,
        legend: placed,
        row_top,
        shown,
        notes: lines,
        body: Rect {
            x0: PAD,
            y0: y,
            x1: w - PAD,
            y1: bottom.max(y + 10.0),
        },
    }
}

/// The box a page with this legend and these notes leaves for the chart.
pub(crate) fn body(opts: &ChartOptions, legend: &[LegendItem], notes: &[String]) -> Rect {
    layout_page(opts, legend, notes).body
}

/// Draws the title, subtitle, legend and notes (the options' notes, then the chart's own) and
/// returns the box left for the chart.
pub(crate) fn page(
    root: &Area,
    opts: &ChartOptions,
    legend: &[LegendItem],
    notes: &[String],
) -> Res<Rect> {
    root.fill(&WHITE)?;
    let l = layout_page(opts, legend, notes);
    let top = (HPos::Left, VPos::Top);
    let title_style = font(TITLE, true, palette::TEXT);
    text(root, &l.title.join("\n"), (PAD, PAD), &title_style, top)?;
    let y = PAD + lh(TITLE) * l.title.len() as f64;
    let subtitle_style = font(SUBTITLE, false, palette::MUTED);
    text(root, &l.subtitle.join("\n"), (PAD, y), &subtitle_style, top)?;
    let style = font(LEGEND, false, palette::TEXT);
    for (p, item) in l.legend.iter().zip(legend) {
        if p.row >= l.shown {
            continue;
        }
        let t = l.row_top[p.row];
        draw_mark(root, &item.mark, PAD + p.x, t + LEGEND * 0.4)?;
        text(
            root,
            &p.lines.join("\n"),
            (PAD + p.x + MARK_W + MARK_GAP, t),
            &style,
            top,
        )?;
    }
    let notes_top = opts.height as f64 - PAD - block_height(l.notes.len(), NOTE);
    let note_style = font(NOTE, false, palette::MUTED);
    text(
        root,
        &l.notes.join("\n"),
        (PAD, notes_top),
        &note_style,
        top,
    )?;
    Ok(l.body)
}

/// How values on a numeric axis are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumFormat {
    Number,
    /// Values are shares (0 to 1), written as percentages.
    Percent,
}

/// Labels for numeric ticks.
pub(crate) fn num_labels(t: &NumTicks, fmt: NumFormat) -> Vec<String> {
    let d = ticks::decimals_for(t.step);
    t.values
        .iter()
        .map(|&v| match fmt {
            NumFormat::Number => ticks::format_number(v, d),
            NumFormat::Percent => ticks::format_percent(v, t.step),
        })
        .collect()
}

/// Writes one value the way an axis of `fmt` would.
pub(crate) fn format_value(v: f64, fmt: NumFormat) -> String {
    match fmt {
        NumFormat::Number => ticks::format_count(v),
        NumFormat::Percent => {
            let pct = v * 100.0;
            let d = match pct.abs() {
                a if a >= 10.0 => 0,
                a if a >= 1.0 => 1,
                _ => 2,
            };
            format!("{}%", ticks::format_number(pct, d))
        }
    }
}

/// The widest of `labels` at `size`.
pub(crate) fn max_width(labels: &[String], size: f64) -> f64 {
    labels
        .iter()
        .map(|l| font::width(l, size, false))
        .fold(0.0, f64::max)
}

/// A linear axis with Broadsheet's ticks. plotters' `WithKeyPoints` over `f64` cannot be drawn
/// by its mesh (it has no value formatter), so this small coordinate does the same: plotters'
/// own linear mapping, our tick positions, labels from the mesh's formatter.
pub(crate) struct Keyed {
    inner: RangedCoordf64,
    points: Vec<f64>,
}

/// An axis from `lo` to `hi` (either way round) with ticks at `points`.
pub(crate) fn keyed(lo: f64, hi: f64, points: Vec<f64>) -> Keyed {
    Keyed {
        inner: (lo..hi).into(),
        points,
    }
}

impl Ranged for Keyed {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.points.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.inner.range()
    }
}

/// The label of the key point nearest to `v` (plotters hands back the key points it was given).
pub(crate) fn label_at(points: &[f64], labels: &[String], v: f64) -> String {
    points
        .iter()
        .zip(labels)
        .min_by(|a, b| (a.0 - v).abs().total_cmp(&(b.0 - v).abs()))
        .map(|(_, l)| l.clone())
        .unwrap_or_default()
}

/// How plotters' mesh draws an axis pair: which grid lines, the labels (empty strings for tick
/// marks without labels), the tick marks' lengths and the axes' titles.
pub(crate) struct Mesh<'f> {
    pub x_grid: bool,
    pub y_grid: bool,
    pub x_label: &'f dyn Fn(&f64) -> String,
    pub y_label: &'f dyn Fn(&f64) -> String,
    pub x_tick: f64,
    pub y_tick: f64,
    pub y_label_size: f64,
    pub y_label_paint: Paint,
    pub x_desc: String,
    pub y_desc: String,
}

impl<'f> Mesh<'f> {
    pub fn new(x_label: &'f dyn Fn(&f64) -> String, y_label: &'f dyn Fn(&f64) -> String) -> Self {
        Mesh {
            x_grid: false,
            y_grid: true,
            x_label,
            y_label,
            x_tick: TICK_MARK,
            y_tick: 3.0,
            y_label_size: TICK,
            y_label_paint: palette::MUTED,
            x_desc: String::new(),
            y_desc: String::new(),
        }
    }

    pub fn draw(&self, chart: &mut Plot) -> Res {
        let mut m = chart.configure_mesh();
        m.bold_line_style(palette::GRID.stroke(1.0))
            .axis_style(palette::AXIS.stroke(1.0))
            .x_label_style(font(TICK, false, palette::MUTED))
            .y_label_style(font(self.y_label_size, false, self.y_label_paint))
            .x_label_formatter(self.x_label)
            .y_label_formatter(self.y_label)
            .set_tick_mark_size(LabelAreaPosition::Left, units(self.y_tick))
            .set_tick_mark_size(LabelAreaPosition::Bottom, units(self.x_tick))
            .axis_desc_style(font(LABEL, false, palette::MUTED));
        if !self.x_grid {
            m.disable_x_mesh();
        }
        if !self.y_grid {
            m.disable_y_mesh();
        }
        if !self.x_desc.is_empty() {
            m.x_desc(self.x_desc.clone());
        }
        if !self.y_desc.is_empty() {
            m.y_desc(self.y_desc.clone());
        }
        m.draw()
    }
}

/// The height date labels take under an axis: the labels and the row of years.
pub(crate) fn date_labels_height() -> f64 {
    6.0 + lh(TICK) + TICK
}

/// Chooses date ticks from `start` to `end` for an axis mapping day numbers to pixels by `x`,
/// such that labels keep 12 px apart and stay within `left`..`right`.
pub(crate) fn date_ticks(
    start: Date,
    end: Date,
    x: &dyn Fn(f64) -> f64,
    (left, right): (f64, f64),
    steps: &[DateStep],
) -> Vec<DateTick> {
    let (_, t) = ticks::choose_date_ticks(start, end, steps, |ticks| {
        let mut prev_right = f64::MIN;
        let mut prev_ctx_right = f64::MIN;
        for t in ticks {
            let px = x(ticks::day_number(t.date) as f64);
            let w = font::width(&t.label, TICK, false);
            if px - w / 2.0 < left || px + w / 2.0 > right || px - w / 2.0 < prev_right + 12.0 {
                return false;
            }
            prev_right = px + w / 2.0;
            if let Some(c) = &t.context {
                let cw = font::width(c, TICK, true);
                if px - cw / 2.0 < prev_ctx_right + 12.0 || px + cw / 2.0 > right {
                    return false;
                }
                prev_ctx_right = px + cw / 2.0;
            }
        }
        true
    });
    t
}

/// Draws date labels with their tops at `y` (and the year, in bold, under the first label of each
/// year), at the positions `x` gives day numbers. plotters' mesh writes one style per axis, so
/// these are drawn here through the chart's coordinates.
pub(crate) fn date_labels(root: &Area, ticks: &[DateTick], x: &dyn Fn(f64) -> f64, y: f64) -> Res {
    let top = (HPos::Center, VPos::Top);
    let (regular, bold) = (
        font(TICK, false, palette::MUTED),
        font(TICK, true, palette::MUTED),
    );
    for t in ticks {
        let px = x(ticks::day_number(t.date) as f64);
        text(root, &t.label, (px, y), &regular, top)?;
        if let Some(c) = &t.context {
            text(root, c, (px, y + lh(TICK)), &bold, top)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_words_and_width() {
        let lines = wrap(
            "one two three four five six seven eight nine ten",
            12.0,
            false,
            80.0,
            99,
        );
        assert!(lines.len() > 1);
        for l in &lines {
            assert!(font::width(l, 12.0, false) <= 80.0, "{l}");
        }
        assert_eq!(
            lines.join(" "),
            "one two three four five six seven eight nine ten"
        );
        assert!(wrap("", 12.0, false, 80.0, 2).is_empty());
    }

    #[test]
    fn wrap_breaks_urls_after_slashes_and_cuts_the_last_line() {
        let url = "https://www.example-outlet.org/feeds/central-asia/security/rss.xml?lang=en";
        let lines = wrap(url, 12.0, false, 180.0, 3);
        assert!(lines.len() >= 2, "{lines:?}");
        assert_eq!(lines.concat(), url, "{lines:?}");
        assert!(lines[0].ends_with('/') || lines[0].ends_with('.') || lines[0].ends_with('-'));
        let cut = wrap(&"x".repeat(500), 12.0, false, 80.0, 2);
        assert_eq!(cut.len(), 2);
        assert!(cut[1].ends_with('…'));
        for l in &cut {
            assert!(font::width(l, 12.0, false) <= 80.0, "{l}");
        }
    }

    #[test]
    fn legend_wraps_long_labels_onto_two_lines() {
        let items: Vec<LegendItem> = (0..30)
            .map(|i| LegendItem {
                mark: Mark::Line(palette::series(i)),
                label: format!("Series number {i}"),
            })
            .collect();
        let (placed, rows) = legend_rows_at(&items, 600.0, 600.0);
        assert!(rows.len() > 3);
        assert!(placed.iter().all(|p| p.x < 600.0));
        // Nine very long labels: wrapped, at most two lines each, within the line budget.
        let long: Vec<LegendItem> = (0..9)
            .map(|i| LegendItem {
                mark: Mark::Line(palette::series(i)),
                label: format!("{i} {}", "a long outlet name ".repeat(10)),
            })
            .collect();
        let (placed, rows) = legend_rows(&long, 1164.0);
        assert!(placed.iter().all(|p| p.lines.len() <= 2));
        assert!(placed.iter().any(|p| p.lines.len() == 2));
        assert!(rows.iter().sum::<usize>() > 0);
    }

    #[test]
    fn clean_labels() {
        assert_eq!(clean(" a\nb\t\u{FFFE}c\u{0} "), "a b c");
        assert_eq!(clean("\u{202E}x"), "\u{202E}x");
    }
}
