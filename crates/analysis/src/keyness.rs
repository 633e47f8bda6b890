//! Keyness: the words over- and under-used in a target subcorpus compared with a reference (a
//! second subcorpus, or the rest of the corpus), with log-likelihood and its p-value, Log Ratio,
//! %DIFF, and the word's dispersion in the target (articles containing it, Gries's DP), so that
//! a burst in a single article shows as such.

use std::collections::BTreeSet;

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
        let target_langs = self.languages_of(&target)?;
        let mut notes: Vec<(&str, String)> = Vec::new();
        let reference = match &spec.reference {
            Some(r) => {
                let reference = self.ids(r)?;
                let ref_langs = self.languages_of(&reference)?;
                if ref_langs != target_langs {
                    notes.push((
                        "warning",
                        format!(
                            "the target is in {} and the reference in {}: words of one language are key against another's",
                            lang_list(&target_langs),
                            lang_list(&ref_langs)
                        ),
                    ));
                }
                reference
            }
            None => self.rest_in_languages(&target, &target_langs, spec, &mut notes)?,
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
        let mut t = Table::new(frame)
            .note("target_articles", target.len())
            .note("target_tokens", ct.tokens)
            .note("reference_articles", reference.len())
            .note("reference_tokens", cr.tokens);
        for (k, v) in notes {
            t = t.note(k, v);
        }
        Ok(t)
    }

    /// The languages of articles (`""` for unknown), sorted.
    fn languages_of(&self, ids: &[i64]) -> Result<BTreeSet<String>> {
        let meta = self.meta()?;
        Ok(ids
            .iter()
            .filter_map(|id| meta.index_of(*id))
            .map(|ix| meta.language(&meta.articles[ix]).to_string())
            .collect())
    }

    /// The default reference: the rest of the corpus, like with like — only its articles in the
    /// target's languages (English keywords against English text, not against Russian function
    /// words), said in the notes; the whole rest when none is in those languages.
    fn rest_in_languages(
        &self,
        target: &[i64],
        langs: &BTreeSet<String>,
        spec: &KeynessSpec,
        notes: &mut Vec<(&str, String)>,
    ) -> Result<Vec<i64>> {
        let t: FxHashSet<i64> = target.iter().copied().collect();
        let rest: Vec<i64> = self
            .ids(&Subcorpus {
                query: None,
                filters: broadsheet_store::Filters {
                    dedup: spec.target.filters.dedup,
                    ..Default::default()
                },
            })?
            .into_iter()
            .filter(|id| !t.contains(id))
            .collect();
        let meta = self.meta()?;
        let in_langs = |id: &i64| {
            meta.index_of(*id)
                .is_some_and(|ix| langs.contains(meta.language(&meta.articles[ix])))
        };
        let same: Vec<i64> = rest.iter().copied().filter(in_langs).collect();
        let left_out = rest.len() - same.len();
        if left_out == 0 {
            notes.push(("reference", "the rest of the corpus".into()));
            return Ok(rest);
        }
        if same.is_empty() {
            notes.push((
                "warning",
                format!(
                    "the rest of the corpus has no articles in {}: the reference is all of it, in other languages",
                    lang_list(langs)
                ),
            ));
            return Ok(rest);
        }
        notes.push((
            "reference",
            format!(
                "the rest of the corpus in the target's languages ({}); {left_out} articles in other languages left out",
                lang_list(langs)
            ),
        ));
        Ok(same)
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

/// Languages as a list for a note: `en, ru`, unknown as `unknown`.
fn lang_list(langs: &BTreeSet<String>) -> String {
    langs
        .iter()
        .map(|l| if l.is_empty() { "unknown" } else { l.as_str() })
        .collect::<Vec<_>>()
        .join(", ")
}
