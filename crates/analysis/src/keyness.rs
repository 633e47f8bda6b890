//! Keyness: the words over- and under-used in a target subcorpus compared with a reference (a
//! second subcorpus, or the rest of the corpus), with log-likelihood and its p-value, Log Ratio,
//! %DIFF, and the word's dispersion in the target (articles containing it, Gries's DP), so that
//! a burst in a single article shows as such.

use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use polars::prelude::*;

use broadsheet_lexis::stats::{
    chi2_1df_p_value, dp, log_ratio, per_million, percent_diff, signed_log_likelihood,
};
use broadsheet_store::derive::decode_terms;
use broadsheet_store::Subcorpus;

use crate::{AnalysisError, Analyzer, Result, Table};

/// A keyness request.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeynessSpec {
    pub target: Subcorpus,
    /// The reference; `None` compares the target with the rest of the corpus.
    pub reference: Option<Subcorpus>,
    /// Words seen fewer times in target and reference together are left out.
    pub min_freq: u64,
    /// At most this many words on each side (0: all): the `limit` most key in the target and
    /// the `limit` most key in the reference (negative `g2`), so a short list shows both.
    pub limit: usize,
}

impl Analyzer<'_> {
    /// Keywords. Columns: `term`, `freq_target`, `freq_reference`, `per_million_target`,
    /// `per_million_reference`, `g2` (signed: positive where the target uses the word more),
    /// `p`, `log_ratio`, `pct_diff`, `docs_target`, `dp_target`. Sorted by `g2`, highest first.
    pub fn keyness(&self, spec: &KeynessSpec) -> Result<Table> {
        let target = self.ids(&spec.target)?;
        let reference = match &spec.reference {
            Some(r) => self.ids(r)?,
            None => {
                let t: FxHashSet<i64> = target.iter().copied().collect();
                let all = self.ids(&Subcorpus {
                    query: None,
                    filters: broadsheet_store::Filters {
                        dedup: spec.target.filters.dedup,
                        ..Default::default()
                    },
                })?;
                all.into_iter().filter(|id| !t.contains(id)).collect()
            }
        };
        if target.is_empty() {
            return Err(AnalysisError::Invalid(
                "the target subcorpus is empty".into(),
            ));
        }
        if reference.is_empty() {
            return Err(AnalysisError::Invalid(
                "the reference subcorpus is empty".into(),
            ));
        }
        let ct = self.counts(&target)?;
        let cr = self.counts(&reference)?;
        let dps = self.dispersion_of_all(&target, ct.tokens)?;
        let mut words: Vec<&String> = ct.words.keys().chain(cr.words.keys()).collect();
        words.sort();
        words.dedup();
        struct Row<'a> {
            w: &'a str,
            a: u64,
            b: u64,
            g2: Option<f64>,
            docs: u64,
            dp: Option<f64>,
        }
        let mut rows: Vec<Row> = words
            .into_iter()
            .filter_map(|w| {
                let a = ct.words.get(w).map_or(0, |c| c.freq);
                let b = cr.words.get(w).map_or(0, |c| c.freq);
                if a + b < spec.min_freq.max(1) {
                    return None;
                }
                Some(Row {
                    w,
                    a,
                    b,
                    g2: signed_log_likelihood(a, b, ct.tokens, cr.tokens),
                    docs: ct.words.get(w).map_or(0, |c| c.docs),
                    dp: dps.get(w.as_str()).copied().flatten(),
                })
            })
            .collect();
        rows.sort_by(|x, y| {
            y.g2.unwrap_or(f64::NEG_INFINITY)
                .total_cmp(&x.g2.unwrap_or(f64::NEG_INFINITY))
                .then(x.w.cmp(y.w))
        });
        if spec.limit > 0 {
            // Rows are sorted by g2 descending: the target's words lead, the reference's trail
            // (words without a score, which sort last, are not key on either side).
            rows.retain(|r| r.g2.is_some());
            let positive = rows
                .iter()
                .take_while(|r| r.g2.is_some_and(|g| g >= 0.0))
                .count();
            let negative = rows.len() - positive;
            let keep_tail = negative.min(spec.limit);
            let tail = rows.split_off(rows.len() - keep_tail);
            rows.truncate(positive.min(spec.limit));
            rows.extend(tail);
        }
        let (c, d) = (ct.tokens, cr.tokens);
        let frame = DataFrame::new(
            rows.len(),
            vec![
                Column::new("term".into(), rows.iter().map(|r| r.w).collect::<Vec<_>>()),
                Column::new(
                    "freq_target".into(),
                    rows.iter().map(|r| r.a).collect::<Vec<_>>(),
                ),
                Column::new(
                    "freq_reference".into(),
                    rows.iter().map(|r| r.b).collect::<Vec<_>>(),
                ),
                Column::new(
                    "per_million_target".into(),
                    rows.iter().map(|r| per_million(r.a, c)).collect::<Vec<_>>(),
                ),
                Column::new(
                    "per_million_reference".into(),
                    rows.iter().map(|r| per_million(r.b, d)).collect::<Vec<_>>(),
                ),
                Column::new("g2".into(), rows.iter().map(|r| r.g2).collect::<Vec<_>>()),
                Column::new(
                    "p".into(),
                    rows.iter()
                        .map(|r| r.g2.map(chi2_1df_p_value))
                        .collect::<Vec<_>>(),
                ),
                Column::new(
                    "log_ratio".into(),
                    rows.iter()
                        .map(|r| log_ratio(r.a, r.b, c, d))
                        .collect::<Vec<_>>(),
                ),
                Column::new(
                    "pct_diff".into(),
                    rows.iter()
                        .map(|r| percent_diff(r.a, r.b, c, d))
                        .collect::<Vec<_>>(),
                ),
                Column::new(
                    "docs_target".into(),
                    rows.iter().map(|r| r.docs).collect::<Vec<_>>(),
                ),
                Column::new(
                    "dp_target".into(),
                    rows.iter().map(|r| r.dp).collect::<Vec<_>>(),
                ),
            ],
        )?;
        Ok(Table::new(frame)
            .note("target_articles", target.len())
            .note("target_tokens", ct.tokens)
            .note("reference_articles", reference.len())
            .note("reference_tokens", cr.tokens))
    }

    /// Gries's DP of every word over the articles `ids` (parts = articles, sizes = tokens).
    pub(crate) fn dispersion_of_all(
        &self,
        ids: &[i64],
        total_tokens: u64,
    ) -> Result<FxHashMap<String, Option<f64>>> {
        let meta = self.meta()?;
        let wm = self.word_maps_of(ids)?;
        // Per word id: (part size, freq) for the parts where it occurs, in article order.
        let mut parts: Vec<Vec<(u64, u64)>> = vec![Vec::new(); wm.words.len()];
        let mut local: Vec<(u32, u64)> = Vec::new();
        self.store()
            .for_each_term_vector(Some(ids), |id, n, blob| {
                let Some(ix) = meta.index_of(id) else { return };
                let Some(map) = wm.maps.get(&meta.articles[ix].language) else {
                    return;
                };
                local.clear();
                decode_terms(blob, |t, c| {
                    let w = map.get(t as usize).copied().unwrap_or(crate::DROPPED);
                    if w != crate::DROPPED {
                        local.push((w, c as u64));
                    }
                });
                // Several terms of one article can make one word (stemming): one part each.
                local.sort_unstable_by_key(|(w, _)| *w);
                let mut i = 0;
                while i < local.len() {
                    let w = local[i].0;
                    let mut f = 0;
                    while i < local.len() && local[i].0 == w {
                        f += local[i].1;
                        i += 1;
                    }
                    parts[w as usize].push((n as u64, f));
                }
            })?;
        let hits = parts
            .into_iter()
            .enumerate()
            .filter(|(_, p)| !p.is_empty())
            .map(|(w, p)| (wm.words[w].clone(), p));
        Ok(hits
            .map(|(w, parts)| {
                let f: u64 = parts.iter().map(|(_, f)| f).sum();
                (w, dp(total_tokens, f, &parts))
            })
            .collect())
    }
}
