//! The SVG renderer: draws a [`Scene`] through plotters' `SVGBackend`. The backend takes integer
//! coordinates, so the scene is drawn at ten units per pixel and the document's width and height
//! are set back to the logical size (the viewBox keeps the tenths): 0.1 px precision.

use plotters::prelude::{DrawingBackend, SVGBackend};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontDesc, FontFamily, FontStyle, FontTransform, RGBAColor, ShapeStyle};

use crate::font::{self, FONT_FAMILY, PLOTTERS_SIZE_FACTOR};
use crate::scene::{Align, Paint, Scene, Shape};
use crate::{ChartError, Result};

/// Backend units per logical pixel.
const UNITS: f64 = 10.0;

fn u(v: f64) -> i32 {
    (v * UNITS).round().clamp(-1e9, 1e9) as i32
}

fn style(p: Paint, filled: bool, width: f64) -> ShapeStyle {
    ShapeStyle {
        color: RGBAColor(p.rgb.0, p.rgb.1, p.rgb.2, p.alpha),
        filled,
        stroke_width: (width * UNITS).round().max(1.0) as u32,
    }
}

fn err<E: std::fmt::Display>(e: E) -> ChartError {
    ChartError::Render(e.to_string())
}

/// Text as written into the SVG: labels holding right-to-left letters are wrapped in a
/// first-strong isolate (U+2068 … U+2069) so that the viewer picks the same paragraph direction
/// as the PNG renderer does.
fn svg_text(text: &str) -> String {
    let rtl = text
        .chars()
        .any(|c| matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF));
    if rtl {
        format!("\u{2068}{text}\u{2069}")
    } else {
        text.to_string()
    }
}

/// Draws `scene` as an SVG document.
pub(crate) fn svg(scene: &Scene) -> Result<String> {
    font::register();
    let (w, h) = (
        scene.width.round().max(1.0) as u32,
        scene.height.round().max(1.0) as u32,
    );
    let mut out = String::new();
    {
        let mut b = SVGBackend::with_string(&mut out, (w * UNITS as u32, h * UNITS as u32));
        for shape in &scene.shapes {
            match shape {
                Shape::Rect {
                    x0,
                    y0,
                    x1,
                    y1,
                    fill,
                    stroke,
                } => {
                    if let Some(p) = fill {
                        b.draw_rect(
                            (u(*x0), u(*y0)),
                            (u(*x1), u(*y1)),
                            &style(*p, true, 1.0),
                            true,
                        )
                        .map_err(err)?;
                    }
                    if let Some((p, width)) = stroke {
                        b.draw_rect(
                            (u(*x0), u(*y0)),
                            (u(*x1), u(*y1)),
                            &style(*p, false, *width),
                            false,
                        )
                        .map_err(err)?;
                    }
                }
                Shape::Line {
                    points,
                    paint,
                    width,
                } => {
                    b.draw_path(
                        points.iter().map(|&(x, y)| (u(x), u(y))),
                        &style(*paint, false, *width),
                    )
                    .map_err(err)?;
                }
                Shape::Polygon { points, fill } => {
                    b.fill_polygon(
                        points.iter().map(|&(x, y)| (u(x), u(y))),
                        &style(*fill, true, 1.0),
                    )
                    .map_err(err)?;
                }
                Shape::Circle {
                    cx,
                    cy,
                    r,
                    fill,
                    stroke,
                } => {
                    let radius = (r * UNITS).round().max(1.0) as u32;
                    if let Some(p) = fill {
                        b.draw_circle((u(*cx), u(*cy)), radius, &style(*p, true, 1.0), true)
                            .map_err(err)?;
                    }
                    if let Some((p, width)) = stroke {
                        b.draw_circle((u(*cx), u(*cy)), radius, &style(*p, false, *width), false)
                            .map_err(err)?;
                    }
                }
                Shape::Text {
                    x,
                    y,
                    text,
                    size,
                    bold,
                    paint,
                    align,
                    rotated,
                } => {
                    let weight = if *bold {
                        FontStyle::Bold
                    } else {
                        FontStyle::Normal
                    };
                    let h = match align {
                        Align::Start => HPos::Left,
                        Align::Middle => HPos::Center,
                        Align::End => HPos::Right,
                    };
                    let mut ts = FontDesc::new(
                        FontFamily::Name(FONT_FAMILY),
                        size * UNITS * PLOTTERS_SIZE_FACTOR,
                        weight,
                    )
                    .color(&RGBAColor(
                        paint.rgb.0,
                        paint.rgb.1,
                        paint.rgb.2,
                        paint.alpha,
                    ))
                    .pos(Pos::new(h, VPos::Top));
                    if *rotated {
                        ts = ts.transform(FontTransform::Rotate270);
                    }
                    b.draw_text(&svg_text(text), &ts, (u(*x), u(*y)))
                        .map_err(err)?;
                }
            }
        }
        b.present().map_err(err)?;
    }
    // Show the document at its logical size; the viewBox keeps the backend's units.
    let from = format!(
        "<svg width=\"{}\" height=\"{}\"",
        w * UNITS as u32,
        h * UNITS as u32
    );
    let to = format!("<svg width=\"{w}\" height=\"{h}\"");
    if !out.starts_with(&from) {
        return Err(ChartError::Render(
            "unexpected SVG header from plotters".into(),
        ));
    }
    out.replace_range(..from.len(), &to);
    Ok(round_font_sizes(&out))
}

/// plotters writes `font-size` as its size divided by 1.24, which leaves float noise
/// (`120.00000000000001`); sizes are rounded to two decimals.
fn round_font_sizes(svg: &str) -> String {
    const KEY: &str = "font-size=\"";
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(i) = rest.find(KEY) {
        out.push_str(&rest[..i + KEY.len()]);
        rest = &rest[i + KEY.len()..];
        let end = rest.find('"').unwrap_or(rest.len());
        match rest[..end].parse::<f64>() {
            Ok(v) => {
                let s = format!("{v:.2}");
                out.push_str(s.trim_end_matches('0').trim_end_matches('.'));
            }
            Err(_) => out.push_str(&rest[..end]),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_has_logical_size_and_viewbox() {
        let mut s = Scene::new(300.0, 200.0);
        s.text(
            10.0,
            10.0,
            "Hello",
            12.0,
            false,
            Paint::rgb(0, 0, 0),
            Align::Start,
        );
        let out = svg(&s).unwrap();
        assert!(out.starts_with("<svg width=\"300\" height=\"200\" viewBox=\"0 0 3000 2000\""));
        assert!(out.contains("DejaVu Sans"));
        assert!(out.contains("font-size=\"120\""), "{out}");
        assert!(out.contains("Hello"), "{out}");
    }

    #[test]
    fn rtl_text_is_isolated() {
        assert_eq!(svg_text("ایران"), "\u{2068}ایران\u{2069}");
        assert_eq!(svg_text("Iran"), "Iran");
    }
}
