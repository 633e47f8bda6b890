//! Dispersion: where terms occur across the corpus ordered by date — one row per term and
//! article that contains it, with the article's place in the date order — and a summary per term
//! (frequency, articles, Gries's DP).

use serde::{Deserialize, Serialize};

use polars::prelude::*;

use broadsheet_lexis::stats::dp;
use broadsheet_store::matches::count_matches;
use broadsheet_store::search::patterns;
use broadsheet_store::Subcorpus;

use crate::{AnalysisError, Analyzer, Result, Table};

/// A dispersion request: terms (words, phrases or queries) over a subcorpus.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DispersionSpec {
    pub terms: Vec<String>,
    pub subcorpus: Subcorpus,
}

impl Analyzer<'_> {
    /// Occurrences by article. Columns: `term`, `id`, `source`, `date`, `rank` (the article's
    /// place among the subcorpus's articles ordered by date, undated last, from 0), `position`
    /// (`rank / (articles − 1)`, 0 to 1), `count`. Notes: per term, `freq`, `docs` and `dp`.
    pub fn dispersion(&self, spec: &DispersionSpec) -> Result<Table> {
        if spec.terms.is_empty() {
            return Err(AnalysisError::Invalid("give at least one term".into()));
        }
        let meta = self.meta()?;
        let mut order = self.ids(&spec.subcorpus)?;
        order.sort_by_key(|id| {
            let a = meta.index_of(*id).map(|i| &meta.articles[i]);
            (
                a.and_then(|a| a.published_at).is_none(),
                a.and_then(|a| a.published_at),
                *id,
            )
        });
        let rank_of: rustc_hash::FxHashMap<i64, usize> =
            order.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        let total_tokens: u64 = order
            .iter()
            .filter_map(|id| meta.index_of(*id).map(|i| meta.articles[i].tokens as u64))
            .sum();
        let denom = (order.len().max(2) - 1) as f64;
        let (mut c_term, mut c_id, mut c_source, mut c_date, mut c_rank, mut c_pos, mut c_count) =
            (vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
        let mut table = Table::new(DataFrame::empty());
        for term in &spec.terms {
            let expr = self.store().parse_query(term)?;
            let pats = patterns(&expr);
            let mut ids = self.ids(&Subcorpus {
                query: Some(
                    match spec
                        .subcorpus
                        .query
                        .as_deref()
                        .filter(|q| !q.trim().is_empty())
                    {
                        Some(q) => format!("({term}) AND ({q})"),
                        None => term.clone(),
                    },
                ),
                filters: spec.subcorpus.filters.clone(),
            })?;
            ids.sort_by_key(|id| rank_of.get(id).copied().unwrap_or(usize::MAX));
            let mut parts: Vec<(u64, u64)> = Vec::new();
            let mut freq = 0u64;
            for id in ids {
                let Some(&rank) = rank_of.get(&id) else {
                    continue;
                };
                let (title, body, _) = self.store().article_text(id)?;
                let n = (count_matches(&title, &pats) + count_matches(&body, &pats)) as u64;
                if n == 0 {
                    continue;
                }
                let a = meta.index_of(id).map(|i| &meta.articles[i]);
                freq += n;
                parts.push((a.map_or(0, |a| a.tokens as u64), n));
                c_term.push(term.clone());
                c_id.push(id);
                c_source.push(
                    a.map(|a| meta.source_name(a).to_string())
                        .unwrap_or_default(),
                );
                c_date.push(a.and_then(|a| {
                    a.published_at
                        .map(|t| broadsheet_model::format_date(t, a.precision))
                }));
                c_rank.push(rank as u64);
                c_pos.push(if order.len() < 2 {
                    0.0
                } else {
                    rank as f64 / denom
                });
                c_count.push(n);
            }
            table = table
                .note(&format!("{term}: freq"), freq)
                .note(&format!("{term}: docs"), parts.len())
                .note(
                    &format!("{term}: dp"),
                    dp(total_tokens, freq, &parts).map_or("".into(), |v| format!("{v:.4}")),
                );
        }
        table.frame = DataFrame::new(
            c_term.len(),
            vec![
                Column::new("term".into(), c_term),
                Column::new("id".into(), c_id),
                Column::new("source".into(), c_source),
                Column::new("date".into(), c_date),
                Column::new("rank".into(), c_rank),
                Column::new("position".into(), c_pos),
                Column::new("count".into(), c_count),
            ],
        )?;
        Ok(table.note("articles", order.len()))
    }
}
