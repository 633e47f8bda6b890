//! Text in display order for the PNG renderer, which has no shaping engine: Arabic-script letters
//! are replaced by their contextual presentation forms (isolated, final, initial, medial; lam-alef
//! ligatures) and right-to-left runs are reordered by a simplified Unicode bidi algorithm.
//!
//! This is an approximation of real shaping (HarfBuzz): it covers the Arabic and Persian
//! alphabets, but not Urdu-specific letters, vowel-mark placement, or nested embeddings. SVG files
//! keep the logical text, which the viewer shapes itself.

use crate::font;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Joining {
    /// Joins on both sides: isolated, final, initial, medial forms.
    Dual,
    /// Joins only to the preceding letter: isolated and final forms.
    Right,
}

/// (letter, joining, first presentation form). Dual-joining letters have four consecutive
/// forms (isolated, final, initial, medial), right-joining ones two (isolated, final).
const FORMS: &[(char, Joining, u32)] = &[
    ('\u{0622}', Joining::Right, 0xFE81),
    ('\u{0623}', Joining::Right, 0xFE83),
    ('\u{0624}', Joining::Right, 0xFE85),
    ('\u{0625}', Joining::Right, 0xFE87),
    ('\u{0626}', Joining::Dual, 0xFE89),
    ('\u{0627}', Joining::Right, 0xFE8D),
    ('\u{0628}', Joining::Dual, 0xFE8F),
    ('\u{0629}', Joining::Right, 0xFE93),
    ('\u{062A}', Joining::Dual, 0xFE95),
    ('\u{062B}', Joining::Dual, 0xFE99),
    ('\u{062C}', Joining::Dual, 0xFE9D),
    ('\u{062D}', Joining::Dual, 0xFEA1),
    ('\u{062E}', Joining::Dual, 0xFEA5),
    ('\u{062F}', Joining::Right, 0xFEA9),
    ('\u{0630}', Joining::Right, 0xFEAB),
    ('\u{0631}', Joining::Right, 0xFEAD),
    ('\u{0632}', Joining::Right, 0xFEAF),
    ('\u{0633}', Joining::Dual, 0xFEB1),
    ('\u{0634}', Joining::Dual, 0xFEB5),
    ('\u{0635}', Joining::Dual, 0xFEB9),
    ('\u{0636}', Joining::Dual, 0xFEBD),
    ('\u{0637}', Joining::Dual, 0xFEC1),
    ('\u{0638}', Joining::Dual, 0xFEC5),
    ('\u{0639}', Joining::Dual, 0xFEC9),
    ('\u{063A}', Joining::Dual, 0xFECD),
    ('\u{0641}', Joining::Dual, 0xFED1),
    ('\u{0642}', Joining::Dual, 0xFED5),
    ('\u{0643}', Joining::Dual, 0xFED9),
    ('\u{0644}', Joining::Dual, 0xFEDD),
    ('\u{0645}', Joining::Dual, 0xFEE1),
    ('\u{0646}', Joining::Dual, 0xFEE5),
    ('\u{0647}', Joining::Dual, 0xFEE9),
    ('\u{0648}', Joining::Right, 0xFEED),
    ('\u{0649}', Joining::Right, 0xFEEF),
    ('\u{064A}', Joining::Dual, 0xFEF1),
    // Persian letters (Presentation Forms-A).
    ('\u{067E}', Joining::Dual, 0xFB56),
    ('\u{0686}', Joining::Dual, 0xFB7A),
    ('\u{0698}', Joining::Right, 0xFB8A),
    ('\u{06A9}', Joining::Dual, 0xFB8E),
    ('\u{06AF}', Joining::Dual, 0xFB92),
    ('\u{06CC}', Joining::Dual, 0xFBFC),
];

const TATWEEL: char = '\u{0640}';
const ZWNJ: char = '\u{200C}';
const ZWJ: char = '\u{200D}';

fn forms(c: char) -> Option<(Joining, u32)> {
    FORMS
        .binary_search_by_key(&c, |(ch, _, _)| *ch)
        .ok()
        .map(|i| (FORMS[i].1, FORMS[i].2))
}

/// Combining marks (harakat and the like): transparent for joining, kept with their base.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED)
        || matches!(c as u32, 0x0300..=0x036F)
}

fn is_rtl(c: char) -> bool {
    let u = c as u32;
    let arabic_digit = matches!(u, 0x0660..=0x0669 | 0x06F0..=0x06F9);
    !arabic_digit
        && matches!(u, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF | 0x1EE00..=0x1EEFF)
        && !is_mark(c)
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || matches!(c as u32, 0x0660..=0x0669 | 0x06F0..=0x06F9)
}

fn joins_left(c: char) -> bool {
    // Whether `c` connects to the following letter.
    c == TATWEEL || c == ZWJ || matches!(forms(c), Some((Joining::Dual, _)))
}

fn joins_right(c: char) -> bool {
    // Whether `c` connects to the preceding letter.
    c == TATWEEL || c == ZWJ || forms(c).is_some()
}

/// Replaces Arabic-script letters by their contextual forms (logical order kept).
fn shape_arabic(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    // Index of the previous and next non-mark character.
    let prev_base = |i: usize| (0..i).rev().find(|&j| !is_mark(chars[j])).map(|j| chars[j]);
    let next_base = |i: usize| {
        (i + 1..chars.len())
            .find(|&j| !is_mark(chars[j]))
            .map(|j| (j, chars[j]))
    };
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let Some((joining, first)) = forms(c) else {
            if c != ZWNJ && c != ZWJ {
                out.push(c);
            }
            i += 1;
            continue;
        };
        let connect_prev = prev_base(i).is_some_and(joins_left);
        let next = next_base(i);
        // Lam followed by an alef: one ligature glyph.
        if c == '\u{0644}' {
            if let Some((j, n)) = next {
                let lig = match n {
                    '\u{0622}' => Some(0xFEF5),
                    '\u{0623}' => Some(0xFEF7),
                    '\u{0625}' => Some(0xFEF9),
                    '\u{0627}' => Some(0xFEFB),
                    _ => None,
                };
                if let Some(l) = lig {
                    let form = l + u32::from(connect_prev);
                    if let Some(g) = char::from_u32(form).filter(|g| font::has_glyph(*g)) {
                        out.push(g);
                        // Marks between lam and alef follow the ligature.
                        for &m in &chars[i + 1..j] {
                            out.push(m);
                        }
                        i = j + 1;
                        continue;
                    }
                }
            }
        }
        let connect_next = joining == Joining::Dual && next.is_some_and(|(_, n)| joins_right(n));
        let offset = match (connect_prev, connect_next) {
            (false, false) => 0,
            (true, false) => 1,
            (false, true) => 2,
            (true, true) => 3,
        };
        let shaped = char::from_u32(first + offset)
            .filter(|g| font::has_glyph(*g))
            .unwrap_or(c);
        out.push(shaped);
        i += 1;
    }
    out
}

fn mirror(c: char) -> char {
    match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '<' => '>',
        '>' => '<',
        '«' => '»',
        '»' => '«',
        _ => c,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    L,
    R,
    Num,
    Neutral,
}

/// `text` as it should be drawn left to right: shaped and, when it holds right-to-left letters,
/// reordered (simplified bidi: the paragraph direction is that of the first strong letter;
/// neutrals between runs of the same direction take it, others the paragraph's; numbers stay
/// left to right). Text without right-to-left letters is returned unchanged.
pub(crate) fn display(text: &str) -> String {
    if !text.chars().any(is_rtl) {
        return text.to_string();
    }
    let shaped = shape_arabic(text);
    // Clusters: a base character and the marks after it.
    let mut clusters: Vec<(Class, String)> = Vec::new();
    for c in shaped.chars() {
        if is_mark(c) {
            if let Some(last) = clusters.last_mut() {
                last.1.push(c);
                continue;
            }
        }
        let class = if is_rtl(c) {
            Class::R
        } else if is_digit(c) {
            Class::Num
        } else if c.is_alphabetic() {
            Class::L
        } else {
            Class::Neutral
        };
        clusters.push((class, c.to_string()));
    }
    let base_rtl = clusters
        .iter()
        .find(|(c, _)| matches!(c, Class::L | Class::R))
        .is_some_and(|(c, _)| *c == Class::R);
    // Strong direction used for neutral resolution: numbers count as right-to-left next to
    // right-to-left letters (as in the bidi algorithm) and as left-to-right otherwise.
    let n = clusters.len();
    let strong: Vec<Option<bool>> = clusters
        .iter()
        .map(|(c, _)| match c {
            Class::R => Some(true),
            Class::L => Some(false),
            Class::Num => Some(base_rtl),
            Class::Neutral => None,
        })
        .collect();
    let mut levels = vec![0u8; n];
    for i in 0..n {
        let rtl = match clusters[i].0 {
            Class::R => true,
            Class::L => false,
            Class::Num => {
                levels[i] = if base_rtl { 2 } else { 0 };
                continue;
            }
            Class::Neutral => {
                let before = (0..i).rev().find_map(|j| strong[j]);
                let after = (i + 1..n).find_map(|j| strong[j]);
                match (before, after) {
                    (Some(a), Some(b)) if a == b => a,
                    _ => base_rtl,
                }
            }
        };
        levels[i] = match (base_rtl, rtl) {
            (false, false) => 0,
            (false, true) => 1,
            (true, true) => 1,
            (true, false) => 2,
        };
    }
    // Rule L2: reverse every run at or above each level, from the highest down to 1.
    let mut order: Vec<usize> = (0..n).collect();
    let max = levels.iter().copied().max().unwrap_or(0);
    for level in (1..=max).rev() {
        let mut i = 0;
        while i < n {
            if levels[order[i]] >= level {
                let start = i;
                while i < n && levels[order[i]] >= level {
                    i += 1;
                }
                order[start..i].reverse();
            } else {
                i += 1;
            }
        }
    }
    let mut out = String::with_capacity(shaped.len());
    for i in order {
        let (_, s) = &clusters[i];
        if levels[i] % 2 == 1 {
            let mut cs = s.chars();
            if let Some(first) = cs.next() {
                out.push(mirror(first));
                out.extend(cs);
            }
        } else {
            out.push_str(s);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_table_is_sorted() {
        assert!(FORMS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn latin_and_cyrillic_unchanged() {
        assert_eq!(display("Россия (2020)"), "Россия (2020)");
        assert_eq!(display(""), "");
    }

    #[test]
    fn persian_is_shaped_and_reversed() {
        // ایران: alef (isolated), yeh-farsi (initial), reh (final), alef (isolated), noon (iso.)
        // Visual order: noon, alef, reh, yeh, alef.
        let d = display("ایران");
        let expected: String = ['\u{FEE5}', '\u{FE8D}', '\u{FEAE}', '\u{FBFE}', '\u{FE8D}']
            .iter()
            .collect();
        assert_eq!(d, expected);
    }

    #[test]
    fn lam_alef_ligature() {
        // سلام: seen initial, lam-alef final ligature, meem isolated.
        let d = display("سلام");
        let expected: String = ['\u{FEE1}', '\u{FEFC}', '\u{FEB3}'].iter().collect();
        assert_eq!(d, expected);
    }

    #[test]
    fn numbers_keep_their_order_in_rtl_text() {
        let d = display("سال 2020");
        assert!(d.starts_with("2020 "), "{d}");
    }

    #[test]
    fn mixed_ltr_paragraph() {
        let d = display("Iran (ایران)");
        assert!(d.starts_with("Iran ("), "{d}");
        assert!(d.ends_with(')'), "{d}");
    }

    #[test]
    fn marks_and_zwnj_do_not_panic() {
        for s in [
            "\u{064E}",
            "می\u{200C}خواهم",
            "\u{0644}",
            "ـــ",
            "\u{200C}",
            "بِسْمِ",
        ] {
            let _ = display(s);
        }
    }
}
