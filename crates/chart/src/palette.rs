//! Colours: the Okabe–Ito categorical palette (distinguishable with the common forms of colour
//! blindness) in a fixed order, Paul Tol's sequential YlOrBr scale for heatmaps, and the greys of
//! axes, grids and text.

use plotters::style::{RGBAColor, ShapeStyle};

/// A colour with opacity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Paint {
    pub rgb: (u8, u8, u8),
    pub alpha: f64,
}

impl Paint {
    pub const fn rgb(r: u8, g: u8, b: u8) -> Self {
        Paint {
            rgb: (r, g, b),
            alpha: 1.0,
        }
    }

    pub const fn hex(v: u32) -> Self {
        Paint::rgb((v >> 16) as u8, (v >> 8) as u8, v as u8)
    }

    pub fn with_alpha(self, alpha: f64) -> Self {
        Paint { alpha, ..self }
    }

    /// Relative luminance (sRGB, 0 to 1), used to pick dark or light text on a fill.
    pub fn luminance(self) -> f64 {
        let lin = |c: u8| {
            let c = c as f64 / 255.0;
            // A polynomial fit of the sRGB transfer curve (avoids `powf`, for determinism).
            c * (c * (c * 0.305_306_011 + 0.682_171_111) + 0.012_522_878)
        };
        0.2126 * lin(self.rgb.0) + 0.7152 * lin(self.rgb.1) + 0.0722 * lin(self.rgb.2)
    }

    pub fn rgba(self) -> RGBAColor {
        RGBAColor(self.rgb.0, self.rgb.1, self.rgb.2, self.alpha)
    }

    /// A plotters style: filled, or a stroke `width` logical pixels wide.
    pub fn fill(self) -> ShapeStyle {
        ShapeStyle {
            color: self.rgba(),
            filled: true,
            stroke_width: 0,
        }
    }

    pub fn stroke(self, width: f64) -> ShapeStyle {
        ShapeStyle {
            color: self.rgba(),
            filled: false,
            stroke_width: crate::canvas::units(width).max(1) as u32,
        }
    }
}

pub(crate) const WHITE: Paint = Paint::rgb(255, 255, 255);
/// Other series drawn for comparison behind a panel's own.
pub(crate) const CONTEXT: Paint = Paint::hex(0xD0D0D0);

/// Series colours in order (Okabe & Ito 2008, "Color Universal Design"), reordered so that the
/// first ones read well as thin lines on white: blue, vermillion, bluish green, reddish purple,
/// orange, sky blue, black, yellow.
pub const CATEGORICAL: [u32; 8] = [
    0x0072B2, 0xD55E00, 0x009E73, 0xCC79A7, 0xE69F00, 0x56B4E9, 0x000000, 0xF0E442,
];

/// Paul Tol's YlOrBr sequential scheme (colour-blind safe, prints in grey), low to high.
pub const SEQUENTIAL: [u32; 9] = [
    0xFFFFE5, 0xFFF7BC, 0xFEE391, 0xFEC44F, 0xFB9A29, 0xEC7014, 0xCC4C02, 0x993404, 0x662506,
];

/// The colour of series `i` (cycling after eight).
pub(crate) fn series(i: usize) -> Paint {
    Paint::hex(CATEGORICAL[i % CATEGORICAL.len()])
}

/// Target and reference colours in keyness charts.
pub(crate) const TARGET: Paint = Paint::hex(0x0072B2);
pub(crate) const REFERENCE: Paint = Paint::hex(0xD55E00);

pub(crate) const TEXT: Paint = Paint::hex(0x222222);
pub(crate) const MUTED: Paint = Paint::hex(0x555555);
pub(crate) const AXIS: Paint = Paint::hex(0x666666);
pub(crate) const GRID: Paint = Paint::hex(0xE3E3E3);
pub(crate) const MISSING: Paint = Paint::hex(0xD9D9D9);

/// The sequential colour at `t` in [0, 1] (linear interpolation between Tol's nine stops; NaN
/// and out-of-range values are clamped).
pub(crate) fn sequential(t: f64) -> Paint {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let pos = t * (SEQUENTIAL.len() - 1) as f64;
    let i = (pos.floor() as usize).min(SEQUENTIAL.len() - 2);
    let f = pos - i as f64;
    let a = Paint::hex(SEQUENTIAL[i]).rgb;
    let b = Paint::hex(SEQUENTIAL[i + 1]).rgb;
    let mix = |x: u8, y: u8| (x as f64 + (y as f64 - x as f64) * f).round() as u8;
    Paint::rgb(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequential_ends_and_clamps() {
        assert_eq!(sequential(0.0), Paint::hex(0xFFFFE5));
        assert_eq!(sequential(1.0), Paint::hex(0x662506));
        assert_eq!(sequential(f64::NAN), Paint::hex(0xFFFFE5));
        assert_eq!(sequential(7.0), Paint::hex(0x662506));
    }

    #[test]
    fn series_colours_cycle() {
        assert_eq!(series(0), series(8));
        assert_ne!(series(0), series(1));
    }
}
