//! Collocations: the words that occur within a window around a node (a word, phrase or query),
//! with MI, t-score, log-likelihood and logDice computed from exact window counts
//! (`broadsheet_lexis::stats::Cooccurrence`), and a minimum frequency.

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use polars::prelude::*;

use broadsheet_lexis::stats::Cooccurrence;
use broadsheet_store::search::{match_ranges, patterns};
use broadsheet_store::Subcorpus;
use broadsheet_text::token_spans;

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

#[derive(Default, Clone, Copy)]
struct Window {
    both: u64,
    left: u64,
    right: u64,
}

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
        let meta = self.meta()?;
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
        let filter = self.filter();
        let mut windows: FxHashMap<String, Window> = FxHashMap::default();
        let mut node_freq = 0u64;
        let mut window_tokens = 0u64;
        for chunk in node_ids.chunks(1000) {
            let texts: Vec<(String, String, String)> = chunk
                .iter()
                .map(|id| {
                    let (t, b, _) = self.store().article_text(*id)?;
                    let lang = meta
                        .index_of(*id)
                        .map(|i| meta.language(&meta.articles[i]).to_string())
                        .unwrap_or_default();
                    Ok((t, b, lang))
                })
                .collect::<Result<_>>()?;
            let partial: Vec<(FxHashMap<String, Window>, u64, u64)> = texts
                .par_iter()
                .map(|(title, body, lang)| {
                    let mut local: FxHashMap<String, Window> = FxHashMap::default();
                    let (mut nf, mut wt) = (0u64, 0u64);
                    for field in [title, body] {
                        let toks: Vec<_> = token_spans(field).collect();
                        if toks.is_empty() {
                            continue;
                        }
                        for (s, e) in match_ranges(field, &pats) {
                            let Some(first) = toks.iter().position(|t| t.start >= s) else {
                                continue;
                            };
                            let after =
                                toks.iter().position(|t| t.start >= e).unwrap_or(toks.len());
                            nf += 1;
                            let lo = first.saturating_sub(spec.left);
                            let hi = (after + spec.right).min(toks.len());
                            wt += ((first - lo) + (hi - after)) as u64;
                            for (i, t) in toks[lo..hi].iter().enumerate() {
                                let i = i + lo;
                                if i >= first && i < after {
                                    continue;
                                }
                                let Some(w) = filter.normalize_token(t.text(field), lang) else {
                                    continue;
                                };
                                let e = local.entry(w.into_owned()).or_default();
                                e.both += 1;
                                if i < first {
                                    e.left += 1;
                                } else {
                                    e.right += 1;
                                }
                            }
                        }
                    }
                    (local, nf, wt)
                })
                .collect();
            for (local, nf, wt) in partial {
                node_freq += nf;
                window_tokens += wt;
                for (k, w) in local {
                    let e = windows.entry(k).or_default();
                    e.both += w.both;
                    e.left += w.left;
                    e.right += w.right;
                }
            }
        }
        struct Row {
            word: String,
            w: Window,
            cf: u64,
            mi: Option<f64>,
            t: Option<f64>,
            ll: Option<f64>,
            ld: Option<f64>,
        }
        let mut rows: Vec<Row> = windows
            .into_iter()
            .filter(|(_, w)| w.both >= spec.min_freq.max(1))
            .map(|(word, w)| {
                let cf = counts
                    .words
                    .get(&word)
                    .map_or(w.both, |c| c.freq.max(w.both));
                let co = Cooccurrence::from_window_tokens(
                    w.both,
                    node_freq,
                    cf,
                    counts.tokens,
                    window_tokens,
                );
                Row {
                    mi: co.mi(),
                    t: co.t_score(),
                    ll: co.log_likelihood(),
                    ld: co.log_dice(),
                    word,
                    w,
                    cf,
                }
            })
            .collect();
        let key = |r: &Row| -> f64 {
            match spec.sort {
                Measure::LogDice => r.ld,
                Measure::Mi => r.mi,
                Measure::TScore => r.t,
                Measure::LogLikelihood => r.ll,
                Measure::Freq => Some(r.w.both as f64),
            }
            .unwrap_or(f64::NEG_INFINITY)
        };
        rows.sort_by(|a, b| key(b).total_cmp(&key(a)).then(a.word.cmp(&b.word)));
        if spec.limit > 0 {
            rows.truncate(spec.limit);
        }
        let frame = DataFrame::new(
            rows.len(),
            vec![
                Column::new(
                    "collocate".into(),
                    rows.iter().map(|r| r.word.as_str()).collect::<Vec<_>>(),
                ),
                Column::new(
                    "freq".into(),
                    rows.iter().map(|r| r.w.both).collect::<Vec<_>>(),
                ),
                Column::new(
                    "left".into(),
                    rows.iter().map(|r| r.w.left).collect::<Vec<_>>(),
                ),
                Column::new(
                    "right".into(),
                    rows.iter().map(|r| r.w.right).collect::<Vec<_>>(),
                ),
                Column::new(
                    "collocate_freq".into(),
                    rows.iter().map(|r| r.cf).collect::<Vec<_>>(),
                ),
                Column::new("mi".into(), rows.iter().map(|r| r.mi).collect::<Vec<_>>()),
                Column::new(
                    "t_score".into(),
                    rows.iter().map(|r| r.t).collect::<Vec<_>>(),
                ),
                Column::new(
                    "log_likelihood".into(),
                    rows.iter().map(|r| r.ll).collect::<Vec<_>>(),
                ),
                Column::new(
                    "log_dice".into(),
                    rows.iter().map(|r| r.ld).collect::<Vec<_>>(),
                ),
            ],
        )?;
        Ok(Table::new(frame)
            .note("node", &spec.node)
            .note("node_freq", node_freq)
            .note("corpus_tokens", counts.tokens)
            .note("window_tokens", window_tokens)
            .note("articles", sub_ids.len()))
    }
}
