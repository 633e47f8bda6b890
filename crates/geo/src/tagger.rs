//! The matcher: every name of the gazetteer, expanded into token patterns, indexed by its first
//! folded token (exact words in one hash map, `word*` prefixes in another keyed by their first
//! three letters), once per language scope (a language's own names plus the international ones,
//! the international ones alone, or everything). Tagging walks the text's tokens once, taking the
//! longest name at each token.

use std::collections::HashMap;

use broadsheet_text::{search_fold_into, token_spans, Token};

use crate::pattern::{Flags, TokenPattern, MIN_PREFIX_CHARS};
use crate::NameKind;

/// What a name counts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    Country(u32),
    Region(u32),
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub tokens: Vec<TokenPattern>,
    pub target: Target,
    pub flags: Flags,
    /// Arabic-language names also match after clitics (و ف ب ل ک, لل→ال) are taken off.
    pub arabic: bool,
    /// Used only when tagging a dateline.
    pub dateline_only: bool,
    /// Higher wins ties (custom entries over built-in ones).
    pub priority: u8,
    pub kind: NameKind,
    /// Position of the name's language in [`Index::langs`].
    pub lang: u16,
    /// Matched in articles of every language (English country and region names, custom names
    /// without a language).
    pub international: bool,
}

impl Entry {
    /// In an article of unknown language a one-word `^` city (a town that is a common word
    /// somewhere: `^Nurek`, `^ош`) counts only as a weak mention.
    fn weak_if_unknown(&self) -> bool {
        self.flags.capitalized && self.kind == NameKind::City && self.tokens.len() == 1
    }
}

/// Which names a text is matched against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// A language the gazetteer has names for: its names plus the international ones.
    Lang(usize),
    /// A known language without names of its own: the international names only.
    Foreign,
    /// Unknown language: every name, with `^` one-word cities weak.
    Unknown,
}

/// The first-token maps of one scope.
#[derive(Debug, Clone, Default)]
struct View {
    exact: HashMap<String, Vec<u32>>,
    prefix: HashMap<String, Vec<u32>>,
    /// Has Arabic names (else clitic variants are not worth making).
    arabic: bool,
}

impl View {
    fn add(&mut self, id: u32, e: &Entry) {
        self.arabic |= e.arabic;
        let first = &e.tokens[0];
        if first.prefix {
            if let Some(key) = prefix_key(&first.folded) {
                self.prefix.entry(key.to_string()).or_default().push(id);
            }
        } else {
            self.exact.entry(first.folded.clone()).or_default().push(id);
        }
    }

    /// Entries whose first token may match `folded`.
    fn candidates<'a>(&'a self, folded: &str) -> impl Iterator<Item = u32> + 'a {
        let exact = self.exact.get(folded).into_iter().flatten();
        let prefix = prefix_key(folded)
            .and_then(|k| self.prefix.get(k))
            .into_iter()
            .flatten();
        exact.chain(prefix).copied()
    }
}

#[derive(Debug, Clone, Default)]
pub struct Index {
    pub entries: Vec<Entry>,
    /// Languages of the names, sorted (`und` included when custom names have no language).
    pub langs: Vec<String>,
    /// One view per language of `langs`, then the international names, then everything.
    views: Vec<View>,
}

/// How a candidate ranks: tokens matched, exact first word, not dateline-only, priority, -id.
type Rank = (usize, bool, bool, u8, i64);

/// One name found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    /// The entry that matched.
    pub entry: u32,
    pub target: Target,
    pub weak: bool,
    /// Byte range in the text.
    pub start: usize,
    pub end: usize,
}

fn prefix_key(s: &str) -> Option<&str> {
    let end = s.char_indices().nth(MIN_PREFIX_CHARS).map(|(i, _)| i);
    match end {
        Some(i) => Some(&s[..i]),
        None if s.chars().count() == MIN_PREFIX_CHARS => Some(s),
        None => None,
    }
}

/// Words that may stand capitalised next to a `~` name without making it a person's name.
const FUNCTION_WORDS: &[&str] = &[
    "a",
    "after",
    "against",
    "and",
    "as",
    "at",
    "before",
    "between",
    "both",
    "but",
    "by",
    "central",
    "east",
    "eastern",
    "for",
    "from",
    "if",
    "in",
    "into",
    "neighbouring",
    "neighboring",
    "north",
    "northern",
    "of",
    "on",
    "or",
    "since",
    "south",
    "southern",
    "the",
    "to",
    "west",
    "western",
    "when",
    "while",
    "with",
    "said",
    "says",
    "neighbour",
    "neighbor",
    "toward",
    "towards",
    "via",
    "visit",
    "visits",
    "across",
    "over",
    "under",
    "where",
    "whereas",
];

impl Index {
    /// The position of `lang` in `langs`, added if new (call before [`Index::finish`]).
    pub fn lang_id(&mut self, lang: &str) -> u16 {
        match self.langs.iter().position(|l| l == lang) {
            Some(i) => i as u16,
            None => {
                self.langs.push(lang.to_string());
                (self.langs.len() - 1) as u16
            }
        }
    }

    pub fn push(&mut self, entry: Entry) {
        self.entries.push(entry);
    }

    /// Builds the per-scope maps once every entry is pushed.
    pub fn finish(&mut self) {
        let n = self.langs.len();
        let mut views = vec![View::default(); n + 2];
        for (id, e) in self.entries.iter().enumerate() {
            for (l, view) in views.iter_mut().enumerate().take(n) {
                if e.international || e.lang as usize == l {
                    view.add(id as u32, e);
                }
            }
            if e.international {
                views[n].add(id as u32, e);
            }
            views[n + 1].add(id as u32, e);
        }
        self.views = views;
    }

    /// The scope of an article in `language` (ISO 639-1; a region suffix such as `en-US` and
    /// case are ignored): its own names if the gazetteer has any, else the international names;
    /// no language, `und` or an empty code is [`Scope::Unknown`].
    pub fn scope(&self, language: Option<&str>) -> Scope {
        let Some(raw) = language else {
            return Scope::Unknown;
        };
        let code = raw.trim().split(['-', '_']).next().unwrap_or("");
        if code.is_empty() || code.eq_ignore_ascii_case("und") {
            return Scope::Unknown;
        }
        match self.langs.iter().position(|l| l.eq_ignore_ascii_case(code)) {
            Some(i) => Scope::Lang(i),
            None => Scope::Foreign,
        }
    }

    fn view(&self, scope: Scope) -> &View {
        let n = self.langs.len();
        &self.views[match scope {
            Scope::Lang(i) => i,
            Scope::Foreign => n,
            Scope::Unknown => n + 1,
        }]
    }

    /// Every mention in `text`, in order, one per matched span.
    pub fn find(&self, text: &str, with_dateline_names: bool, scope: Scope) -> Vec<Mention> {
        let tokens: Vec<Token> = token_spans(text).collect();
        // Every token's search form, folded into one buffer (one allocation, not one a token).
        let mut arena = String::with_capacity(text.len() + text.len() / 8);
        let mut ends = Vec::with_capacity(tokens.len());
        for t in &tokens {
            search_fold_into(t.text(text), &mut arena);
            ends.push(arena.len());
        }
        let folded: Vec<&str> = ends
            .iter()
            .enumerate()
            .map(|(k, &e)| &arena[if k == 0 { 0 } else { ends[k - 1] }..e])
            .collect();
        let view = self.view(scope);
        let unknown = scope == Scope::Unknown;
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            match self.best_at(view, text, &tokens, &folded, i, with_dateline_names) {
                Some((entry, len)) => {
                    let e = &self.entries[entry as usize];
                    out.push(Mention {
                        entry,
                        target: e.target,
                        weak: e.flags.weak || (unknown && e.weak_if_unknown()),
                        start: tokens[i].start,
                        end: tokens[i + len - 1].end,
                    });
                    i += len;
                }
                None => i += 1,
            }
        }
        out
    }

    /// The best entry starting at token `i` and its length in tokens.
    fn best_at(
        &self,
        view: &View,
        text: &str,
        tokens: &[Token],
        folded: &[&str],
        i: usize,
        with_dateline_names: bool,
    ) -> Option<(u32, usize)> {
        let mut best: Option<(Rank, u32)> = None;
        let mut consider = |id: u32, first: &str, arabic_only: bool| {
            let e = &self.entries[id as usize];
            if (e.dateline_only && !with_dateline_names) || (arabic_only && !e.arabic) {
                return;
            }
            let n = e.tokens.len();
            if i + n > tokens.len() || !e.tokens[0].matches(first) {
                return;
            }
            if !e.tokens[1..]
                .iter()
                .zip(&folded[i + 1..i + n])
                .all(|(p, f)| p.matches(f))
            {
                return;
            }
            if !case_ok(text, &tokens[i..i + n], e) {
                return;
            }
            let key = (
                n,
                !e.tokens[0].prefix,
                !e.dateline_only,
                e.priority,
                -(id as i64),
            );
            if best.as_ref().is_none_or(|(k, _)| key > *k) {
                best = Some((key, id));
            }
        };
        let f = folded[i];
        for id in view.candidates(f) {
            consider(id, f, false);
        }
        if view.arabic && starts_arabic(f) {
            for v in arabic_clitic_variants(f) {
                for id in view.candidates(&v) {
                    consider(id, &v, true);
                }
            }
        }
        if let Some((key, id)) = best {
            let e = &self.entries[id as usize];
            if e.flags.person_guard && looks_like_person(text, tokens, i, key.0) {
                return None;
            }
            return Some((id, key.0));
        }
        None
    }
}

/// `^` and `=` checks against the original text.
fn case_ok(text: &str, span: &[Token], e: &Entry) -> bool {
    if e.flags.capitalized {
        let first = span[0].text(text).chars().next();
        if first.is_some_and(char::is_lowercase) {
            return false;
        }
    }
    if e.flags.exact_case {
        // `=ШКУ*`: a prefix keeps its case too (Kyrgyz `ШКУнун`, `АКШнын`).
        return span.iter().zip(&e.tokens).all(|(t, p)| {
            let (w, o) = (t.text(text), p.original.trim_end_matches('*'));
            if p.prefix {
                w.starts_with(o)
            } else {
                w == o
            }
        });
    }
    true
}

fn is_titlecase_word(w: &str) -> bool {
    let mut chars = w.chars();
    chars.next().is_some_and(char::is_uppercase)
        && chars.any(char::is_lowercase)
        && !FUNCTION_WORDS.contains(&w.to_ascii_lowercase().as_str())
}

/// `~` rule: the span is directly next to (only spaces between) a capitalised word that is not a
/// function word, as in `Michael Jordan` or `Chad Smith`; an all-capitals text never triggers it.
fn looks_like_person(text: &str, tokens: &[Token], i: usize, len: usize) -> bool {
    let only_spaces = |a: usize, b: usize| text[a..b].chars().all(|c| c == ' ');
    if i > 0 {
        let prev = tokens[i - 1];
        if prev.end < tokens[i].start
            && only_spaces(prev.end, tokens[i].start)
            && is_titlecase_word(prev.text(text))
        {
            return true;
        }
    }
    let last = tokens[i + len - 1];
    if let Some(next) = tokens.get(i + len) {
        if last.end < next.start
            && only_spaces(last.end, next.start)
            && is_titlecase_word(next.text(text))
        {
            return true;
        }
    }
    false
}

fn starts_arabic(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
}

/// Forms of an Arabic word without its proclitics: و/ف (and), then ب/ل/ک (in, for, like);
/// `لل` (for the) becomes `ال`; and each form that starts with the article `ال` also without it
/// (`والطاجيكية` → `طاجيكية`). Only variants of at least three letters are kept.
pub fn arabic_clitic_variants(w: &str) -> Vec<String> {
    const ARTICLE: &str = "\u{0627}\u{0644}"; // ال
    let mut out: Vec<String> = Vec::new();
    let mut push = |s: &str| {
        for form in [Some(s), s.strip_prefix(ARTICLE)].into_iter().flatten() {
            if form.chars().count() >= 3 && form != w && !out.iter().any(|o| o == form) {
                out.push(form.to_string());
            }
        }
    };
    let conj = ['\u{0648}', '\u{0641}']; // و ف
    let prep = ['\u{0628}', '\u{0644}', '\u{06A9}']; // ب ل ک (folded kaf)
    let mut stems = vec![w];
    if let Some(rest) = w.strip_prefix(conj) {
        stems.push(rest);
    }
    for s in stems {
        push(s);
        if let Some(rest) = s.strip_prefix("\u{0644}\u{0644}") {
            push(&format!("{ARTICLE}{rest}"));
        }
        if let Some(rest) = s.strip_prefix(prep) {
            push(rest);
        }
    }
    out
}
