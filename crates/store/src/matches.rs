//! Query patterns matched in one pass over a text: a cursor that tokenizes the text once, folds
//! each token once into a reused buffer, yields the matches in order and keeps only a window of
//! tokens around the current one. Highlights, snippets, concordances and collocations cost the
//! length of the text (not hits × length) and hold the window in memory (not the text's tokens).

use std::collections::VecDeque;

use broadsheet_text::{search_fold_into, token_spans, Token};

use crate::search::Pattern;

/// One match: its bytes `start..end` and its tokens `first..after` (indexes among the text's
/// tokens).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    pub start: usize,
    pub end: usize,
    pub first: usize,
    pub after: usize,
}

/// A token in the window with its search form.
struct Slot {
    tok: Token,
    fold: String,
}

/// The matches of patterns in a text, found as `match_ranges` always found them: at each token
/// the longest pattern that matches there, then on after it (matches never overlap).
///
/// After [`next_match`](Self::next_match) returns a match `m`, [`token`](Self::token) answers
/// for every index in `m.first - behind .. m.after + ahead`: `None` there means the text has no
/// such token.
pub struct MatchCursor<'t, 'p> {
    text: &'t str,
    patterns: &'p [Pattern],
    /// The most tokens a pattern has.
    longest: usize,
    tokens: Box<dyn Iterator<Item = Token> + 't>,
    /// Tokens `base .. base + window.len()`.
    window: VecDeque<Slot>,
    base: usize,
    exhausted: bool,
    /// Where the next match is looked for.
    next: usize,
    behind: usize,
    ahead: usize,
    /// Fold buffers of tokens that left the window, for reuse.
    spare: Vec<String>,
}

impl<'t, 'p> MatchCursor<'t, 'p> {
    /// A cursor keeping `behind` tokens before each match and `ahead` tokens after it.
    pub fn new(text: &'t str, patterns: &'p [Pattern], behind: usize, ahead: usize) -> Self {
        let longest = patterns.iter().map(|p| p.tokens.len()).max().unwrap_or(0);
        // Without a pattern nothing can match: the text is not read at all.
        let tokens: Box<dyn Iterator<Item = Token> + 't> = if longest == 0 {
            Box::new(std::iter::empty())
        } else {
            Box::new(token_spans(text))
        };
        MatchCursor {
            text,
            patterns,
            longest,
            tokens,
            window: VecDeque::new(),
            base: 0,
            exhausted: longest == 0,
            next: 0,
            behind,
            ahead,
            spare: Vec::new(),
        }
    }

    /// The text the cursor reads.
    pub fn text(&self) -> &'t str {
        self.text
    }

    /// The next match, or `None` at the end of the text.
    pub fn next_match(&mut self) -> Option<Match> {
        loop {
            self.trim(self.next.saturating_sub(self.behind));
            self.fill(self.next.saturating_add(self.longest));
            if self.next >= self.loaded() {
                return None;
            }
            let n = self.match_len_at(self.next);
            if n == 0 {
                self.next += 1;
                continue;
            }
            let first = self.next;
            let after = first + n;
            self.next = after;
            self.fill(after.saturating_add(self.ahead));
            return Some(Match {
                start: self.window[first - self.base].tok.start,
                end: self.window[after - 1 - self.base].tok.end,
                first,
                after,
            });
        }
    }

    /// Token `i` of the text, for `i` in the window of the last match (see the type's docs):
    /// `None` when the text has fewer tokens.
    ///
    /// # Panics
    /// When `i` lies before the window (the cursor has let it go).
    pub fn token(&self, i: usize) -> Option<Token> {
        assert!(
            i >= self.base,
            "token {i} is behind the window (from {})",
            self.base
        );
        debug_assert!(
            i < self.loaded() || self.exhausted,
            "token {i} not read yet"
        );
        self.window.get(i - self.base).map(|s| s.tok)
    }

    /// The bytes a concordance line of `width` words each side spans around `m`: from the start
    /// of the `width`-th token before it (the text's start when there are fewer) to the end of
    /// the `width`-th token after it (the text's end when there are fewer).
    ///
    /// # Panics
    /// When `width` is more than the cursor keeps behind or ahead.
    pub fn context_bounds(&self, m: &Match, width: usize) -> (usize, usize) {
        assert!(
            width <= self.behind && width <= self.ahead,
            "a context of {width} tokens needs a cursor keeping as many"
        );
        let lstart = if m.first >= width {
            self.token(m.first - width).map_or(m.start, |t| t.start)
        } else {
            0
        };
        let rend = self
            .token(m.after + width - 1)
            .map_or(self.text.len(), |t| t.end);
        (lstart, rend)
    }

    fn loaded(&self) -> usize {
        self.base + self.window.len()
    }

    /// Reads tokens until `upto` are loaded or the text ends.
    fn fill(&mut self, upto: usize) {
        while !self.exhausted && self.loaded() < upto {
            match self.tokens.next() {
                None => self.exhausted = true,
                Some(tok) => {
                    let mut fold = self.spare.pop().unwrap_or_default();
                    fold.clear();
                    search_fold_into(tok.text(self.text), &mut fold);
                    self.window.push_back(Slot { tok, fold });
                }
            }
        }
    }

    /// Lets go of the tokens before `keep_from`.
    fn trim(&mut self, keep_from: usize) {
        while self.base < keep_from {
            let Some(slot) = self.window.pop_front() else {
                break;
            };
            self.spare.push(slot.fold);
            self.base += 1;
        }
    }

    /// The tokens the longest pattern matching at token `i` covers (0: none matches).
    fn match_len_at(&self, i: usize) -> usize {
        let off = i - self.base;
        let avail = self.window.len() - off;
        let mut best = 0;
        for p in self.patterns {
            let n = p.tokens.len();
            if n == 0 || n > avail || n <= best {
                continue;
            }
            let ok = p.tokens.iter().enumerate().all(|(k, want)| {
                let have = &self.window[off + k].fold;
                if k == n - 1 && p.prefix {
                    have.starts_with(want.as_str())
                } else {
                    have == want
                }
            });
            if ok {
                best = n;
            }
        }
        best
    }
}

impl Iterator for MatchCursor<'_, '_> {
    type Item = Match;
    fn next(&mut self) -> Option<Match> {
        self.next_match()
    }
}

/// How many times the patterns match in `text`.
pub fn count_matches(text: &str, patterns: &[Pattern]) -> usize {
    MatchCursor::new(text, patterns, 0, 0).count()
}

/// What a snippet shows: bytes `start..end` of the text and the matches inside them.
pub(crate) struct SnippetWindow {
    pub start: usize,
    pub end: usize,
    pub matches: Vec<(usize, usize)>,
}

/// The bytes a snippet of `width` tokens spans (a third of them before the first match; the
/// text's opening when nothing matches) and the matches inside it; `None` for a text without
/// tokens. Reads the text only up to the end of the snippet when something matches.
pub(crate) fn snippet_window(
    body: &str,
    patterns: &[Pattern],
    width: usize,
) -> Option<SnippetWindow> {
    let width = width.max(1);
    let lead = width / 3;
    let mut cur = MatchCursor::new(body, patterns, lead, width);
    let Some(first) = cur.next_match() else {
        let opening: Vec<Token> = token_spans(body).take(width + 1).collect();
        if opening.is_empty() {
            return None;
        }
        let end = if opening.len() > width {
            opening[width - 1].end
        } else {
            body.len()
        };
        return Some(SnippetWindow {
            start: 0,
            end,
            matches: Vec::new(),
        });
    };
    let start_tok = first.first.saturating_sub(lead);
    let start = match start_tok {
        0 => 0,
        i => cur.token(i).map_or(first.start, |t| t.start),
    };
    let end = match cur.token(start_tok + width) {
        Some(_) => cur
            .token(start_tok + width - 1)
            .map_or(body.len(), |t| t.end),
        None => body.len(),
    };
    let mut matches = Vec::new();
    let mut m = Some(first);
    while let Some(x) = m.filter(|x| x.end <= end) {
        matches.push((x.start, x.end));
        m = cur.next_match();
    }
    Some(SnippetWindow {
        start,
        end,
        matches,
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use broadsheet_text::{search_fold, token_spans};

    use super::*;
    use crate::search::{match_ranges, snippet, Segment};

    /// The implementation before the cursor (every token folded into its own `String`), kept
    /// as the oracle.
    fn old_match_ranges(text: &str, patterns: &[Pattern]) -> Vec<(usize, usize)> {
        if patterns.is_empty() {
            return Vec::new();
        }
        let toks: Vec<(usize, usize, String)> = token_spans(text)
            .map(|t| (t.start, t.end, search_fold(t.text(text))))
            .collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            let mut matched = 0;
            for p in patterns {
                let n = p.tokens.len();
                if i + n > toks.len() {
                    continue;
                }
                let ok = p.tokens.iter().enumerate().all(|(k, want)| {
                    let have = &toks[i + k].2;
                    if k == n - 1 && p.prefix {
                        have.starts_with(want.as_str())
                    } else {
                        have == want
                    }
                });
                if ok && n > matched {
                    matched = n;
                }
            }
            if matched > 0 {
                out.push((toks[i].0, toks[i + matched - 1].1));
                i += matched;
            } else {
                i += 1;
            }
        }
        out
    }

    /// The snippet before the cursor (all tokens collected, every match found), the oracle.
    fn old_snippet(body: &str, patterns: &[Pattern], width: usize) -> Vec<Segment> {
        let toks: Vec<_> = token_spans(body).collect();
        if toks.is_empty() {
            return Vec::new();
        }
        let ranges = old_match_ranges(body, patterns);
        let first_tok = ranges
            .first()
            .and_then(|(s, _)| toks.iter().position(|t| t.start == *s))
            .unwrap_or(0);
        let start_tok = first_tok.saturating_sub(width / 3);
        let end_tok = (start_tok + width).min(toks.len());
        let start = if start_tok == 0 {
            0
        } else {
            toks[start_tok].start
        };
        let end = if end_tok == toks.len() {
            body.len()
        } else {
            toks[end_tok - 1].end
        };
        let inside: Vec<(usize, usize)> = ranges
            .into_iter()
            .filter(|(s, e)| *s >= start && *e <= end)
            .collect();
        crate::search::marked_segments(body, start, end, &inside)
    }

    /// The token index and context bounds the concordance computed before the cursor
    /// (`split_context`: the whole text tokenized for each match).
    fn old_context(text: &str, s: usize, e: usize, width: usize) -> (usize, usize, usize) {
        let toks: Vec<_> = token_spans(text).collect();
        let first = toks.iter().position(|t| t.start >= s).unwrap_or(toks.len());
        let after = toks.iter().position(|t| t.start >= e).unwrap_or(toks.len());
        let lstart = if first >= width {
            toks[first - width].start
        } else {
            0
        };
        let rend = if after + width <= toks.len() {
            if after + width == 0 {
                e
            } else {
                toks[(after + width).saturating_sub(1)].end
            }
        } else {
            text.len()
        };
        (first, lstart, rend)
    }

    /// Words in several scripts and spellings that fold together (case, ё, Arabic/Persian
    /// letters, Latin diacritics), CJK characters, a ZWNJ word, a lone tatweel.
    const WORDS: &[&str] = &[
        "security",
        "Security",
        "SECURITY",
        "secure",
        "sec",
        "Daesh",
        "militants",
        "the",
        "of",
        "Бишкек",
        "бишкек",
        "безопасность",
        "Безопасность",
        "ёлка",
        "елка",
        "رئيس",
        "رییس",
        "امنیت",
        "كتاب",
        "می\u{200C}شود",
        "北",
        "京",
        "北京大学",
        "カタカナ",
        "Bişkek",
        "biskek",
        "BISKEK",
        "café",
        "cafe\u{301}",
        "25",
        "000",
        "ـ",
        "x",
    ];
    /// What stands between words: spaces, line breaks, punctuation, and nothing (two words
    /// then run together into one token, or stay apart in CJK).
    const GAPS: &[&str] = &[
        " ", " ", " ", "  ", "\n", "\n\n", ", ", ". ", "-", "'", " «", "» ", "\t", "", "،",
    ];

    fn text_strategy() -> impl Strategy<Value = String> {
        proptest::collection::vec((0..WORDS.len(), 0..GAPS.len()), 0..40).prop_map(|parts| {
            let mut s = String::new();
            for (w, g) in parts {
                s.push_str(WORDS[w]);
                s.push_str(GAPS[g]);
            }
            s
        })
    }

    /// Patterns as `patterns()` makes them: folded tokens of the words; a prefix pattern ends
    /// in the first characters of a folded token.
    fn patterns_strategy() -> impl Strategy<Value = Vec<Pattern>> {
        let pattern = (
            proptest::collection::vec(0..WORDS.len(), 1..4),
            any::<bool>(),
            1..6usize,
        )
            .prop_map(|(words, prefix, cut)| {
                let mut tokens: Vec<String> = words
                    .iter()
                    .flat_map(|w| {
                        let f = search_fold(WORDS[*w]);
                        token_spans(&f)
                            .map(|t| t.text(&f).to_string())
                            .collect::<Vec<_>>()
                    })
                    .collect();
                if prefix {
                    if let Some(last) = tokens.last_mut() {
                        *last = last.chars().take(cut).collect();
                    }
                }
                Pattern { tokens, prefix }
            });
        proptest::collection::vec(pattern, 0..4)
    }

    /// A text that starts and ends with a node, now and then, as well as random ones.
    fn case_strategy() -> impl Strategy<Value = (String, Vec<Pattern>)> {
        (text_strategy(), patterns_strategy(), 0..4u8).prop_map(|(mut text, pats, edges)| {
            if let Some(p) = pats.first() {
                let node = p.tokens.join(" ");
                if edges & 1 == 1 {
                    text = format!("{node} {text}");
                }
                if edges & 2 == 2 {
                    text = format!("{text} {node}");
                }
            }
            (text, pats)
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, .. ProptestConfig::default() })]

        #[test]
        fn cursor_matches_the_old_matcher((text, pats) in case_strategy()) {
            let old = old_match_ranges(&text, &pats);
            prop_assert_eq!(match_ranges(&text, &pats), old.clone());
            prop_assert_eq!(count_matches(&text, &pats), old.len());
        }

        #[test]
        fn context_bounds_match_the_old_concordance(
            (text, pats) in case_strategy(),
            width in 0..9usize,
        ) {
            let mut cur = MatchCursor::new(&text, &pats, width, width);
            let mut n = 0;
            while let Some(m) = cur.next_match() {
                let (first, lstart, rend) = old_context(&text, m.start, m.end, width);
                prop_assert_eq!(m.first, first);
                prop_assert_eq!(cur.context_bounds(&m, width), (lstart, rend));
                n += 1;
            }
            prop_assert_eq!(n, old_match_ranges(&text, &pats).len());
        }

        #[test]
        fn snippets_match_the_old_snippets(
            (text, pats) in case_strategy(),
            width in 1..40usize,
        ) {
            prop_assert_eq!(snippet(&text, &pats, width), old_snippet(&text, &pats, width));
        }
    }

    #[test]
    fn nodes_at_both_ends_and_prefixes() {
        let pats = vec![
            Pattern {
                tokens: vec!["islamic".into(), "state".into()],
                prefix: false,
            },
            Pattern {
                tokens: vec!["milit".into()],
                prefix: true,
            },
        ];
        let text = "Militants of the Islamic State and militias, islamic\nSTATE";
        let got: Vec<&str> = match_ranges(text, &pats)
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect();
        assert_eq!(
            got,
            ["Militants", "Islamic State", "militias", "islamic\nSTATE"]
        );
        let mut cur = MatchCursor::new(text, &pats, 2, 2);
        let m = cur.next_match().unwrap();
        assert_eq!((m.first, m.after), (0, 1));
        assert_eq!(cur.context_bounds(&m, 2), (0, "Militants of the".len()));
        let last = cur.by_ref().last().unwrap();
        assert_eq!((last.first, last.after), (7, 9));
        assert_eq!(cur.next_match(), None);
    }

    /// A snippet reads the text up to its own end, not to the text's end.
    #[test]
    fn snippets_stop_after_the_first_match() {
        let body = "alpha Daesh beta ".repeat(100_000);
        let pats = vec![Pattern {
            tokens: vec!["daesh".into()],
            prefix: false,
        }];
        let before = broadsheet_text::token_work();
        let segs = snippet(&body, &pats, 30);
        let work = broadsheet_text::token_work();
        assert_eq!(segs.iter().filter(|s| s.hit).count(), 10);
        assert!(work.tokens - before.tokens < 100, "{work:?} {before:?}");
    }
}
