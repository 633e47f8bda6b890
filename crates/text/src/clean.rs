//! The stored form of text: HTML entities decoded, Unicode NFC, control characters removed,
//! line endings and runs of spaces tidied, paragraphs separated by one blank line.

use unicode_normalization::UnicodeNormalization;

/// Decodes HTML character references (`&amp;`, `&#8217;`, `&eacute;`) when the text has any.
pub fn decode_entities(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains('&') {
        htmlize::unescape(s)
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

fn is_dropped_control(c: char) -> bool {
    // Keep \n and \t (tabs become spaces later); drop other C0/C1 controls, NUL included,
    // and the replacement-prone BOM when it appears inside text.
    (c.is_control() && c != '\n' && c != '\t') || c == '\u{FEFF}'
}

fn is_space(c: char) -> bool {
    c != '\n' && c.is_whitespace()
}

/// A one-line field (title, byline, section): every run of whitespace becomes one space.
pub fn clean_line(s: &str) -> String {
    let decoded = decode_entities(s);
    let mut out = String::with_capacity(decoded.len());
    let mut pending_space = false;
    for c in decoded.nfc() {
        if is_dropped_control(c) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    out
}

/// A body text: paragraphs kept, separated by exactly one blank line; spaces inside a line
/// collapsed; leading and trailing blank lines removed. Single line breaks inside a paragraph
/// are kept (poetry, lists, datelines).
pub fn clean_body(s: &str) -> String {
    let decoded = decode_entities(s);
    let normalized: String = decoded
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .nfc()
        .filter(|c| !is_dropped_control(*c))
        .map(|c| match c {
            '\u{2028}' => '\n',
            '\u{2029}' => '\n',
            c => c,
        })
        .collect();
    let mut out = String::with_capacity(normalized.len());
    let mut blank_run = 0usize;
    for line in normalized.split('\n') {
        let mut l = String::with_capacity(line.len());
        let mut pending = false;
        for c in line.chars() {
            if is_space(c) {
                pending = !l.is_empty();
            } else {
                if pending {
                    l.push(' ');
                    pending = false;
                }
                l.push(c);
            }
        }
        if l.is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        blank_run = 0;
        out.push_str(&l);
    }
    out
}

/// Joins paragraphs (for example a JSON array of strings) into one body.
pub fn join_paragraphs<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for p in parts {
        let c = clean_body(p);
        if c.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_body(input: &str, expected: &str) {
        assert_eq!(clean_body(input), expected, "input {input:?}");
    }

    #[test]
    fn bodies() {
        check_body("  a  b \r\n\r\n\r\n c\t\td  ", "a b\n\nc d");
        check_body("line one\nline two", "line one\nline two");
        check_body("\n\n\nx\n\n", "x");
        check_body("Tom &amp; Jerry&#8217;s", "Tom & Jerry\u{2019}s");
        check_body("a\u{0}b\u{2}c", "abc");
        // NFC: e + combining acute becomes é.
        check_body("cafe\u{301}", "caf\u{e9}");
        check_body("", "");
    }

    #[test]
    fn lines() {
        assert_eq!(
            clean_line("  Moscow\n re-equips\tBishkek "),
            "Moscow re-equips Bishkek"
        );
        assert_eq!(clean_line("News   /   Russia"), "News / Russia");
        assert_eq!(clean_line("&lt;b&gt;"), "<b>");
    }

    #[test]
    fn paragraphs_join_with_blank_lines() {
        assert_eq!(join_paragraphs(["a", " ", "b  c"]), "a\n\nb c");
    }
}
