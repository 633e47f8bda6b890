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

use crate::terms::{Count, Counts};
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
        let frame = keyness_frame(&ct, &cr, &dps, spec)?;
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
        let (choice, note) = default_reference(langs, same.len() as u64, rest.len() as u64);
        notes.push(note);
        Ok(match choice {
            Rest::All => rest,
            Rest::InLanguages => same,
        })
    }

    /// Gries's DP of every word over the articles `ids` (parts = articles, sizes = tokens).
    pub(crate) fn dispersion_of_all(
        &self,
        ids: &[i64],
        total_tokens: u64,
    ) -> Result<FxHashMap<String, Option<f64>>> {
        let meta = self.meta()?;
        let (wm, vectors) = self.word_vectors(ids)?;
        // Per word id: (part size, freq) for the parts where it occurs, in article order.
        let mut parts: Vec<Vec<(u64, u64)>> = vec![Vec::new(); wm.words.len()];
        let mut local: Vec<(u32, u64)> = Vec::new();
        vectors.for_each(self, |id, n, blob| {
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

/// The default reference: the whole rest of the corpus, or only its articles in the target's
/// languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rest {
    All,
    InLanguages,
}

/// Which rest of the corpus a keyness without a reference compares with, from how many of the
/// rest's articles are in the target's languages (`same`) and in all (`rest`), and the note
/// that says so.
pub fn default_reference(
    langs: &BTreeSet<String>,
    same: u64,
    rest: u64,
) -> (Rest, (&'static str, String)) {
    let left_out = rest - same.min(rest);
    if left_out == 0 {
        return (Rest::All, ("reference", "the rest of the corpus".into()));
    }
    if same == 0 {
        return (
            Rest::All,
            (
                "warning",
                format!(
                    "the rest of the corpus has no articles in {}: the reference is all of it, in other languages",
                    lang_list(langs)
                ),
            ),
        );
    }
    (
        Rest::InLanguages,
        (
            "reference",
            format!(
                "the rest of the corpus in the target's languages ({}); {left_out} articles in other languages left out",
                lang_list(langs)
            ),
        ),
    )
}

/// Languages as a list for a note: `en, ru`, unknown as `unknown`.
pub fn lang_list(langs: &BTreeSet<String>) -> String {
    langs
        .iter()
        .map(|l| if l.is_empty() { "unknown" } else { l.as_str() })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The keyness table, assembled by polars: the target's and the reference's word counts joined
/// on the word (full join: a word of either side), words under the minimum frequency dropped,
/// the statistics of each word (Broadsheet's lexis functions, the ones the tests check), sorted
/// by signed G² then word, and with a limit the most key words of each side kept.
pub fn keyness_frame(
    ct: &Counts,
    cr: &Counts,
    dps: &FxHashMap<String, Option<f64>>,
    spec: &KeynessSpec,
) -> Result<DataFrame> {
    let side = |c: &Counts, freq: &str, docs: &str| -> PolarsResult<DataFrame> {
        let mut words: Vec<(&String, &Count)> = c.words.iter().collect();
        words.sort_unstable_by(|a, b| a.0.cmp(b.0));
        DataFrame::new(
            words.len(),
            vec![
                Column::new(
                    "term".into(),
                    words.iter().map(|w| w.0.as_str()).collect::<Vec<_>>(),
                ),
                Column::new(
                    freq.into(),
                    words.iter().map(|w| w.1.freq).collect::<Vec<u64>>(),
                ),
                Column::new(
                    docs.into(),
                    words.iter().map(|w| w.1.docs).collect::<Vec<u64>>(),
                ),
            ],
        )
    };
    let zero = lit(0u64);
    let joined = side(ct, "freq_target", "docs_target")?
        .lazy()
        .join(
            side(cr, "freq_reference", "docs_reference")?.lazy(),
            [col("term")],
            [col("term")],
            JoinArgs::new(JoinType::Full).with_coalesce(JoinCoalesce::CoalesceColumns),
        )
        .with_columns([
            col("freq_target").fill_null(zero.clone()),
            col("freq_reference").fill_null(zero.clone()),
            col("docs_target").fill_null(zero),
        ])
        .filter((col("freq_target") + col("freq_reference")).gt_eq(lit(spec.min_freq.max(1))))
        .collect()?;
    let scored = with_statistics(joined, ct.tokens, cr.tokens, dps)?;
    let by_g2 = SortMultipleOptions::default()
        .with_order_descending_multi([true, false])
        .with_nulls_last(true);
    let sorted = scored.lazy().sort(["g2", "term"], by_g2);
    let columns = [
        "term",
        "freq_target",
        "freq_reference",
        "per_million_target",
        "per_million_reference",
        "g2",
        "p",
        "log_ratio",
        "pct_diff",
        "docs_target",
        "dp_target",
    ]
    .map(col);
    let table = if spec.limit > 0 {
        // Sorted by g2 descending: the target's words lead, the reference's trail; words
        // without a score are key on neither side.
        let n = spec.limit as IdxSize;
        let target = sorted.clone().filter(col("g2").gt_eq(lit(0.0))).limit(n);
        let reference = sorted.filter(col("g2").lt(lit(0.0))).tail(n);
        concat([target, reference], UnionArgs::default())?
    } else {
        sorted
    };
    Ok(table.select(columns).collect()?)
}

/// The per-word statistics of a joined keyness frame, as columns.
fn with_statistics(
    mut df: DataFrame,
    c: u64,
    d: u64,
    dps: &FxHashMap<String, Option<f64>>,
) -> Result<DataFrame> {
    let a: Vec<u64> = df
        .column("freq_target")?
        .u64()?
        .into_no_null_iter()
        .collect();
    let b: Vec<u64> = df
        .column("freq_reference")?
        .u64()?
        .into_no_null_iter()
        .collect();
    let dp: Vec<Option<f64>> = df
        .column("term")?
        .str()?
        .iter()
        .map(|w| w.and_then(|w| dps.get(w).copied().flatten()))
        .collect();
    let each = |f: &dyn Fn(u64, u64) -> Option<f64>| -> Vec<Option<f64>> {
        a.iter().zip(&b).map(|(&a, &b)| f(a, b)).collect()
    };
    let g2 = each(&|a, b| signed_log_likelihood(a, b, c, d));
    let columns = [
        ("per_million_target", each(&|a, _| per_million(a, c))),
        ("per_million_reference", each(&|_, b| per_million(b, d))),
        ("p", g2.iter().map(|g| g.map(chi2_1df_p_value)).collect()),
        ("g2", g2),
        ("log_ratio", each(&|a, b| log_ratio(a, b, c, d))),
        ("pct_diff", each(&|a, b| percent_diff(a, b, c, d))),
        ("dp_target", dp),
    ];
    for (name, values) in columns {
        df.with_column(Column::new(name.into(), values))?;
    }
    Ok(df)
}
