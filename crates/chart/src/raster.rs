//! Pixels for the PNG backend: coverage masks of anti-aliased strokes (round joins and caps, any
//! width), polygons (four sub-scanlines, exact horizontal coverage), circles, rectangles and text
//! in the bundled font (bearings, kerning and sub-pixel pen positions kept), blended into an RGB
//! buffer and encoded as PNG. Only integer and basic float arithmetic is used, so the bytes are the
//! same on every machine.

use ab_glyph::{point, Font};

use crate::font::{self, TOP_TO_BASELINE};
use crate::palette::Paint;
use crate::{ChartError, Result};

/// A coverage mask over a rectangle of device pixels.
pub(crate) struct Mask {
    x0: i32,
    y0: i32,
    w: usize,
    h: usize,
    cov: Vec<f32>,
}

impl Mask {
    /// A mask covering the device-pixel box that contains (x0, y0)–(x1, y1), clipped to the
    /// image; `None` when nothing is visible.
    fn new(x0: f64, y0: f64, x1: f64, y1: f64, size: (u32, u32)) -> Option<Mask> {
        if !(x0.is_finite() && y0.is_finite() && x1.is_finite() && y1.is_finite()) {
            return None;
        }
        let ix0 = (x0.floor().max(0.0)) as i64;
        let iy0 = (y0.floor().max(0.0)) as i64;
        let ix1 = (x1.ceil().min(size.0 as f64)) as i64;
        let iy1 = (y1.ceil().min(size.1 as f64)) as i64;
        if ix1 <= ix0 || iy1 <= iy0 {
            return None;
        }
        let (w, h) = ((ix1 - ix0) as usize, (iy1 - iy0) as usize);
        Some(Mask {
            x0: ix0 as i32,
            y0: iy0 as i32,
            w,
            h,
            cov: vec![0.0; w * h],
        })
    }

    fn max_at(&mut self, x: i32, y: i32, c: f32) {
        let (dx, dy) = (x - self.x0, y - self.y0);
        if dx >= 0 && dy >= 0 && (dx as usize) < self.w && (dy as usize) < self.h {
            let v = &mut self.cov[dy as usize * self.w + dx as usize];
            if c > *v {
                *v = c;
            }
        }
    }

    fn add_at(&mut self, x: i32, y: i32, c: f32) {
        let (dx, dy) = (x - self.x0, y - self.y0);
        if dx >= 0 && dy >= 0 && (dx as usize) < self.w && (dy as usize) < self.h {
            let v = &mut self.cov[dy as usize * self.w + dx as usize];
            *v = (*v + c).min(1.0);
        }
    }
}

/// Coverage of a pixel by a round-capped stroke at distance `d` from its centre line.
fn stroke_cov(d: f64, half: f64) -> f32 {
    // Thin lines keep their darkness by spreading over at least one pixel.
    let half = half.max(0.5);
    (half + 0.5 - d).clamp(0.0, 1.0) as f32
}

fn seg_distance(px: f64, py: f64, a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((px - a.0) * dx + (py - a.1) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (qx, qy) = (a.0 + t * dx - px, a.1 + t * dy - py);
    (qx * qx + qy * qy).sqrt()
}

pub(crate) fn stroke_polyline(points: &[(f64, f64)], width: f64, size: (u32, u32)) -> Option<Mask> {
    let half = width / 2.0;
    let pad = half.max(0.5) + 1.0;
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(x, y) in points {
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    let mut mask = Mask::new(x0 - pad, y0 - pad, x1 + pad, y1 + pad, size)?;
    let window = (
        mask.x0 as f64 - pad,
        mask.y0 as f64 - pad,
        (mask.x0 + mask.w as i32) as f64 + pad,
        (mask.y0 + mask.h as i32) as f64 + pad,
    );
    for seg in points.windows(2) {
        // Far-away segments are clipped to the visible window first (Liang–Barsky).
        let Some((a, b)) = clip_segment(seg[0], seg[1], window) else {
            continue;
        };
        let sy0 = ((a.1.min(b.1) - pad).floor() as i32).max(mask.y0);
        let sy1 = ((a.1.max(b.1) + pad).ceil() as i32).min(mask.y0 + mask.h as i32);
        let bx0 = ((a.0.min(b.0) - pad).floor() as i32).max(mask.x0);
        let bx1 = ((a.0.max(b.0) + pad).ceil() as i32).min(mask.x0 + mask.w as i32);
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let len = (dx * dx + dy * dy).sqrt();
        for py in sy0..sy1 {
            let cy = py as f64 + 0.5;
            // Limit the columns to where the band around the line crosses this row.
            let (mut rx0, mut rx1) = (bx0, bx1);
            if len > 0.0 && dy.abs() > 1e-9 {
                let t = (cy - a.1) / dy;
                let xc = a.0 + t * dx;
                let reach = pad * len / dy.abs();
                rx0 = rx0.max((xc - reach).floor().max(-1e9) as i32);
                rx1 = rx1.min((xc + reach).ceil().min(1e9) as i32 + 1);
            }
            for px in rx0..rx1 {
                let d = seg_distance(px as f64 + 0.5, cy, a, b);
                let c = stroke_cov(d, half);
                if c > 0.0 {
                    mask.max_at(px, py, c);
                }
            }
        }
    }
    Some(mask)
}

/// The part of segment a–b inside the box (x0, y0, x1, y1), if any.
fn clip_segment(
    a: (f64, f64),
    b: (f64, f64),
    (x0, y0, x1, y1): (f64, f64, f64, f64),
) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.0 - x0),
        (dx, x1 - a.0),
        (-dy, a.1 - y0),
        (dy, y1 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    if t0 > t1 || !t0.is_finite() || !t1.is_finite() {
        return None;
    }
    Some((
        (a.0 + t0 * dx, a.1 + t0 * dy),
        (a.0 + t1 * dx, a.1 + t1 * dy),
    ))
}

/// Fills a polygon (non-zero winding) with 4 sub-scanlines per pixel row and exact horizontal
/// coverage along each.
pub(crate) fn fill_polygon(points: &[(f64, f64)], size: (u32, u32)) -> Option<Mask> {
    const SUB: usize = 4;
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(x, y) in points {
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    let mut mask = Mask::new(x0, y0, x1, y1, size)?;
    let n = points.len();
    let mut crossings: Vec<(f64, i32)> = Vec::new();
    let mut row = vec![0f32; mask.w];
    for py in 0..mask.h {
        row.iter_mut().for_each(|v| *v = 0.0);
        for k in 0..SUB {
            let y = (mask.y0 as f64) + py as f64 + (k as f64 + 0.5) / SUB as f64;
            crossings.clear();
            for i in 0..n {
                let a = points[i];
                let b = points[(i + 1) % n];
                if (a.1 <= y && b.1 > y) || (b.1 <= y && a.1 > y) {
                    let t = (y - a.1) / (b.1 - a.1);
                    let x = a.0 + t * (b.0 - a.0);
                    crossings.push((x, if b.1 > a.1 { 1 } else { -1 }));
                }
            }
            crossings.sort_by(|p, q| p.0.total_cmp(&q.0).then(p.1.cmp(&q.1)));
            let mut winding = 0;
            for i in 0..crossings.len() {
                let before = winding;
                winding += crossings[i].1;
                if before == 0 && winding != 0 {
                    // Span starts here; find where it ends.
                    let start = crossings[i].0;
                    let mut w = winding;
                    let mut end = start;
                    for c in &crossings[i + 1..] {
                        w += c.1;
                        if w == 0 {
                            end = c.0;
                            break;
                        }
                    }
                    add_span(&mut row, mask.x0 as f64, start, end, 1.0 / SUB as f32);
                }
            }
        }
        for (px, v) in row.iter().enumerate() {
            if *v > 0.0 {
                mask.cov[py * mask.w + px] = v.min(1.0);
            }
        }
    }
    Some(mask)
}

/// Adds `weight` × the covered fraction of each pixel of `row` (whose first pixel is at `x0`)
/// for the span [a, b).
fn add_span(row: &mut [f32], x0: f64, a: f64, b: f64, weight: f32) {
    let a = (a - x0).max(0.0);
    let b = (b - x0).min(row.len() as f64);
    if b <= a {
        return;
    }
    let ia = a.floor() as usize;
    let ib = b.floor() as usize;
    if ia == ib {
        row[ia] += weight * (b - a) as f32;
        return;
    }
    row[ia] += weight * ((ia + 1) as f64 - a) as f32;
    for v in row.iter_mut().take(ib).skip(ia + 1) {
        *v += weight;
    }
    if ib < row.len() {
        row[ib] += weight * (b - ib as f64) as f32;
    }
}

pub(crate) fn fill_rect(x0: f64, y0: f64, x1: f64, y1: f64, size: (u32, u32)) -> Option<Mask> {
    let mut mask = Mask::new(x0, y0, x1, y1, size)?;
    for py in 0..mask.h {
        let top = (mask.y0 + py as i32) as f64;
        let cy = (y1.min(top + 1.0) - y0.max(top)).clamp(0.0, 1.0);
        for px in 0..mask.w {
            let left = (mask.x0 + px as i32) as f64;
            let cx = (x1.min(left + 1.0) - x0.max(left)).clamp(0.0, 1.0);
            mask.cov[py * mask.w + px] = (cx * cy) as f32;
        }
    }
    Some(mask)
}

pub(crate) fn circle(
    cx: f64,
    cy: f64,
    r: f64,
    stroke: Option<f64>,
    size: (u32, u32),
) -> Option<Mask> {
    let pad = r + stroke.unwrap_or(0.0) + 1.5;
    let mut mask = Mask::new(cx - pad, cy - pad, cx + pad, cy + pad, size)?;
    for py in 0..mask.h {
        for px in 0..mask.w {
            let x = (mask.x0 + px as i32) as f64 + 0.5 - cx;
            let y = (mask.y0 + py as i32) as f64 + 0.5 - cy;
            let d = (x * x + y * y).sqrt();
            let c = match stroke {
                None => (r + 0.5 - d).clamp(0.0, 1.0) as f32,
                Some(w) => stroke_cov((d - r).abs(), w / 2.0),
            };
            mask.cov[py * mask.w + px] = c;
        }
    }
    Some(mask)
}

/// Renders a line of text into a coverage mask, horizontally, with the pen starting at
/// (0, baseline); returns the mask in text-local pixels (origin at the box's top left).
pub(crate) fn text_mask(text: &str, size: f64, bold: bool) -> (Mask, f64) {
    let line = font::layout(text, size, bold);
    let (asc, desc) = font::ascent_descent();
    let baseline = TOP_TO_BASELINE * size;
    // The box: from above the ascent to below the descent, one pixel of slack on each side.
    let top = (baseline - asc * size).floor() - 1.0;
    let bottom = (baseline + desc * size).ceil() + 1.0;
    let w = (line.width as f64).ceil() as usize + 4;
    let h = (bottom - top).max(1.0) as usize;
    let mut mask = Mask {
        x0: -2,
        y0: top as i32,
        w,
        h,
        cov: vec![0.0; w * h],
    };
    for g in &line.glyphs {
        let face = font::face(g.bold);
        let scale = if g.bold { line.scale_bold } else { line.scale };
        let glyph =
            g.id.with_scale_and_position(scale, point(g.x, baseline as f32));
        if let Some(outlined) = face.outline_glyph(glyph) {
            let b = outlined.px_bounds();
            let (bx, by) = (b.min.x as i32, b.min.y as i32);
            outlined.draw(|x, y, c| {
                if c > 0.0 {
                    mask.add_at(bx + x as i32, by + y as i32, c);
                }
            });
        }
    }
    (mask, line.width as f64)
}

/// An RGB image being drawn, `scale` device pixels per logical pixel.
pub(crate) struct Pixels {
    pub buf: Vec<u8>,
    pub w: u32,
    pub h: u32,
    pub scale: f64,
}

impl Pixels {
    /// A white image of `width`×`height` logical pixels at `scale`.
    pub fn new(width: u32, height: u32, scale: f64) -> Self {
        let w = ((width as f64 * scale).round() as u32).max(1);
        let h = ((height as f64 * scale).round() as u32).max(1);
        Pixels {
            buf: vec![255u8; w as usize * h as usize * 3],
            w,
            h,
            scale,
        }
    }

    pub fn size(&self) -> (u32, u32) {
        (self.w, self.h)
    }

    /// Blends `paint` through `mask`; `place` maps mask pixels to image pixels.
    pub fn blend(&mut self, mask: &Mask, paint: Paint, place: impl Fn(i32, i32) -> (i32, i32)) {
        for py in 0..mask.h {
            for px in 0..mask.w {
                let c = mask.cov[py * mask.w + px];
                if c <= 0.0 {
                    continue;
                }
                let (x, y) = place(mask.x0 + px as i32, mask.y0 + py as i32);
                if x < 0 || y < 0 || x >= self.w as i32 || y >= self.h as i32 {
                    continue;
                }
                let a = (c as f64 * paint.alpha).clamp(0.0, 1.0);
                let i = (y as usize * self.w as usize + x as usize) * 3;
                for (k, v) in [paint.rgb.0, paint.rgb.1, paint.rgb.2]
                    .into_iter()
                    .enumerate()
                {
                    let d = self.buf[i + k] as f64;
                    self.buf[i + k] = (d + (v as f64 - d) * a).round() as u8;
                }
            }
        }
    }

    /// Blends a shape's mask in place.
    pub fn fill(&mut self, mask: Option<Mask>, paint: Paint) {
        if let Some(m) = mask {
            self.blend(&m, paint, |x, y| (x, y));
        }
    }

    /// Draws one line of text (display order) whose box top is at (`x`, `y`) device pixels, or,
    /// `rotated`, reading upwards with its box top facing left at `x`. `shift` moves the text
    /// left along its own direction (alignment).
    #[allow(clippy::too_many_arguments)]
    pub fn text(
        &mut self,
        line: &str,
        size: f64,
        bold: bool,
        paint: Paint,
        x: f64,
        y: f64,
        shift: f64,
        rotated: bool,
    ) {
        if !(x.abs() < 1e6 && y.abs() < 1e6) {
            return;
        }
        let (mask, _) = text_mask(line, size, bold);
        // Whole-pixel offsets keep glyphs as crisp as they were rasterized.
        let (ax, ay, sh) = (x.round() as i32, y.round() as i32, shift.round() as i32);
        if rotated {
            // The text's (dx, dy) lands at (x + dy, y − dx).
            self.blend(&mask, paint, |mx, my| (ax + my, ay - (mx - sh)));
        } else {
            self.blend(&mask, paint, |mx, my| (ax + mx - sh, ay + my));
        }
    }
}

/// The advance width of one line of display-order text at `size` device pixels per em.
pub(crate) fn text_width(line: &str, size: f64, bold: bool) -> f64 {
    font::layout(line, size, bold).width as f64
}

/// Encodes an RGB buffer as PNG, with the physical resolution (96 dpi × `scale`) recorded so
/// that a scaled image prints at the same size.
pub(crate) fn encode_png(buf: &[u8], w: u32, h: u32, scale: f64) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Default);
        enc.set_filter(png::FilterType::Paeth);
        enc.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
        // 96 dpi is 3779.53 pixels per metre.
        let ppm = (3_779.527_559 * scale).round() as u32;
        enc.set_pixel_dims(Some(png::PixelDimensions {
            xppu: ppm,
            yppu: ppm,
            unit: png::Unit::Meter,
        }));
        let mut writer = enc
            .write_header()
            .map_err(|e| ChartError::Render(e.to_string()))?;
        writer
            .write_image_data(buf)
            .map_err(|e| ChartError::Render(e.to_string()))?;
        writer
            .finish()
            .map_err(|e| ChartError::Render(e.to_string()))?;
    }
    Ok(out)
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_coverage_adds_up() {
        let mut row = vec![0f32; 5];
        add_span(&mut row, 0.0, 0.5, 3.25, 1.0);
        assert_eq!(row, vec![0.5, 1.0, 1.0, 0.25, 0.0]);
    }

    #[test]
    fn polygon_square_has_full_inner_coverage() {
        let m = fill_polygon(&[(1.0, 1.0), (4.0, 1.0), (4.0, 4.0), (1.0, 4.0)], (10, 10)).unwrap();
        let total: f32 = m.cov.iter().sum();
        assert!((total - 9.0).abs() < 1e-4, "{total}");
    }

    #[test]
    fn far_segments_are_clipped() {
        let m = stroke_polyline(&[(5.0, 5.5), (1e15, 5.5)], 1.0, (10, 10)).unwrap();
        assert!(m.cov.iter().any(|c| *c > 0.9));
        assert!(clip_segment((-5.0, -5.0), (-1.0, -1.0), (0.0, 0.0, 10.0, 10.0)).is_none());
        let (a, b) = clip_segment((-10.0, 5.0), (20.0, 5.0), (0.0, 0.0, 10.0, 10.0)).unwrap();
        assert_eq!((a, b), ((0.0, 5.0), (10.0, 5.0)));
    }

    #[test]
    fn shapes_outside_the_image_are_skipped() {
        assert!(fill_rect(-10.0, -10.0, -5.0, -5.0, (10, 10)).is_none());
        // Non-finite points never reach the rasterizer (the scene drops them); still no panic.
        let _ = stroke_polyline(&[(f64::NAN, 0.0), (1.0, 1.0)], 1.0, (10, 10));
    }
}
