//! Folding: the search form of text (written to the FTS5 index and applied to query terms) and
//! the count form of a token (what word lists show). Neither changes the stored article.
//!
//! Search form: NFKC, lower case, Latin diacritics removed (`Bişkek` finds `Bishkek`), `ё` → `е`,
//! Arabic-script letters folded (ي → ی, ك → ک, hamza and madda carriers to their base letter,
//! harakat, tatweel and zero-width joiners removed), Arabic-Indic digits → ASCII, and CJK
//! characters spaced apart so the index holds one token per character.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};
use unicode_normalization::{is_nfc_quick, is_nfkc_quick, IsNormalized, UnicodeNormalization};

use crate::tokens::is_cjk;

fn is_latin(c: char) -> bool {
    matches!(c as u32, 0x41..=0x24F | 0x1E00..=0x1EFF)
}

/// Arabic harakat, Quranic marks, the superscript alef, hamza above/below.
fn is_arabic_mark(c: char) -> bool {
    matches!(c as u32, 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED)
}

fn fold_digit(c: char) -> char {
    match c as u32 {
        0x0660..=0x0669 => char::from_u32(c as u32 - 0x0660 + 0x30).unwrap_or(c),
        0x06F0..=0x06F9 => char::from_u32(c as u32 - 0x06F0 + 0x30).unwrap_or(c),
        _ => c,
    }
}

/// Pushes the search form of one (already NFKC, lower-cased) character.
fn push_search_char(c: char, out: &mut String) {
    match c {
        '\u{0640}' | '\u{200C}' | '\u{200D}' => {} // tatweel, ZWNJ, ZWJ
        'ё' => out.push('е'),
        '\u{064A}' => out.push('\u{06CC}'), // Arabic yeh → Persian yeh
        '\u{0643}' => out.push('\u{06A9}'), // Arabic kaf → Persian keheh
        c if is_arabic_mark(c) => {}
        // Letters carrying hamza or madda: decompose and keep the base letter.
        '\u{0622}' | '\u{0623}' | '\u{0625}' | '\u{0671}' => out.push('\u{0627}'),
        '\u{0624}' => out.push('\u{0648}'),
        '\u{0626}' => out.push('\u{06CC}'),
        '\u{06C0}' => out.push('\u{0647}'),
        c if is_latin(c) && !c.is_ascii() => {
            decompose_canonical(c, |d| {
                if !is_combining_mark(d) {
                    out.push(d)
                }
            });
        }
        c if is_combining_mark(c) && out.chars().last().is_some_and(is_latin) => {}
        c => out.push(fold_digit(c)),
    }
}

/// Starters whose NFC and NFKC quick-check value is Yes (none combines with a character before
/// it or has a compatibility mapping): ASCII, the Cyrillic letters, the common Arabic, Persian
/// and Urdu letters, digits and punctuation, the zero-width joiners, and the quotation marks
/// and dashes of news text (a test checks each against the Unicode tables). Text made only of
/// them is in NFC and NFKC, found out without a table lookup.
fn is_plain(c: char) -> bool {
    matches!(c as u32,
        0..=0x7F | 0xAB | 0xBB
        | 0x400..=0x482 | 0x48A..=0x4FF
        | 0x60C | 0x61B | 0x61F | 0x620..=0x64A | 0x660..=0x66D
        | 0x679 | 0x67E | 0x686 | 0x688 | 0x691 | 0x698 | 0x6A9 | 0x6AF | 0x6BA | 0x6BE
        | 0x6C1 | 0x6CC | 0x6D2 | 0x6D4 | 0x6F0..=0x6F9
        | 0x200C | 0x200D | 0x2013 | 0x2014 | 0x2018 | 0x2019 | 0x201C | 0x201D)
}

/// Calls `f` with each character of `s` in NFKC. Text already in NFKC (nearly all text: the
/// quick check is a table lookup per character) is not decomposed and recomposed.
pub(crate) fn for_each_nfkc(s: &str, f: impl FnMut(char)) {
    if s.chars().all(is_plain) || is_nfkc_quick(s.chars()) == IsNormalized::Yes {
        s.chars().for_each(f)
    } else {
        s.nfkc().for_each(f)
    }
}

/// [`for_each_nfkc`] for NFC.
pub(crate) fn for_each_nfc(s: &str, f: impl FnMut(char)) {
    if s.chars().all(is_plain) || is_nfc_quick(s.chars()) == IsNormalized::Yes {
        s.chars().for_each(f)
    } else {
        s.nfc().for_each(f)
    }
}

/// Calls `f` with the lower case of `c` (as [`char::to_lowercase`]), without the table search
/// for ASCII, the Russian alphabet and the Arabic script (which has no case).
pub(crate) fn for_each_lower(c: char, mut f: impl FnMut(char)) {
    let shifted = |by: u32| char::from_u32(c as u32 + by).unwrap_or(c);
    match c as u32 {
        0x41..=0x5A | 0x410..=0x42F => f(shifted(0x20)),
        0x400..=0x40F => f(shifted(0x50)),
        0..=0x40 | 0x5B..=0x7F | 0x430..=0x45F | 0x600..=0x6FF => f(c),
        _ => c.to_lowercase().for_each(f),
    }
}

/// The search form of a word or phrase.
pub fn search_fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    search_fold_into(s, &mut out);
    out
}

/// [`search_fold`], appended to `out` (for callers that fold many tokens into one buffer).
pub fn search_fold_into(s: &str, out: &mut String) {
    if s.is_ascii() {
        let start = out.len();
        out.push_str(s);
        out[start..].make_ascii_lowercase();
        return;
    }
    for_each_nfkc(s, |c| for_each_lower(c, |l| push_search_char(l, out)));
}

/// The search form of a whole title or body, as written to the FTS5 index: [`search_fold`]
/// plus spaces around CJK characters so that each is its own index token.
pub fn search_text(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for_each_nfkc(s, |c| {
        for_each_lower(c, |l| {
            if is_cjk(l) {
                out.push(' ');
                out.push(l);
                out.push(' ');
            } else {
                push_search_char(l, &mut out);
            }
        })
    });
    out
}

/// The count form of one token: lower case, NFC; in Arabic script, harakat, tatweel and joiners
/// removed, and for Persian text (`lang == "fa"`) Arabic ي/ك written as Persian ی/ک. Latin
/// diacritics are kept (`café` and `cafe` are different words in a word list).
pub fn count_form(token: &str, lang: &str) -> String {
    let mut out = String::with_capacity(token.len());
    count_form_into(token, lang, &mut out);
    out
}

/// [`count_form`], appended to `out`.
pub fn count_form_into(token: &str, lang: &str, out: &mut String) {
    if token.is_ascii() {
        let start = out.len();
        out.push_str(token);
        out[start..].make_ascii_lowercase();
        return;
    }
    let persian = lang == "fa";
    for_each_nfc(token, |c| {
        for_each_lower(c, |l| match l {
            '\u{0640}' | '\u{200C}' | '\u{200D}' => {}
            c if is_arabic_mark(c) => {}
            '\u{064A}' if persian => out.push('\u{06CC}'),
            '\u{0643}' if persian => out.push('\u{06A9}'),
            c => out.push(c),
        })
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_and_cyrillic() {
        assert_eq!(search_fold("Bişkek"), "biskek");
        assert_eq!(search_fold("CAFÉ"), "cafe");
        assert_eq!(search_fold("Ёлка"), "елка");
        assert_eq!(
            search_fold("Йемен"),
            "йемен",
            "й is a letter of its own, not и"
        );
        assert_eq!(search_fold("ﬁnance"), "finance", "NFKC unfolds ligatures");
    }

    #[test]
    fn persian_and_arabic_letters_meet() {
        // The Arabic-letter spelling (as in 678 Fars News articles) and the Persian spelling
        // fold to the same search form.
        let arabic = "\u{0631}\u{0626}\u{064A}\u{0633} \u{0643}\u{0644}"; // رئيس كل
        let persian = "\u{0631}\u{06CC}\u{06CC}\u{0633} \u{06A9}\u{0644}"; // رییس کل
        assert_eq!(search_fold(arabic), search_fold(persian));
        assert_eq!(search_fold("می\u{200C}شود"), "میشود");
        assert_eq!(search_fold("كَتَبَ"), search_fold("کتب"));
        assert_eq!(search_fold("۱۳۹۴"), "1394");
        assert_eq!(search_fold("أحمد"), search_fold("احمد"));
        assert_eq!(search_fold("تـــهران"), "تهران");
    }

    #[test]
    fn cjk_is_spaced_in_the_index_form() {
        assert_eq!(search_text("北京 News"), " 北  京  news");
        assert_eq!(search_fold("北京"), "北京");
    }

    #[test]
    fn the_fast_lower_case_is_the_standard_one() {
        for c in (0..0x800).filter_map(char::from_u32) {
            let mut fast = String::new();
            for_each_lower(c, |l| fast.push(l));
            assert_eq!(
                fast,
                c.to_lowercase().collect::<String>(),
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn plain_characters_need_no_normalization() {
        use unicode_normalization::char::canonical_combining_class;
        let mut plain = 0;
        for c in (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|&c| is_plain(c))
        {
            let one = std::iter::once(c);
            assert_eq!(
                is_nfc_quick(one.clone()),
                IsNormalized::Yes,
                "U+{:04X}",
                c as u32
            );
            assert_eq!(is_nfkc_quick(one), IsNormalized::Yes, "U+{:04X}", c as u32);
            assert_eq!(canonical_combining_class(c), 0, "U+{:04X}", c as u32);
            plain += 1;
        }
        assert!(plain > 400);
    }

    #[test]
    fn text_needing_normalization_is_still_normalized() {
        // Decomposed й (и + combining breve), a compatibility ligature and a Hangul jamo
        // sequence are not in NFKC: the quick check sends them through the normalizer.
        assert_eq!(search_fold("\u{0418}\u{0306}емен"), search_fold("Йемен"));
        assert_eq!(search_text("\u{FB01}nance"), "finance");
        assert_eq!(count_form("\u{0438}\u{0306}", "ru"), "й");
        assert_eq!(count_form("Cafe\u{0301}", "fr"), "café");
        assert_eq!(search_text("\u{1100}\u{1161}"), "\u{AC00}");
    }

    #[test]
    fn count_forms() {
        assert_eq!(count_form("Kyrgyzstan", "en"), "kyrgyzstan");
        assert_eq!(count_form("Café", "fr"), "café");
        assert_eq!(count_form("بانكي", "fa"), "بانکی");
        assert_eq!(count_form("بانكي", "ar"), "بانكي");
        assert_eq!(count_form("می\u{200C}شود", "fa"), "میشود");
    }
}
