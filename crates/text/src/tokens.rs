//! Tokens: Unicode word boundaries (UAX #29), each word then split at characters that are not
//! letters, digits or combining marks, exactly as SQLite's `unicode61` tokenizer splits, so
//! that what the search index matches and what the analyses count are the same tokens.
//!
//! Rules (documented in docs/TEXT.md): `don't` → `don`, `t`; `25,000` → `25`, `000`;
//! `al-Qaeda` → `al`, `qaeda`; a zero-width non-joiner inside a Persian word keeps it one token;
//! CJK ideographs and kana are one token per character (UAX #29 breaks between them), which the
//! analyses pair into character bigrams.

use unicode_segmentation::UnicodeSegmentation;

/// A token as a byte range of the text it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
}

impl Token {
    pub fn text<'a>(&self, s: &'a str) -> &'a str {
        &s[self.start..self.end]
    }
}

/// Characters that belong inside a token.
pub fn is_token_char(c: char) -> bool {
    c.is_alphanumeric()
        || unicode_normalization::char::is_combining_mark(c)
        || ('\u{E000}'..='\u{F8FF}').contains(&c)
}

/// A zero-width joiner or non-joiner, kept inside a token when letters stand on both sides.
fn is_joiner(c: char) -> bool {
    c == '\u{200C}' || c == '\u{200D}'
}

/// Ideographs and kana: one token per character.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xF900..=0xFAFF    // Compatibility Ideographs
        | 0x20000..=0x3134F) // Extensions B–G
}

/// The tokens of `text`, in order.
pub fn token_spans(text: &str) -> impl Iterator<Item = Token> + '_ {
    text.split_word_bound_indices().flat_map(|(offset, word)| {
        split_word(word).map(move |(s, e)| Token {
            start: offset + s,
            end: offset + e,
        })
    })
}

/// Splits one UAX #29 word into runs of token characters.
fn split_word(word: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut chars = word.char_indices().peekable();
    std::iter::from_fn(move || {
        // Skip to the first token character.
        let (start, first) = loop {
            let (i, c) = chars.next()?;
            if is_token_char(c) {
                break (i, c);
            }
        };
        let mut end = start + first.len_utf8();
        if is_cjk(first) {
            return Some((start, end));
        }
        while let Some(&(i, c)) = chars.peek() {
            if is_token_char(c) && !is_cjk(c) {
                end = i + c.len_utf8();
                chars.next();
            } else if is_joiner(c) {
                // Keep a joiner only when a token character follows it.
                let mut look = chars.clone();
                look.next();
                match look.peek() {
                    Some(&(_, n)) if is_token_char(n) && !is_cjk(n) => {
                        chars.next();
                    }
                    _ => break,
                }
            } else {
                break;
            }
        }
        Some((start, end))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &[&str]) {
        let got: Vec<&str> = token_spans(input).map(|t| t.text(input)).collect();
        assert_eq!(got, expected, "tokens of {input:?}");
    }

    #[test]
    fn latin_rules() {
        check(
            "Moscow re-equips Bishkek.",
            &["Moscow", "re", "equips", "Bishkek"],
        );
        check("Shoigu's don't", &["Shoigu", "s", "don", "t"]);
        check(
            "25,000 militants; 3.5%",
            &["25", "000", "militants", "3", "5"],
        );
        check("U.S. (Daesh)", &["U", "S", "Daesh"]);
        check("Café naïve", &["Café", "naïve"]);
        check("", &[]);
        check("  ,;  ", &[]);
    }

    #[test]
    fn cyrillic_and_kyrgyz() {
        check("Шойгу заявил: «Россия»", &["Шойгу", "заявил", "Россия"]);
        check("Кыргызстандын өкмөтү", &["Кыргызстандын", "өкмөтү"]);
    }

    #[test]
    fn arabic_script_keeps_marks_and_joiners() {
        // ZWNJ inside می‌شود keeps one token; harakat stay inside the token.
        check("می\u{200C}شود", &["می\u{200C}شود"]);
        check("كَتَبَ الولد", &["كَتَبَ", "الولد"]);
        // A trailing joiner is not part of the token.
        check("می\u{200C} x", &["می", "x"]);
    }

    #[test]
    fn cjk_is_one_token_per_character() {
        check("北京大学 Beijing", &["北", "京", "大", "学", "Beijing"]);
        check("カタカナ", &["カ", "タ", "カ", "ナ"]);
    }

    #[test]
    fn devanagari_vowel_signs_stay_inside_words() {
        check("हिन्दी भाषा", &["हिन्दी", "भाषा"]);
    }
}
