//! KWIC concordances: every occurrence of a word, phrase or query in its context, with the
//! article's id, source and date, sortable by the words to the left or right, ready to be coded
//! in a spreadsheet. Matches are found by the same rules as the search index.

use serde::{Deserialize, Serialize};

use polars::prelude::*;

use broadsheet_store::search::{match_ranges, patterns};
use broadsheet_store::Subcorpus;
use broadsheet_text::{search_fold, token_spans};

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

struct Line {
    id: i64,
    order: usize,
    field: &'static str,
    position: u64,
    left: String,
    node: String,
    right: String,
    left_words: Vec<String>,
    right_words: Vec<String>,
}

/// `left [node] right` with `width` words each side, on one line: for audits and snippets.
pub fn context_line(text: &str, s: usize, e: usize, width: usize) -> String {
    let (l, _, r) = split_context(text, s, e, width);
    format!("{} [{}] {}", l, &text[s..e], r)
        .trim()
        .replace('\n', " ")
}

/// The left context, the token index of the node, and the right context.
fn split_context(text: &str, s: usize, e: usize, width: usize) -> (String, u64, String) {
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
    let left = text[lstart..s]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let right = text[e..rend.max(e)]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (left, first as u64, right)
}

fn words(s: &str) -> Vec<String> {
    token_spans(s).map(|t| search_fold(t.text(s))).collect()
}

impl Analyzer<'_> {
    /// A concordance. Columns: `id`, `source`, `date`, `field` (title or body), `position`
    /// (token index of the node in its field), `left`, `node`, `right`.
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
        let want = spec.offset
            + if spec.limit == 0 {
                usize::MAX / 2
            } else {
                spec.limit
            };
        let need_all = spec.sort != KwicSort::Corpus;
        let mut lines: Vec<Line> = Vec::new();
        let mut complete = true;
        for (order, id) in ids.iter().enumerate() {
            if !need_all && lines.len() >= want {
                complete = false;
                break;
            }
            let (title, body, _) = self.store().article_text(*id)?;
            for (field, text) in [("title", &title), ("body", &body)] {
                for (s, e) in match_ranges(text, &pats) {
                    let (left, position, right) = split_context(text, s, e, spec.width);
                    let (lw, rw) = if need_all {
                        let mut l = words(&left);
                        l.reverse();
                        (l, words(&right))
                    } else {
                        (Vec::new(), Vec::new())
                    };
                    lines.push(Line {
                        id: *id,
                        order,
                        field,
                        position,
                        left,
                        node: text[s..e].to_string(),
                        right,
                        left_words: lw,
                        right_words: rw,
                    });
                }
            }
        }
        let total = lines.len();
        match spec.sort {
            KwicSort::Corpus => {}
            KwicSort::Left(n) | KwicSort::Right(n) => {
                let left = matches!(spec.sort, KwicSort::Left(_));
                let n = n.max(1);
                lines.sort_by(|a, b| {
                    let key = |l: &Line| -> Vec<String> {
                        let w = if left { &l.left_words } else { &l.right_words };
                        w.iter().skip(n - 1).cloned().collect()
                    };
                    key(a)
                        .cmp(&key(b))
                        .then(a.order.cmp(&b.order))
                        .then(a.position.cmp(&b.position))
                });
            }
        }
        let page: Vec<&Line> = lines
            .iter()
            .skip(spec.offset)
            .take(if spec.limit == 0 {
                usize::MAX
            } else {
                spec.limit
            })
            .collect();
        let source_of = |id: i64| -> String {
            meta.index_of(id)
                .map(|i| meta.source_name(&meta.articles[i]).to_string())
                .unwrap_or_default()
        };
        let date_of = |id: i64| -> Option<String> {
            meta.index_of(id).and_then(|i| {
                let a = &meta.articles[i];
                a.published_at
                    .map(|t| broadsheet_ingest::format_date(t, a.precision))
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
        let mut t = Table::new(frame)
            .note("articles", ids.len())
            .note("query", &spec.query);
        if complete {
            t = t.note("lines", total);
        } else {
            t = t.note("lines", format!("more than {total}"));
        }
        Ok(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_windows() {
        let text = "one two three Daesh four five six";
        let s = text.find("Daesh").unwrap();
        assert_eq!(
            context_line(text, s, s + 5, 2),
            "two three [Daesh] four five"
        );
        assert_eq!(
            context_line(text, s, s + 5, 10),
            "one two three [Daesh] four five six"
        );
        assert_eq!(context_line("Daesh", 0, 5, 3), "[Daesh]");
        let (l, pos, r) = split_context(text, s, s + 5, 0);
        assert_eq!((l.as_str(), pos, r.as_str()), ("", 3, ""));
    }
}
