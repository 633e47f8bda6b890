//! Concepts: named, saved queries ("regional security" = `security OR militant* OR Daesh …`)
//! usable in every analysis, and the precision audit — a reproducible random sample of matching
//! articles with the words that made them match, for a researcher to read and judge.

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use broadsheet_store::matches::MatchCursor;
use broadsheet_store::search::{patterns, Pattern};
use broadsheet_store::Subcorpus;

use crate::{AnalysisError, Analyzer, Result, Table};

/// A named query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Concept {
    pub name: String,
    pub query: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl Concept {
    /// Checks the query parses (an error names the concept and the position).
    pub fn validate(&self) -> Result<()> {
        broadsheet_query::parse(&self.query)
            .map(|_| ())
            .map_err(|e| AnalysisError::Invalid(format!("concept `{}`: {e}", self.name)))
    }
}

/// The concepts of a project, by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConceptSet(pub Vec<Concept>);

impl ConceptSet {
    pub fn get(&self, name: &str) -> Option<&Concept> {
        self.0.iter().find(|c| c.name == name)
    }

    /// A concept by name, or an error listing the known ones.
    pub fn require(&self, name: &str) -> Result<&Concept> {
        self.get(name).ok_or_else(|| {
            let known: Vec<&str> = self.0.iter().map(|c| c.name.as_str()).collect();
            AnalysisError::Invalid(format!(
                "no concept `{name}`{}",
                if known.is_empty() {
                    "; add one with `broadsheet concepts add NAME QUERY`".to_string()
                } else {
                    format!("; concepts are {}", known.join(", "))
                }
            ))
        })
    }
}

/// SplitMix64, seeded: the audit's sample is the same for the same seed on every machine.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// A reproducible random sample of `n` ids (sorted input, seeded Fisher–Yates), in sample order.
pub fn sample(ids: &[i64], n: usize, seed: u64) -> Vec<i64> {
    let mut v = ids.to_vec();
    let mut rng = SplitMix(seed);
    let k = n.min(v.len());
    for i in 0..k {
        let j = i + (((rng.next() as u128) * ((v.len() - i) as u128)) >> 64) as usize;
        v.swap(i, j);
    }
    v.truncate(k);
    v
}

/// The distinct words that matched in `text` (sorted, `; `-separated) and the first match in
/// 12 words of context each side, from one pass over the text.
fn matched_words(text: &str, pats: &[Pattern]) -> (String, String) {
    const WIDTH: usize = 12;
    let mut cur = MatchCursor::new(text, pats, WIDTH, WIDTH);
    let mut words = std::collections::BTreeSet::new();
    let mut ctx = String::new();
    while let Some(m) = cur.next_match() {
        if words.is_empty() {
            let (lstart, rend) = cur.context_bounds(&m, WIDTH);
            ctx = crate::kwic::line_text(text, m.start, m.end, lstart, rend);
        }
        words.insert(&text[m.start..m.end]);
    }
    (words.into_iter().collect::<Vec<_>>().join("; "), ctx)
}

impl Analyzer<'_> {
    /// The precision audit of a concept: `n` matching articles drawn at random with `seed`,
    /// each with the words that matched and the first matching passage. Columns: `sample`,
    /// `id`, `source`, `date`, `title`, `matched` (the matched words, `; `-separated),
    /// `context`, and an empty `relevant` column for the researcher's judgement.
    pub fn concept_audit(
        &self,
        concept: &Concept,
        within: &Subcorpus,
        n: usize,
        seed: u64,
    ) -> Result<Table> {
        concept.validate()?;
        let sc = Subcorpus {
            query: Some(
                match within.query.as_deref().filter(|q| !q.trim().is_empty()) {
                    Some(q) => format!("({}) AND ({q})", concept.query),
                    None => concept.query.clone(),
                },
            ),
            filters: within.filters.clone(),
        };
        let ids = self.ids(&sc)?;
        let picked = sample(&ids, n, seed);
        let expr = broadsheet_query::parse(&concept.query)
            .map_err(|e| AnalysisError::Invalid(format!("concept `{}`: {e}", concept.name)))?;
        let pats = patterns(&expr);
        let meta = self.meta()?;
        let (
            mut c_sample,
            mut c_id,
            mut c_source,
            mut c_date,
            mut c_title,
            mut c_matched,
            mut c_ctx,
        ) = (vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
        for (i, id) in picked.iter().enumerate() {
            let detail = self.store().article(*id)?;
            // The text the index matched: without the source's boilerplate lines.
            let (title, body, _) = self.store().article_text(*id)?;
            let text = format!("{title}\n\n{body}");
            let (words, ctx) = matched_words(&text, &pats);
            c_sample.push(i as u32 + 1);
            c_id.push(*id);
            c_source.push(
                meta.index_of(*id)
                    .map(|ix| meta.source_name(&meta.articles[ix]).to_string())
                    .unwrap_or_default(),
            );
            c_date.push(detail.date.clone());
            c_title.push(detail.title.clone());
            c_matched.push(words);
            c_ctx.push(ctx);
        }
        let len = c_id.len();
        let frame = DataFrame::new(
            len,
            vec![
                Column::new("sample".into(), c_sample),
                Column::new("id".into(), c_id),
                Column::new("source".into(), c_source),
                Column::new("date".into(), c_date),
                Column::new("title".into(), c_title),
                Column::new("matched".into(), c_matched),
                Column::new("context".into(), c_ctx),
                Column::new("relevant".into(), vec![String::new(); len]),
            ],
        )?;
        Ok(Table::new(frame)
            .note("concept", &concept.name)
            .note("query", &concept.query)
            .note("matching articles", ids.len())
            .note("sample", len)
            .note("seed", seed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_are_reproducible_and_distinct() {
        let ids: Vec<i64> = (1..=100).collect();
        let a = sample(&ids, 10, 42);
        assert_eq!(a, sample(&ids, 10, 42));
        assert_ne!(a, sample(&ids, 10, 43));
        let mut s = a.clone();
        s.sort();
        s.dedup();
        assert_eq!(s.len(), 10);
        assert_eq!(sample(&ids[..3], 10, 1).len(), 3);
    }
}
