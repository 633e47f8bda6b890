//! The bundled font (DejaVu Sans 2.37, regular and bold, from the `dejavu` crate), measured and
//! laid out here with `ab_glyph` so that layout, PNG glyphs and SVG text all use the same metrics.
//! No system font is ever looked up.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, GlyphId, PxScale};

use crate::shape;

/// The licence of the bundled DejaVu fonts (Bitstream Vera licence, DejaVu changes in the public
/// domain), to be shown wherever the program lists its third-party licences.
pub const FONT_LICENSE: &str = include_str!("../LICENSE-DejaVu-fonts.txt");

/// The font family written into SVG files: DejaVu Sans first, then fonts of similar metrics.
pub const FONT_FAMILY: &str = "DejaVu Sans, Bitstream Vera Sans, Verdana, sans-serif";

/// Where the baseline sits below the top of a text box, in ems.
pub(crate) const TOP_TO_BASELINE: f64 = 0.76;

struct Fonts {
    regular: FontRef<'static>,
    bold: FontRef<'static>,
}

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| Fonts {
        regular: FontRef::try_from_slice(dejavu::sans::regular())
            .expect("the bundled DejaVu Sans is a valid font"),
        bold: FontRef::try_from_slice(dejavu::sans::bold())
            .expect("the bundled DejaVu Sans Bold is a valid font"),
    })
}

/// Whether the bundled regular font has a glyph for `c`.
pub fn covers(c: char) -> bool {
    fonts().regular.glyph_id(c).0 != 0
}

pub(crate) fn has_glyph(c: char) -> bool {
    covers(c)
}

/// One glyph placed on a line of text: which face, which glyph, its pen position in pixels.
pub(crate) struct Placed {
    pub bold: bool,
    pub id: GlyphId,
    pub x: f32,
}

/// A line of text laid out at `size` pixels per em: glyphs in visual order and the advance width.
pub(crate) struct Line {
    pub glyphs: Vec<Placed>,
    pub width: f32,
    pub scale: PxScale,
    pub scale_bold: PxScale,
}

fn px_scale(font: &FontRef<'static>, size: f32) -> PxScale {
    let upem = font.units_per_em().unwrap_or(2048.0);
    PxScale::from(size * font.height_unscaled() / upem)
}

pub(crate) fn face(bold: bool) -> &'static FontRef<'static> {
    if bold {
        &fonts().bold
    } else {
        &fonts().regular
    }
}

/// Format characters (soft hyphen, zero-width and bidi controls) that draw nothing.
fn is_invisible(c: char) -> bool {
    matches!(c as u32, 0x00AD | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2069 | 0xFEFF)
}

/// Lays out `text` (already in display form, see [`shape::display`]) at `size` px per em. A
/// character missing from the bold face is taken from the regular face; one missing from both is
/// drawn as the font's missing-glyph box.
pub(crate) fn layout(text: &str, size: f64, bold: bool) -> Line {
    let f = fonts();
    let size = size.max(0.0) as f32;
    let scale = px_scale(&f.regular, size);
    let scale_bold = px_scale(&f.bold, size);
    let mut glyphs = Vec::new();
    let mut x = 0f32;
    let mut prev: Option<(bool, GlyphId)> = None;
    for c in text.chars() {
        if c.is_control() || is_invisible(c) {
            continue;
        }
        let use_bold = bold && f.bold.glyph_id(c).0 != 0;
        let font = if use_bold { &f.bold } else { &f.regular };
        let sc = if use_bold { scale_bold } else { scale };
        let id = font.glyph_id(c);
        let factor = sc.x / font.height_unscaled();
        if let Some((pb, pid)) = prev {
            if pb == use_bold {
                x += font.kern_unscaled(pid, id) * factor;
            }
        }
        glyphs.push(Placed {
            bold: use_bold,
            id,
            x,
        });
        x += font.h_advance_unscaled(id) * factor;
        prev = Some((use_bold, id));
    }
    Line {
        glyphs,
        width: x,
        scale,
        scale_bold,
    }
}

/// The advance width in pixels of `text` (logical order; shaped for display first).
pub(crate) fn width(text: &str, size: f64, bold: bool) -> f64 {
    layout(&shape::display(text), size, bold).width as f64
}

/// `text` cut to fit `max_width` pixels, ending with "…" when cut. Never panics; returns "" when
/// not even the ellipsis fits.
pub(crate) fn ellipsize(text: &str, size: f64, bold: bool, max_width: f64) -> String {
    let text = text.trim();
    if width(text, size, bold) <= max_width {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    // Binary search on the number of characters kept.
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate: String = chars[..mid]
            .iter()
            .collect::<String>()
            .trim_end()
            .to_string()
            + "…";
        if width(&candidate, size, bold) <= max_width {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    if lo == 0 {
        if width("…", size, bold) <= max_width {
            return "…".to_string();
        }
        return String::new();
    }
    chars[..lo]
        .iter()
        .collect::<String>()
        .trim_end()
        .to_string()
        + "…"
}

/// Font metrics in ems: ascent (positive), descent (positive, below the baseline).
pub(crate) fn ascent_descent() -> (f64, f64) {
    let f = &fonts().regular;
    let upem = f.units_per_em().unwrap_or(2048.0) as f64;
    (
        f.ascent_unscaled() as f64 / upem,
        -f.descent_unscaled() as f64 / upem,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_russian_persian_and_arabic() {
        for c in "Россия Ёё Кыргызстан ایران پچژکگی العربية".chars()
        {
            assert!(
                covers(c),
                "{c:?} (U+{:04X}) is not in DejaVu Sans",
                c as u32
            );
        }
    }

    #[test]
    fn widths_grow_with_text_and_size() {
        let a = width("Ab", 12.0, false);
        let b = width("Abc", 12.0, false);
        assert!(a > 0.0 && b > a);
        assert!(width("Abc", 24.0, false) > 1.9 * b);
        assert_eq!(width("", 12.0, false), 0.0);
    }

    #[test]
    fn ellipsize_cuts_long_text() {
        let long = "a very long label that will never fit in forty pixels";
        let cut = ellipsize(long, 12.0, false, 60.0);
        assert!(cut.ends_with('…'));
        assert!(width(&cut, 12.0, false) <= 60.0);
        assert_eq!(ellipsize("ok", 12.0, false, 100.0), "ok");
        assert_eq!(ellipsize(long, 12.0, false, 1.0), "");
    }
}
