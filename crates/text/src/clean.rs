//! The stored form of text: HTML entities decoded, Unicode NFC, control characters removed,
//! line endings and runs of spaces tidied, paragraphs separated by one blank line.

use crate::fold::for_each_nfc;

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
    for_each_nfc(&decoded, |c| {
        if is_dropped_control(c) {
            return;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            return;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    });
    out
}

/// A body text: paragraphs kept, separated by exactly one blank line; spaces inside a line
/// collapsed; leading and trailing blank lines removed. Single line breaks inside a paragraph
/// are kept (poetry, lists, datelines).
pub fn clean_body(s: &str) -> String {
    let decoded = decode_entities(s);
    let lines = if decoded.contains('\r') {
        std::borrow::Cow::Owned(decoded.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        decoded
    };
    let mut body = Body {
        out: String::with_capacity(lines.len()),
        ..Body::default()
    };
    for_each_nfc(&lines, |c| match c {
        c if is_dropped_control(c) => {}
        '\n' | '\u{2028}' | '\u{2029}' => body.end_line(),
        c => body.push(c),
    });
    body.end_line();
    body.out
}

/// [`clean_body`]'s output, written a character at a time in one pass: a line's separator is
/// written before its first character that is not a space, so blank lines write nothing.
#[derive(Default)]
struct Body {
    out: String,
    /// Where the current line starts, and where its text starts (after its separator).
    mark: usize,
    text: usize,
    /// Blank lines since the last line with text.
    blank_run: usize,
    /// A space is due before the next character that is not one.
    pending: bool,
}

impl Body {
    fn push(&mut self, c: char) {
        if is_space(c) {
            self.pending = self.out.len() > self.text;
            return;
        }
        if self.mark > 0 && self.text == self.mark {
            // The first character of a line after another: its separator goes first.
            self.out
                .push_str(if self.blank_run > 0 { "\n\n" } else { "\n" });
            self.text = self.out.len();
        }
        if self.pending {
            self.out.push(' ');
            self.pending = false;
        }
        self.out.push(c);
    }

    fn end_line(&mut self) {
        if self.out.len() == self.text {
            self.blank_run += 1;
        } else {
            self.blank_run = 0;
        }
        self.mark = self.out.len();
        self.text = self.mark;
        self.pending = false;
    }
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
        check_body(" a \u{2028} \u{2029}b\r\rc\rd", "a\n\nb\n\nc\nd");
        check_body("  \n \t \n", "");
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
