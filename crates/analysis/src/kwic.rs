//! KWIC concordances: every occurrence of a word, phrase or query in its context, with the
//! article's id, source and date, sortable by the words to the left or right, ready to be coded
//! in a spreadsheet. Matches are found by the same rules as the search index.

use std::collections::{BTreeMap, BinaryHeap, VecDeque};

use serde::{Deserialize, Serialize};

use polars::prelude::*;

use broadsheet_store::matches::{Match, MatchCursor};
use broadsheet_store::search::{patterns, Pattern};
use broadsheet_store::Subcorpus;
use broadsheet_text::{search_fold, token_spans, tokens::is_cjk};

use crate::{AnalysisError, Analyzer, Result, Table};

/// How concordance lines are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "by", content = "word")]
pub enum KwicSort {
    /// Corpus order: articles by date (undated last), lines by position.
    Corpus,
    /// By the n-th word to the left of the node (1 = the word just before), then corpus order.
    Left(usize),
    /// By the n-th word to the right of the node.
    Right(usize),
}

/// A concordance request.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KwicSpec {
    /// A word, a phrase or a query; its positive terms are the nodes.
    pub query: String,
    pub subcorpus: Subcorpus,
    /// Words of context on each side.
    pub width: usize,
    pub sort: KwicSort,
    pub limit: usize,
    pub offset: usize,
}

/// The fields a concordance reads, in the order its lines come.
const FIELDS: [&str; 2] = ["title", "body"];

/// One line of the page.
struct Line {
    id: i64,
    field: &'static str,
    position: u64,
    left: String,
    node: String,
    right: String,
}

impl Line {
    /// The line of match `m`, which `cur` (keeping `width` tokens each side) just found.
    fn at(cur: &MatchCursor, m: &Match, width: usize, id: i64, field: &'static str) -> Line {
        let text = cur.text();
        let (lstart, rend) = cur.context_bounds(m, width);
        let (left, right) = sides(text, m.start, m.end, lstart, rend);
        Line {
            id,
            field,
            position: m.first as u64,
            left,
            node: text[m.start..m.end].to_string(),
            right,
        }
    }
}

/// How many lines there are: all were counted, or the count stopped at the page's end.
enum LineCount {
    Exact(usize),
    MoreThan(usize),
}

/// `left [node] right` with `width` words each side, on one line: for audits and snippets.
/// Reads `text` up to `width` tokens after the node.
pub fn context_line(text: &str, s: usize, e: usize, width: usize) -> String {
    let (l, _, r) = split_context(text, s, e, width);
    format!("{} [{}] {}", l, &text[s..e], r)
        .trim()
        .replace('\n', " ")
}

/// The left context, the token index of the node, and the right context.
fn split_context(text: &str, s: usize, e: usize, width: usize) -> (String, u64, String) {
    let (first, lstart, rend) = context_bounds_at(text, s, e, width);
    let (left, right) = sides(text, s, e, lstart, rend);
    (left, first as u64, right)
}

/// `left [node] right` for a node at `s..e` whose context spans `lstart..rend`.
pub(crate) fn line_text(text: &str, s: usize, e: usize, lstart: usize, rend: usize) -> String {
    let (l, r) = sides(text, s, e, lstart, rend);
    format!("{} [{}] {}", l, &text[s..e], r)
        .trim()
        .replace('\n', " ")
}

/// The left and right context of a node at `s..e` within `lstart..rend`, every run of white
/// space made one space. A context that is not empty is widened to whole white-space-delimited
/// words, so that it never begins or ends inside one (`U.S.`, `(Reuters)`); Chinese and
/// Japanese characters, counted one by one, are not widened over.
fn sides(text: &str, s: usize, e: usize, lstart: usize, rend: usize) -> (String, String) {
    let lstart = if lstart < s {
        word_start(text, lstart)
    } else {
        s
    };
    let rend = if rend > e { word_end(text, rend) } else { e };
    (squeeze(&text[lstart..s]), squeeze(&text[e..rend]))
}

/// How far a context is widened to reach the edge of a word, at most (bytes).
const MAX_WIDEN: usize = 48;

/// Where widening stops: white space, and characters that are words of their own.
fn word_edge(c: char) -> bool {
    c.is_whitespace() || is_cjk(c)
}

/// The start of the word that byte `i` is inside (or `i` itself), going back at most
/// [`MAX_WIDEN`] bytes.
fn word_start(text: &str, i: usize) -> usize {
    let mut start = i;
    for (j, c) in text[..i].char_indices().rev() {
        if word_edge(c) || i - j > MAX_WIDEN {
            break;
        }
        start = j;
    }
    start
}

/// The end of the word that runs over byte `i` (or `i` itself), going forward at most
/// [`MAX_WIDEN`] bytes.
fn word_end(text: &str, i: usize) -> usize {
    let mut end = i;
    for (j, c) in text[i..].char_indices() {
        if word_edge(c) || j >= MAX_WIDEN {
            break;
        }
        end = i + j + c.len_utf8();
    }
    end
}

/// The words of `s` (split at white space) joined by single spaces.
fn squeeze(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// The token index of the first token at or after `s`, and the bytes `width` tokens each side
/// of `s..e` span (as [`MatchCursor::context_bounds`]) for any byte range: the tokens are read
/// once, up to `width` tokens after `e`.
fn context_bounds_at(text: &str, s: usize, e: usize, width: usize) -> (usize, usize, usize) {
    let mut toks = token_spans(text).peekable();
    // The starts of the last `width` tokens before `s`; the last token before `e`.
    let mut before: VecDeque<usize> = VecDeque::with_capacity(width);
    let mut last = None;
    let mut first = 0;
    while let Some(t) = toks.next_if(|t| t.start < s) {
        first += 1;
        if width > 0 {
            if before.len() == width {
                before.pop_front();
            }
            before.push_back(t.start);
        }
        last = Some(t);
    }
    let lstart = match (width, toks.peek()) {
        (0, Some(t)) => t.start.min(s),
        (0, None) => s,
        _ if before.len() == width => before[0],
        _ => 0,
    };
    while let Some(t) = toks.next_if(|t| t.start < e) {
        last = Some(t);
    }
    let rend = match width {
        0 => last.map_or(e, |t| t.end),
        w => toks.nth(w - 1).map_or(text.len(), |t| t.end),
    };
    (first, lstart, rend)
}

/// The key a line sorts by: the search forms of its context words on one side, nearest first,
/// from the `n`-th, each followed by NUL. Words never hold NUL (they are letters, digits and
/// marks), so these strings order as the lists of words do, a shorter list first.
fn sort_key(context: &str, left: bool, n: usize) -> String {
    let mut words: Vec<String> = token_spans(context)
        .map(|t| search_fold(t.text(context)))
        .collect();
    if left {
        words.reverse();
    }
    let mut key = String::new();
    for w in words.iter().skip(n.max(1) - 1) {
        key.push_str(w);
        key.push('\0');
    }
    key
}

/// A line in a sorted concordance before its strings are made: the sort key and where it is.
/// The fields order as the lines do (key, article, position, title before body).
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Keyed {
    key: String,
    order: usize,
    position: u64,
    field: usize,
}

impl Analyzer<'_> {
    /// A concordance. Columns: `id`, `source`, `date`, `field` (title or body), `position`
    /// (token index of the node in its field), `left`, `node`, `right`.
    ///
    /// Each article is read once (one pass over its tokens), and only the page's lines are made
    /// into strings. In corpus order the reading stops at the page's end (the `lines` note then
    /// says `more than N`); sorted by context, every line's sort key is computed and the best
    /// `offset + limit` keys are kept, then the page's articles are read again for its lines.
    pub fn kwic(&self, spec: &KwicSpec) -> Result<Table> {
        let expr = self.store().parse_query(&spec.query)?;
        let pats = patterns(&expr);
        if pats.is_empty() {
            return Err(AnalysisError::Invalid(format!(
                "`{}` has no word to look for (only NOT terms?)",
                spec.query
            )));
        }
        let sc = Subcorpus {
            query: Some(
                match spec
                    .subcorpus
                    .query
                    .as_deref()
                    .filter(|q| !q.trim().is_empty())
                {
                    Some(q) => format!("({}) AND ({q})", spec.query),
                    None => spec.query.clone(),
                },
            ),
            filters: spec.subcorpus.filters.clone(),
        };
        let meta = self.meta()?;
        let mut ids = self.ids(&sc)?;
        // Corpus order: date, undated last, then id.
        ids.sort_by_cached_key(|id| {
            let a = meta.index_of(*id).map(|i| &meta.articles[i]);
            (
                a.and_then(|a| a.published_at).is_none(),
                a.and_then(|a| a.published_at),
                *id,
            )
        });
        let limit = if spec.limit == 0 {
            usize::MAX
        } else {
            spec.limit
        };
        let (page, count) = match spec.sort {
            KwicSort::Corpus => self.kwic_in_order(&ids, &pats, spec.width, spec.offset, limit)?,
            KwicSort::Left(n) | KwicSort::Right(n) => {
                let left = matches!(spec.sort, KwicSort::Left(_));
                self.kwic_sorted(&ids, &pats, spec.width, (left, n), spec.offset, limit)?
            }
        };
        let source_of = |id: i64| -> String {
            meta.index_of(id)
                .map(|i| meta.source_name(&meta.articles[i]).to_string())
                .unwrap_or_default()
        };
        let date_of = |id: i64| -> Option<String> {
            meta.index_of(id).and_then(|i| {
                let a = &meta.articles[i];
                a.published_at
                    .map(|t| broadsheet_model::format_date(t, a.precision))
            })
        };
        let frame = DataFrame::new(
            page.len(),
            vec![
                Column::new("id".into(), page.iter().map(|l| l.id).collect::<Vec<_>>()),
                Column::new(
                    "source".into(),
                    page.iter().map(|l| source_of(l.id)).collect::<Vec<_>>(),
                ),
                Column::new(
                    "date".into(),
                    page.iter().map(|l| date_of(l.id)).collect::<Vec<_>>(),
                ),
                Column::new(
                    "field".into(),
                    page.iter().map(|l| l.field).collect::<Vec<_>>(),
                ),
                Column::new(
                    "position".into(),
                    page.iter().map(|l| l.position).collect::<Vec<_>>(),
                ),
                Column::new(
                    "left".into(),
                    page.iter().map(|l| l.left.as_str()).collect::<Vec<_>>(),
                ),
                Column::new(
                    "node".into(),
                    page.iter().map(|l| l.node.as_str()).collect::<Vec<_>>(),
                ),
                Column::new(
                    "right".into(),
                    page.iter().map(|l| l.right.as_str()).collect::<Vec<_>>(),
                ),
            ],
        )?;
        let t = Table::new(frame)
            .note("articles", ids.len())
            .note("query", &spec.query);
        Ok(match count {
            LineCount::Exact(n) => t.note("lines", n),
            LineCount::MoreThan(n) => t.note("lines", format!("more than {n}")),
        })
    }

    /// Lines `offset .. offset + limit` in corpus order; reading stops at the first line after
    /// them.
    fn kwic_in_order(
        &self,
        ids: &[i64],
        pats: &[Pattern],
        width: usize,
        offset: usize,
        limit: usize,
    ) -> Result<(Vec<Line>, LineCount)> {
        let want = offset.saturating_add(limit);
        let mut seen = 0usize;
        let mut page = Vec::new();
        for id in ids {
            let (title, body, _) = self.store().article_text(*id)?;
            for (field, text) in FIELDS.into_iter().zip([&title, &body]) {
                let mut cur = MatchCursor::new(text, pats, width, width);
                while let Some(m) = cur.next_match() {
                    if seen == want {
                        return Ok((page, LineCount::MoreThan(seen)));
                    }
                    if seen >= offset {
                        page.push(Line::at(&cur, &m, width, *id, field));
                    }
                    seen += 1;
                }
            }
        }
        Ok((page, LineCount::Exact(seen)))
    }

    /// Lines `offset .. offset + limit` sorted by the `n`-th context word on one side (`left`):
    /// every line's key is computed, the best `offset + limit` are kept (keys and positions,
    /// no strings), then the page's lines are made by reading their articles again.
    fn kwic_sorted(
        &self,
        ids: &[i64],
        pats: &[Pattern],
        width: usize,
        (left, n): (bool, usize),
        offset: usize,
        limit: usize,
    ) -> Result<(Vec<Line>, LineCount)> {
        let want = offset.saturating_add(limit);
        let mut best: BinaryHeap<Keyed> = BinaryHeap::new();
        let mut total = 0usize;
        for (order, id) in ids.iter().enumerate() {
            let (title, body, _) = self.store().article_text(*id)?;
            for (field, text) in [&title, &body].into_iter().enumerate() {
                let mut cur = MatchCursor::new(text, pats, width, width);
                while let Some(m) = cur.next_match() {
                    total += 1;
                    let (lstart, rend) = cur.context_bounds(&m, width);
                    // Keyed by the context the line shows (widened to whole words).
                    let (l, r) = sides(text, m.start, m.end, lstart, rend);
                    let line = Keyed {
                        key: sort_key(if left { &l } else { &r }, left, n),
                        order,
                        position: m.first as u64,
                        field,
                    };
                    if best.len() < want {
                        best.push(line);
                    } else if best.peek().is_some_and(|worst| line < *worst) {
                        best.pop();
                        best.push(line);
                    }
                }
            }
        }
        let page: Vec<Keyed> = best.into_sorted_vec().into_iter().skip(offset).collect();
        Ok((
            self.lines_at(ids, pats, width, &page)?,
            LineCount::Exact(total),
        ))
    }

    /// The lines of `page` (in its order), made by reading each of their articles once more.
    fn lines_at(
        &self,
        ids: &[i64],
        pats: &[Pattern],
        width: usize,
        page: &[Keyed],
    ) -> Result<Vec<Line>> {
        // (article, field) → positions wanted, each with its place on the page.
        let mut wanted: BTreeMap<(usize, usize), BTreeMap<u64, usize>> = BTreeMap::new();
        for (i, k) in page.iter().enumerate() {
            wanted
                .entry((k.order, k.field))
                .or_default()
                .insert(k.position, i);
        }
        let mut lines: Vec<Option<Line>> = page.iter().map(|_| None).collect();
        let mut article: Option<(usize, String, String)> = None;
        for ((order, field), positions) in wanted {
            if article.as_ref().is_none_or(|a| a.0 != order) {
                let (title, body, _) = self.store().article_text(ids[order])?;
                article = Some((order, title, body));
            }
            let Some((_, title, body)) = &article else {
                continue;
            };
            let text = if field == 0 { title } else { body };
            let last = positions.keys().next_back().copied().unwrap_or(0);
            let mut cur = MatchCursor::new(text, pats, width, width);
            while let Some(m) = cur.next_match() {
                if let Some(&i) = positions.get(&(m.first as u64)) {
                    lines[i] = Some(Line::at(&cur, &m, width, ids[order], FIELDS[field]));
                }
                if m.first as u64 >= last {
                    break;
                }
            }
        }
        Ok(lines.into_iter().flatten().collect())
    }
}

#[cfg(test)]
mod tests;
