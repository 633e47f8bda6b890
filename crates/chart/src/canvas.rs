//! The drawing backend under plotters' chart layer (a plotters `DrawingBackend`): SVG written
//! here with coordinates in tenths of a pixel, or PNG pixels with anti-aliased strokes, fills and
//! text in the bundled font, shaped for right-to-left scripts. plotters' own SVG and bitmap
//! backends take whole-pixel coordinates, draw wide lines, polygons and text without
//! anti-aliasing and know no right-to-left text (docs/ARCHITECTURE.md, "Charts").
//!
//! Text may hold several lines separated by `\n`; a line's box is 0.8 em high with the baseline
//! 0.76 em below its top, lines are [`LINE`] ems apart.

use std::convert::Infallible;
use std::fmt::Write;

use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontStyle, FontTransform,
};

use crate::font::{self, FONT_FAMILY, TOP_TO_BASELINE};
use crate::palette::Paint;
use crate::raster::{self, Pixels};

/// Backend units per logical pixel: plotters works in integers, so charts are laid out in tenths
/// of a pixel.
pub(crate) const UNITS: f64 = 10.0;

/// The distance between lines of text, in ems.
pub(crate) const LINE: f64 = 1.25;

/// The height of a line's box, in ems (for anchoring).
const BOX: f64 = 0.8;

/// Logical pixels as backend units.
pub(crate) fn units(px: f64) -> i32 {
    if px.is_finite() {
        (px * UNITS).round().clamp(-1e9, 1e9) as i32
    } else {
        0
    }
}

/// The height of `lines` lines of text of `size` pixels per em, as anchored.
pub(crate) fn block_height(lines: usize, size: f64) -> f64 {
    if lines == 0 {
        0.0
    } else {
        (lines - 1) as f64 * LINE * size + BOX * size
    }
}

/// Where the drawing goes.
pub(crate) enum Target<'a> {
    Svg(&'a mut String),
    Png(&'a mut Pixels),
}

/// A chart's canvas of `width`×`height` logical pixels.
pub(crate) struct Canvas<'a> {
    pub target: Target<'a>,
    pub width: u32,
    pub height: u32,
}

fn paint(c: BackendColor) -> Paint {
    Paint {
        rgb: c.rgb,
        alpha: c.alpha,
    }
}

/// Units as an SVG number of pixels ("12.3", "−0.5" written "-0.5", "40").
fn num(v: i32) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    match a % 10 {
        0 => format!("{sign}{}", a / 10),
        d => format!("{sign}{}.{d}", a / 10),
    }
}

/// An opacity with at most three decimals.
fn opacity(a: f64) -> String {
    let v = (a.clamp(0.0, 1.0) * 1000.0).round() as u32;
    let s = format!("{}.{:03}", v / 1000, v % 1000);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn colour_attr(kind: &str, c: BackendColor) -> String {
    let mut s = format!("{kind}=\"#{:02x}{:02x}{:02x}\"", c.rgb.0, c.rgb.1, c.rgb.2);
    if c.alpha < 1.0 {
        let _ = write!(s, " {kind}-opacity=\"{}\"", opacity(c.alpha));
    }
    s
}

/// Whether XML 1.0 allows `c` in a document (its `Char` production).
pub(crate) fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Text for an SVG element: characters XML 1.0 forbids (C0 controls, U+FFFE, U+FFFF) dropped,
/// markup escaped; right-to-left labels wrapped in a first-strong isolate (U+2068 … U+2069) so
/// that viewers pick the paragraph direction the PNG renderer picks.
pub(crate) fn svg_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let rtl = text
        .chars()
        .any(|c| matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF));
    if rtl {
        out.push('\u{2068}');
    }
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if xml_char(c) && !c.is_control() => out.push(c),
            _ => {}
        }
    }
    if rtl {
        out.push('\u{2069}');
    }
    out
}

/// A horizontal or vertical segment of whole-pixel width is moved (by under half a pixel) so that
/// it covers whole pixels: grid lines and ticks stay crisp instead of spreading over two rows.
fn snap_axis_aligned(pts: &mut [(f64, f64)], width: f64) {
    let w = width.round();
    if pts.len() != 2 || (width - w).abs() > 0.01 || w < 1.0 {
        return;
    }
    let snap = |v: f64| {
        if w as i64 % 2 == 1 {
            v.floor() + 0.5
        } else {
            v.round()
        }
    };
    if pts[0].1 == pts[1].1 {
        let y = snap(pts[0].1);
        pts[0].1 = y;
        pts[1].1 = y;
    } else if pts[0].0 == pts[1].0 {
        let x = snap(pts[0].0);
        pts[0].0 = x;
        pts[1].0 = x;
    }
}

impl Canvas<'_> {
    /// Backend units to target pixels (logical for SVG, device for PNG).
    fn scale(&self) -> f64 {
        match &self.target {
            Target::Svg(_) => 1.0 / UNITS,
            Target::Png(p) => p.scale / UNITS,
        }
    }

    fn stroke(&mut self, pts: &[BackendCoord], c: BackendColor, width: u32) {
        if c.alpha <= 0.0 || pts.len() < 2 || width == 0 {
            return;
        }
        let k = self.scale();
        let mut f: Vec<(f64, f64)> = pts
            .iter()
            .map(|&(x, y)| (x as f64 * k, y as f64 * k))
            .collect();
        let w = width as f64 * k;
        snap_axis_aligned(&mut f, w);
        match &mut self.target {
            Target::Svg(out) => {
                let points: Vec<String> = f
                    .iter()
                    .map(|&(x, y)| format!("{},{}", num(units(x)), num(units(y))))
                    .collect();
                let _ = writeln!(
                    out,
                    "<polyline fill=\"none\" {} stroke-width=\"{}\" stroke-linejoin=\"round\" stroke-linecap=\"round\" points=\"{}\"/>",
                    colour_attr("stroke", c),
                    num(width as i32),
                    points.join(" ")
                );
            }
            Target::Png(p) => {
                let mask = raster::stroke_polyline(&f, w, p.size());
                p.fill(mask, paint(c));
            }
        }
    }

    fn polygon(&mut self, pts: &[BackendCoord], c: BackendColor) {
        if c.alpha <= 0.0 || pts.len() < 3 {
            return;
        }
        match &mut self.target {
            Target::Svg(out) => {
                let points: Vec<String> = pts
                    .iter()
                    .map(|&(x, y)| format!("{},{}", num(x), num(y)))
                    .collect();
                let _ = writeln!(
                    out,
                    "<polygon {} points=\"{}\"/>",
                    colour_attr("fill", c),
                    points.join(" ")
                );
            }
            Target::Png(p) => {
                let k = p.scale / UNITS;
                let f: Vec<(f64, f64)> = pts
                    .iter()
                    .map(|&(x, y)| (x as f64 * k, y as f64 * k))
                    .collect();
                let mask = raster::fill_polygon(&f, p.size());
                p.fill(mask, paint(c));
            }
        }
    }

    /// Draws one line of text whose anchor is `pos`, the line's box top `top` units below it
    /// (in the text's own direction) and `h` its horizontal alignment.
    #[allow(clippy::too_many_arguments)]
    fn text_line(
        &mut self,
        line: &str,
        size: f64,
        bold: bool,
        c: BackendColor,
        pos: BackendCoord,
        top: f64,
        h: HPos,
        rotated: bool,
    ) {
        match &mut self.target {
            Target::Svg(out) => {
                let anchor = match h {
                    HPos::Left => "",
                    HPos::Center => " text-anchor=\"middle\"",
                    HPos::Right => " text-anchor=\"end\"",
                };
                let baseline = pos.1 + (top + TOP_TO_BASELINE * size).round() as i32;
                let transform = if rotated {
                    format!(" transform=\"rotate(-90,{},{})\"", num(pos.0), num(pos.1))
                } else {
                    String::new()
                };
                let _ = writeln!(
                    out,
                    "<text x=\"{}\" y=\"{}\" font-size=\"{}\"{}{}{} {}>{}</text>",
                    num(pos.0),
                    num(baseline),
                    num(size.round() as i32),
                    if bold { " font-weight=\"bold\"" } else { "" },
                    anchor,
                    transform,
                    colour_attr("fill", c),
                    svg_text(line)
                );
            }
            Target::Png(p) => {
                let k = p.scale / UNITS;
                let shown = crate::shape::display(line);
                let size_px = size * k;
                let w = raster::text_width(&shown, size_px, bold);
                let shift = match h {
                    HPos::Left => 0.0,
                    HPos::Center => w / 2.0,
                    HPos::Right => w,
                };
                let (x, y) = (pos.0 as f64 * k, pos.1 as f64 * k);
                let top = top * k;
                if rotated {
                    p.text(&shown, size_px, bold, paint(c), x + top, y, shift, true);
                } else {
                    p.text(&shown, size_px, bold, paint(c), x, y + top, shift, false);
                }
            }
        }
    }
}

impl DrawingBackend for Canvas<'_> {
    type ErrorType = Infallible;

    fn get_size(&self) -> (u32, u32) {
        (
            (self.width as f64 * UNITS) as u32,
            (self.height as f64 * UNITS) as u32,
        )
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Infallible>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Infallible>> {
        Ok(())
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        let (x, y) = point;
        self.polygon(&[(x, y), (x + 1, y), (x + 1, y + 1), (x, y + 1)], color);
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        self.stroke(&[from, to], style.color(), style.stroke_width());
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        let (x0, y0, x1, y1) = (a.0.min(b.0), a.1.min(b.1), a.0.max(b.0), a.1.max(b.1));
        let c = style.color();
        if !fill {
            let pts = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)];
            self.stroke(&pts, c, style.stroke_width());
            return Ok(());
        }
        if c.alpha <= 0.0 || x1 <= x0 || y1 <= y0 {
            return Ok(());
        }
        match &mut self.target {
            Target::Svg(out) => {
                let _ = writeln!(
                    out,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" {}/>",
                    num(x0),
                    num(y0),
                    num(x1 - x0),
                    num(y1 - y0),
                    colour_attr("fill", c)
                );
            }
            Target::Png(p) => {
                let k = p.scale / UNITS;
                let mask = raster::fill_rect(
                    x0 as f64 * k,
                    y0 as f64 * k,
                    x1 as f64 * k,
                    y1 as f64 * k,
                    p.size(),
                );
                p.fill(mask, paint(c));
            }
        }
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        let pts: Vec<BackendCoord> = path.into_iter().collect();
        self.stroke(&pts, style.color(), style.stroke_width());
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        let c = style.color();
        if c.alpha <= 0.0 || radius == 0 {
            return Ok(());
        }
        let width = style.stroke_width().max(1);
        match &mut self.target {
            Target::Svg(out) => {
                let paint = if fill {
                    colour_attr("fill", c)
                } else {
                    format!(
                        "fill=\"none\" {} stroke-width=\"{}\"",
                        colour_attr("stroke", c),
                        num(width as i32)
                    )
                };
                let _ = writeln!(
                    out,
                    "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" {paint}/>",
                    num(center.0),
                    num(center.1),
                    num(radius as i32)
                );
            }
            Target::Png(p) => {
                let k = p.scale / UNITS;
                let stroke = (!fill).then_some(width as f64 * k);
                let (cx, cy) = (center.0 as f64 * k, center.1 as f64 * k);
                let mask = raster::circle(cx, cy, radius as f64 * k, stroke, p.size());
                p.fill(mask, paint(c));
            }
        }
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        let pts: Vec<BackendCoord> = vert.into_iter().collect();
        self.polygon(&pts, style.color());
        Ok(())
    }

    fn draw_text<T: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &T,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        let c = style.color();
        if c.alpha <= 0.0 || text.trim().is_empty() {
            return Ok(());
        }
        let size = style.size();
        let bold = matches!(style.style(), FontStyle::Bold);
        let rotated = matches!(style.transform(), FontTransform::Rotate270);
        let lines: Vec<&str> = text.split('\n').collect();
        let anchor = style.anchor();
        let first_top = match anchor.v_pos {
            VPos::Top => 0.0,
            VPos::Center => -block_height(lines.len(), size) / 2.0,
            VPos::Bottom => -block_height(lines.len(), size),
        };
        for (i, line) in lines.iter().enumerate() {
            let top = first_top + i as f64 * LINE * size;
            self.text_line(line, size, bold, c, pos, top, anchor.h_pos, rotated);
        }
        Ok(())
    }

    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        style: &T,
    ) -> Result<(u32, u32), DrawingErrorKind<Infallible>> {
        let size = style.size() / UNITS;
        let bold = matches!(style.style(), FontStyle::Bold);
        let lines: Vec<&str> = text.split('\n').collect();
        let w = lines
            .iter()
            .map(|l| font::width(l, size, bold))
            .fold(0.0, f64::max);
        let h = block_height(lines.len(), size);
        Ok((units(w).max(0) as u32, units(h).max(0) as u32))
    }
}

/// The SVG document around the drawn elements.
pub(crate) fn svg_document(body: &str, width: u32, height: u32) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"{FONT_FAMILY}\">\n{body}</svg>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_tenths_of_a_pixel() {
        assert_eq!(num(123), "12.3");
        assert_eq!(num(120), "12");
        assert_eq!(num(-5), "-0.5");
        assert_eq!(num(0), "0");
        assert_eq!(opacity(0.35), "0.35");
        assert_eq!(opacity(1.0), "1");
    }

    #[test]
    fn rtl_text_is_isolated() {
        assert_eq!(svg_text("ایران"), "\u{2068}ایران\u{2069}");
        assert_eq!(svg_text("Iran"), "Iran");
    }

    #[test]
    fn text_forbidden_in_xml_is_dropped_and_markup_escaped() {
        assert_eq!(svg_text("a\u{FFFE}b\u{FFFF}c\u{0}d\u{1B}e"), "abcde");
        assert_eq!(svg_text("<a & b>"), "&lt;a &amp; b&gt;");
        assert!(xml_char('\u{10FFFF}') && !xml_char('\u{FFFE}') && !xml_char('\u{8}'));
    }
}
