//! Control characters in files that are otherwise text: backspace overstrike (`_\bw`, `w\bw`,
//! the typewriter's and line printer's underline and bold) resolved to the intended character,
//! form feeds made line breaks, terminal escape sequences and other C0 controls removed, and all
//! of it counted, so that a reader can say in a diagnostic what it changed.

use std::borrow::Cow;
use std::collections::BTreeMap;

/// What [`clean_controls`] changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ControlCounts {
    /// Backspaces of overstrike, resolved (`_\bw` and `w\bw` are `w`) or, alone, removed.
    pub backspaces: usize,
    /// Form feeds and vertical tabs, made line breaks.
    pub page_breaks: usize,
    /// Terminal escape sequences (`ESC [ … m`), removed whole.
    pub escapes: usize,
    /// Other C0 controls and DEL, removed, by character.
    pub other: BTreeMap<char, usize>,
}

impl ControlCounts {
    /// How many control characters (escape sequences counted once) were removed.
    pub fn total(&self) -> usize {
        self.backspaces + self.page_breaks + self.escapes + self.other.values().sum::<usize>()
    }

    pub fn is_empty(&self) -> bool {
        self.total() == 0
    }

    /// Adds another text's counts to these.
    pub fn add(&mut self, o: &ControlCounts) {
        self.backspaces += o.backspaces;
        self.page_breaks += o.page_breaks;
        self.escapes += o.escapes;
        for (c, n) in &o.other {
            *self.other.entry(*c).or_default() += n;
        }
    }

    /// The diagnostic's message, or `None` when nothing was removed.
    pub fn describe(&self) -> Option<String> {
        if self.is_empty() {
            return None;
        }
        let mut kinds = Vec::new();
        if self.backspaces > 0 {
            kinds.push(format!(
                "{} backspace{} of overstrike (the underlined or bold character kept)",
                self.backspaces,
                plural(self.backspaces)
            ));
        }
        if self.page_breaks > 0 {
            kinds.push(format!(
                "{} form feed{} (made line breaks)",
                self.page_breaks,
                plural(self.page_breaks)
            ));
        }
        if self.escapes > 0 {
            kinds.push(format!(
                "{} terminal escape sequence{}",
                self.escapes,
                plural(self.escapes)
            ));
        }
        for (c, n) in &self.other {
            kinds.push(format!("{n} × U+{:04X}", *c as u32));
        }
        let total = self.total();
        Some(format!(
            "removed {total} control character{}: {}",
            plural(total),
            kinds.join(", ")
        ))
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// A control character that text never needs: C0 except tab, line feed and carriage return, and
/// DEL.
fn is_stray(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{7f}'
}

/// The character an overstrike shows: `_` under a letter underlines it; a letter struck twice is
/// bold; otherwise the later one wins, as on a terminal.
fn overstrike(first: char, second: char) -> char {
    if second == '_' {
        first
    } else {
        second
    }
}

/// Removes control characters from `s` (see the module docs); borrows when there are none.
pub fn clean_controls(s: &str) -> (Cow<'_, str>, ControlCounts) {
    let mut counts = ControlCounts::default();
    if !s.chars().any(is_stray) {
        return (Cow::Borrowed(s), counts);
    }
    let mut out = String::with_capacity(s.len());
    // The current line, as characters, so that backspaces can reach back into it.
    let mut line: Vec<char> = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => {
                out.extend(line.drain(..));
                out.push('\n');
            }
            '\u{8}' => {
                // A run of k backspaces: the next k characters strike the last k of the line.
                let mut k = 1;
                while chars.peek() == Some(&'\u{8}') {
                    chars.next();
                    k += 1;
                }
                counts.backspaces += k;
                let back = k.min(line.len());
                let start = line.len() - back;
                for struck in &mut line[start..] {
                    match chars.peek() {
                        Some(&n) if !is_stray(n) && n != '\n' && n != '\r' => {
                            *struck = overstrike(*struck, n);
                            chars.next();
                        }
                        _ => break,
                    }
                }
            }
            '\u{c}' | '\u{b}' => {
                counts.page_breaks += 1;
                out.extend(line.drain(..));
                out.push('\n');
            }
            '\u{1b}' if chars.peek() == Some(&'[') => {
                chars.next();
                // Parameters and intermediates, then one final byte.
                while let Some(&n) = chars.peek() {
                    chars.next();
                    if ('\u{40}'..='\u{7e}').contains(&n) {
                        break;
                    }
                }
                counts.escapes += 1;
            }
            c if is_stray(c) => *counts.other.entry(c).or_default() += 1,
            c => line.push(c),
        }
    }
    out.extend(line);
    (Cow::Owned(out), counts)
}

/// How many bytes of `head` are control bytes that do not occur in text: C0 controls other than
/// tab, line feed, vertical tab, form feed and carriage return, less the backspaces of overstrike
/// (between two printable bytes, or in a run between them) and the escapes that open a terminal
/// sequence (`ESC [`).
pub fn binary_control_bytes(head: &[u8]) -> usize {
    let printable = |b: u8| b >= 0x20 && b != 0x7f;
    let mut n = 0;
    let mut i = 0;
    while i < head.len() {
        let b = head[i];
        if b == 0x08 {
            let start = i;
            while i < head.len() && head[i] == 0x08 {
                i += 1;
            }
            let before = start > 0 && printable(head[start - 1]);
            let after = i < head.len() && printable(head[i]);
            if !(before && after) {
                n += i - start;
            }
            continue;
        }
        if b == 0x1b && head.get(i + 1) == Some(&b'[') {
            i += 2;
            continue;
        }
        if b < 0x09 || (b > 0x0d && b < 0x20) {
            n += 1;
        }
        i += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overstrike_is_resolved_to_the_intended_character() {
        for (input, expected) in [
            ("_\u{8}w_\u{8}o_\u{8}r_\u{8}d", "word"),
            ("w\u{8}wo\u{8}or\u{8}rd\u{8}d", "word"),
            ("w\u{8}_o\u{8}_", "wo"),
            ("___\u{8}\u{8}\u{8}abc", "abc"),
            ("abc\u{8}\u{8}\u{8}___", "abc"),
            ("X\u{8}X\u{8}X", "X"),
            ("a\u{8}b", "b"),
            ("\u{8}start", "start"),
            ("end\u{8}", "end"),
            ("line\n\u{8}next", "line\nnext"),
            ("é\u{8}é", "é"),
        ] {
            let (out, counts) = clean_controls(input);
            assert_eq!(out, expected, "{input:?}");
            assert_eq!(
                counts.backspaces,
                input.matches('\u{8}').count(),
                "{input:?}"
            );
        }
    }

    #[test]
    fn form_feeds_escapes_and_other_controls() {
        let (out, c) = clean_controls("page one\u{c}page two\u{1b}[1mbold\u{1b}[0m\u{7}!\u{0}");
        assert_eq!(out, "page one\npage twobold!");
        assert_eq!(c.page_breaks, 1);
        assert_eq!(c.escapes, 2);
        assert_eq!(c.other.get(&'\u{7}'), Some(&1));
        assert_eq!(c.other.get(&'\u{0}'), Some(&1));
        assert_eq!(c.total(), 5);
        assert_eq!(
            c.describe().unwrap(),
            "removed 5 control characters: 1 form feed (made line breaks), 2 terminal escape sequences, 1 × U+0000, 1 × U+0007"
        );
    }

    #[test]
    fn clean_text_is_borrowed_and_counts_nothing() {
        let (out, c) = clean_controls("plain\ttext\r\nwith lines");
        assert!(matches!(out, Cow::Borrowed(_)));
        assert!(c.is_empty());
        assert_eq!(c.describe(), None);
    }

    #[test]
    fn binary_control_bytes_spares_overstrike_and_escapes() {
        assert_eq!(binary_control_bytes(b"_\x08w_\x08o x\x08x \x1b[1m\x0c"), 0);
        assert_eq!(binary_control_bytes(b"\x08start"), 1);
        assert_eq!(binary_control_bytes(b"\x00\x01\x02abc\x1b"), 4);
    }
}
