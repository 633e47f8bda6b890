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

/// Characters that belong inside a token: letters, digits, combining marks and private-use
/// characters (`unicode61`'s categories `L* N* Co M*`).
pub fn is_token_char(c: char) -> bool {
    // The Cyrillic block and Arabic's letters and harakat without the Unicode table searches
    // (a test holds this equal to the rule below for every character).
    match c as u32 {
        0..=0x7F => c.is_ascii_alphanumeric(),
        0x400..=0x481 | 0x483..=0x4FF | 0x620..=0x65F => true,
        _ => is_token_char_by_tables(c),
    }
}

fn is_token_char_by_tables(c: char) -> bool {
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

/// The work [`token_spans`] did on the calling thread since it started: calls, bytes of text
/// handed to it, tokens it produced. Tests pin with it how much an algorithm tokenizes (a
/// concordance must not re-read an article per hit) without timing anything.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TokenWork {
    pub calls: u64,
    pub bytes: u64,
    pub tokens: u64,
}

thread_local! {
    static WORK: std::cell::Cell<TokenWork> = const {
        std::cell::Cell::new(TokenWork { calls: 0, bytes: 0, tokens: 0 })
    };
}

/// [`TokenWork`] of the calling thread (tokens are added when an iterator is dropped).
pub fn token_work() -> TokenWork {
    WORK.with(|w| w.get())
}

/// Counts the tokens one iterator produced; adds them to [`WORK`] when it is dropped.
struct Tally(u64);

impl Tally {
    fn count(&mut self, one: bool) {
        self.0 += one as u64;
    }
}

impl Drop for Tally {
    fn drop(&mut self) {
        let n = self.0;
        WORK.with(|w| {
            let mut v = w.get();
            v.tokens += n;
            w.set(v);
        });
    }
}

/// The tokens of `text`, in order.
pub fn token_spans(text: &str) -> impl Iterator<Item = Token> + '_ {
    WORK.with(|w| {
        let mut v = w.get();
        v.calls += 1;
        v.bytes += text.len() as u64;
        w.set(v);
    });
    let mut tally = Tally(0);
    // In ASCII text the tokens are the maximal runs of letters and digits: UAX #29 never
    // breaks between two ASCII letters or digits (WB5, WB8–WB10), and every other ASCII
    // character ends a token. That is several times faster than the segmenter.
    let ascii = text.is_ascii();
    let mut fast = ascii.then_some(AsciiTokens {
        bytes: text.as_bytes(),
        pos: 0,
    });
    let mut slow = (!ascii).then(|| {
        text.split_word_bound_indices().flat_map(|(offset, word)| {
            split_word(word).map(move |(s, e)| Token {
                start: offset + s,
                end: offset + e,
            })
        })
    });
    std::iter::from_fn(move || {
        let t = match (&mut fast, &mut slow) {
            (Some(f), _) => f.next(),
            (None, Some(s)) => s.next(),
            (None, None) => None,
        };
        // A method call: the closure owns the whole `Tally` (not only its field), so the count
        // is added when the iterator is dropped.
        tally.count(t.is_some());
        t
    })
}

/// Maximal runs of ASCII letters and digits.
struct AsciiTokens<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Iterator for AsciiTokens<'_> {
    type Item = Token;
    fn next(&mut self) -> Option<Token> {
        let b = self.bytes;
        let mut i = self.pos;
        while i < b.len() && !b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i == b.len() {
            self.pos = i;
            return None;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        self.pos = i;
        Some(Token { start, end: i })
    }
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

    #[test]
    fn the_fast_token_characters_are_the_table_ones() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(
                is_token_char(c),
                is_token_char_by_tables(c),
                "U+{:04X}",
                c as u32
            );
        }
    }

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

    /// The ASCII fast path gives exactly the segmenter's tokens.
    #[test]
    fn ascii_fast_path_equals_the_segmenter() {
        let reference = |t: &str| -> Vec<Token> {
            t.split_word_bound_indices()
                .flat_map(|(offset, word)| {
                    split_word(word).map(move |(s, e)| Token {
                        start: offset + s,
                        end: offset + e,
                    })
                })
                .collect()
        };
        // Every printable ASCII character and the control characters news text carries, in
        // pseudo-random strings (fixed seed), plus hand-picked cases.
        let alphabet: Vec<char> = (0x20u8..0x7f)
            .map(char::from)
            .chain(['\n', '\t', '\r'])
            .collect();
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut cases: Vec<String> = vec![
            "don't re-arm U.S. 25,000 3.5% e-mail a_b x1y2 '' --".into(),
            "Mr. O'Neill's #1 @home: 10:30, 1,000.5".into(),
        ];
        for _ in 0..3000 {
            let len = (x % 40) as usize;
            let mut s = String::new();
            for _ in 0..len {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                s.push(alphabet[(x % alphabet.len() as u64) as usize]);
            }
            cases.push(s);
        }
        for c in &cases {
            let fast: Vec<Token> = token_spans(c).collect();
            assert_eq!(fast, reference(c), "{c:?}");
        }
    }

    #[test]
    fn work_is_counted_per_thread() {
        let before = token_work();
        let n = token_spans("one two, three").take(2).count();
        assert_eq!(n, 2);
        let after = token_work();
        assert_eq!(after.calls - before.calls, 1);
        assert_eq!(after.bytes - before.bytes, 14);
        assert_eq!(after.tokens - before.tokens, 2);
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
