//! Collocations: the words that occur within a window around a node (a word, phrase or query),
//! with MI, t-score, log-likelihood and logDice computed from exact window counts
//! (`broadsheet_lexis::stats::Cooccurrence`), and a minimum frequency.

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use polars::prelude::*;

use broadsheet_lexis::stats::Cooccurrence;
use broadsheet_lexis::TokenFilter;
use broadsheet_store::matches::MatchCursor;
use broadsheet_store::search::{patterns, Pattern};
use broadsheet_store::Subcorpus;

use crate::terms::Counts;
use crate::{AnalysisError, Analyzer, Result, Table};

/// The measure collocates are ranked by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    LogDice,
    Mi,
    TScore,
    LogLikelihood,
    Freq,
}

impl std::str::FromStr for Measure {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        Ok(match s {
            "logdice" | "log_dice" => Measure::LogDice,
            "mi" => Measure::Mi,
            "t" | "tscore" | "t_score" => Measure::TScore,
            "ll" | "g2" | "log_likelihood" => Measure::LogLikelihood,
            "freq" => Measure::Freq,
            _ => return Err(format!("`{s}`: measures are logdice, mi, t, ll, freq")),
        })
    }
}

/// A collocation request.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CollocSpec {
    /// The node: a word, a phrase or a query (its positive terms).
    pub node: String,
    pub subcorpus: Subcorpus,
    /// Tokens to the left and right of the node.
    pub left: usize,
    pub right: usize,
    /// Collocates seen fewer times in the window are left out.
    pub min_freq: u64,
    pub sort: Measure,
    pub limit: usize,
}

#[derive(Default, Clone, Copy, Debug, PartialEq, Eq)]
struct Window {
    both: u64,
    left: u64,
    right: u64,
}

/// What the windows around a node hold: each collocate's counts, the node's occurrences and the
/// tokens the windows cover.
#[derive(Default, Debug, PartialEq)]
struct Windows {
    words: FxHashMap<String, Window>,
    node_freq: u64,
    window_tokens: u64,
}

impl Windows {
    /// Adds the windows of `left` and `right` tokens around every node in `text` (one field of
    /// an article in language `lang`), reading the text once.
    fn add_text(
        &mut self,
        text: &str,
        pats: &[Pattern],
        (left, right): (usize, usize),
        filter: &TokenFilter,
        lang: &str,
    ) {
        let mut cur = MatchCursor::new(text, pats, left, right);
        while let Some(m) = cur.next_match() {
            self.node_freq += 1;
            let lo = m.first.saturating_sub(left);
            let before = (lo..m.first)
                .filter_map(|i| cur.token(i))
                .map(|t| (t, true));
            let after = (m.after..m.after.saturating_add(right))
                .map_while(|i| cur.token(i))
                .map(|t| (t, false));
            for (t, is_left) in before.chain(after) {
                self.window_tokens += 1;
                let Some(w) = filter.normalize_token(t.text(text), lang) else {
                    continue;
                };
                let e = match self.words.get_mut(w.as_ref()) {
                    Some(e) => e,
                    None => self.words.entry(w.into_owned()).or_default(),
                };
                e.both += 1;
                if is_left {
                    e.left += 1;
                } else {
                    e.right += 1;
                }
            }
        }
    }

    fn merge(&mut self, other: Windows) {
        self.node_freq += other.node_freq;
        self.window_tokens += other.window_tokens;
        for (k, w) in other.words {
            let e = self.words.entry(k).or_default();
            e.both += w.both;
            e.left += w.left;
            e.right += w.right;
        }
    }
}

/// Articles read and counted at a time: at most this many, and only as many as fit in
/// [`CHUNK_BYTES`] of text (a few long articles are a chunk of their own).
const CHUNK_ARTICLES: usize = 1000;
const CHUNK_BYTES: usize = 64 << 20;

impl Analyzer<'_> {
    /// Collocates of a node. Columns: `collocate`, `freq` (co-occurrences in the window),
    /// `left`, `right`, `collocate_freq` (in the subcorpus), `mi`, `t_score`, `log_likelihood`,
    /// `log_dice`. The window is counted in tokens (stop words take positions but are not
    /// reported as collocates); it never crosses from the title into the body.
    pub fn collocations(&self, spec: &CollocSpec) -> Result<Table> {
        let expr = self.store().parse_query(&spec.node)?;
        let pats = patterns(&expr);
        if pats.is_empty() {
            return Err(AnalysisError::Invalid(format!(
                "`{}` has no word to look for",
                spec.node
            )));
        }
        if spec.left + spec.right == 0 {
            return Err(AnalysisError::Invalid(
                "the window is empty: give --left or --right".into(),
            ));
        }
        let sub_ids = self.ids(&spec.subcorpus)?;
        let counts = self.counts(&sub_ids)?;
        let node_sc = Subcorpus {
            query: Some(
                match spec
                    .subcorpus
                    .query
                    .as_deref()
                    .filter(|q| !q.trim().is_empty())
                {
                    Some(q) => format!("({}) AND ({q})", spec.node),
                    None => spec.node.clone(),
                },
            ),
            filters: spec.subcorpus.filters.clone(),
        };
        let node_ids = self.ids(&node_sc)?;
        let windows = self.windows_around(&node_ids, &pats, spec)?;
        let (node_freq, window_tokens) = (windows.node_freq, windows.window_tokens);
        let frame = colloc_frame(windows, &counts, spec)?;
        Ok(Table::new(frame)
            .note("node", &spec.node)
            .note("node_freq", node_freq)
            .note("corpus_tokens", counts.tokens)
            .note("window_tokens", window_tokens)
            .note("articles", sub_ids.len()))
    }

    /// The windows around every occurrence of the node in `node_ids`, read a chunk of articles
    /// at a time and counted in parallel.
    fn windows_around(
        &self,
        node_ids: &[i64],
        pats: &[Pattern],
        spec: &CollocSpec,
    ) -> Result<Windows> {
        let meta = self.meta()?;
        let filter = self.filter();
        let mut windows = Windows::default();
        let mut rest = node_ids;
        while !rest.is_empty() {
            let mut texts: Vec<(String, String, String)> = Vec::new();
            let mut bytes = 0;
            while let Some((id, tail)) = rest.split_first() {
                if texts.len() == CHUNK_ARTICLES || (bytes >= CHUNK_BYTES && !texts.is_empty()) {
                    break;
                }
                rest = tail;
                let (t, b, _) = self.store().article_text(*id)?;
                let lang = meta
                    .index_of(*id)
                    .map(|i| meta.language(&meta.articles[i]).to_string())
                    .unwrap_or_default();
                bytes += t.len() + b.len();
                texts.push((t, b, lang));
            }
            let partial: Vec<Windows> = texts
                .par_iter()
                .map(|(title, body, lang)| {
                    let mut local = Windows::default();
                    for field in [title, body] {
                        local.add_text(field, pats, (spec.left, spec.right), filter, lang);
                    }
                    local
                })
                .collect();
            for local in partial {
                windows.merge(local);
            }
        }
        Ok(windows)
    }
}

/// The collocation table: every collocate seen at least `min_freq` times with its association
/// measures (`broadsheet_lexis::stats`), sorted by polars on the chosen measure (highest first,
/// no score last) then the word, cut at the limit.
fn colloc_frame(windows: Windows, counts: &Counts, spec: &CollocSpec) -> Result<DataFrame> {
    struct Row {
        word: String,
        w: Window,
        cf: u64,
        co: Cooccurrence,
    }
    let rows: Vec<Row> = windows
        .words
        .into_iter()
        .filter(|(_, w)| w.both >= spec.min_freq.max(1))
        .map(|(word, w)| {
            let cf = counts
                .words
                .get(&word)
                .map_or(w.both, |c| c.freq.max(w.both));
            let co = Cooccurrence::from_window_tokens(
                w.both,
                windows.node_freq,
                cf,
                counts.tokens,
                windows.window_tokens,
            );
            Row { word, w, cf, co }
        })
        .collect();
    let table = frame!(rows,
        "collocate" => |r| r.word.as_str(),
        "freq" => |r| r.w.both,
        "left" => |r| r.w.left,
        "right" => |r| r.w.right,
        "collocate_freq" => |r| r.cf,
        "mi" => |r| r.co.mi(),
        "t_score" => |r| r.co.t_score(),
        "log_likelihood" => |r| r.co.log_likelihood(),
        "log_dice" => |r| r.co.log_dice(),
    )?;
    let by = match spec.sort {
        Measure::LogDice => "log_dice",
        Measure::Mi => "mi",
        Measure::TScore => "t_score",
        Measure::LogLikelihood => "log_likelihood",
        Measure::Freq => "freq",
    };
    let order = SortMultipleOptions::default()
        .with_order_descending_multi([true, false])
        .with_nulls_last(true);
    let sorted = table.lazy().sort([by, "collocate"], order);
    let limited = match spec.limit {
        0 => sorted,
        n => sorted.limit(n as IdxSize),
    };
    Ok(limited.collect()?)
}
