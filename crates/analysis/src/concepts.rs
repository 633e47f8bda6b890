//! Concepts: named, saved queries ("regional security" = `security OR militant* OR Daesh …`),
//! with queries per language that count only in articles of that language, usable in every
//! analysis and inside queries (`concept:NAME`); the built-in multilingual [`lexicon`] to start
//! from; and the precision audit — a reproducible random sample of matching articles with the
//! words that made them match, for a researcher to read and judge.

use std::collections::BTreeMap;

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use broadsheet_query::{ConceptDef, Concepts};
use broadsheet_store::matches::MatchCursor;
use broadsheet_store::search::{patterns, Pattern};
use broadsheet_store::Subcorpus;

use crate::{AnalysisError, Analyzer, Result, Table};

pub mod lexicon;

/// A named query, with optional queries per language.
///
/// In `broadsheet.toml`:
///
/// ```toml
/// [[concepts]]
/// name = "regional security"
/// query = "security OR militant* OR CSTO"
/// [concepts.languages]
/// ru = "безопасност* OR боевик* OR ОДКБ"
/// fa = "امنیت* OR ستیزه‌جو*"
/// ```
///
/// An article matches when the general query matches, or when it is in one of the languages
/// and that language's query matches (`(general) OR (lang:ru AND (…)) OR …`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Concept {
    pub name: String,
    /// The query for articles of any language (may be empty when `languages` is not).
    #[serde(default)]
    pub query: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Queries that count only in articles of one language, by language code (`ru`, `fa`,
    /// `uz`…; tags and names are read as `lang:` reads them).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub languages: BTreeMap<String, String>,
}

impl Concept {
    /// A concept with one query for every language.
    pub fn new(name: impl Into<String>, query: impl Into<String>) -> Self {
        Concept {
            name: name.into(),
            query: query.into(),
            ..Concept::default()
        }
    }

    /// Checks that every query parses (an error names the concept, the language and the
    /// position) and that every language key names a language.
    pub fn validate(&self) -> Result<()> {
        self.definition()
            .check_syntax(&self.name)
            .map_err(|e| AnalysisError::Invalid(e.to_string()))?;
        for lang in self.languages.keys() {
            if broadsheet_text::language_code(lang).is_none() {
                return Err(AnalysisError::Invalid(format!(
                    "concept `{}`: `{lang}` is not a language code Broadsheet knows (write an ISO 639 code such as `ru`, `ky`, `fa`)",
                    self.name
                )));
            }
        }
        Ok(())
    }

    /// What the query language expands `concept:NAME` into.
    pub fn definition(&self) -> ConceptDef {
        ConceptDef {
            query: self.query.clone(),
            languages: self.languages.clone(),
        }
    }

    /// The whole concept as one query: `query` itself when there are no language queries,
    /// otherwise `(query) OR (lang:ru AND (…)) OR …`. What an analysis counts.
    pub fn full_query(&self) -> String {
        self.definition().full_query()
    }
}

/// The concepts of a project, by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConceptSet(pub Vec<Concept>);

impl ConceptSet {
    pub fn get(&self, name: &str) -> Option<&Concept> {
        self.0.iter().find(|c| c.name == name)
    }

    /// The definitions queries expand `concept:NAME` with: give them to the store with
    /// `Store::set_concepts` whenever the project's concepts are loaded or changed.
    pub fn definitions(&self) -> Concepts {
        self.0
            .iter()
            .map(|c| (c.name.clone(), c.definition()))
            .collect()
    }

    /// Checks that every concept's `concept:` references name concepts of this set and form no
    /// cycle (an error names the concept and the cycle).
    pub fn check_references(&self) -> Result<()> {
        let defs = self.definitions();
        for c in &self.0 {
            let at = broadsheet_query::Span { start: 0, end: 1 };
            let reference = broadsheet_query::Expr::Meta(broadsheet_query::Meta {
                key: broadsheet_query::MetaKey::Concept,
                value: c.name.clone(),
                span: at,
                value_span: at,
            });
            reference
                .expand(&defs)
                .map_err(|e| AnalysisError::Invalid(e.message))?;
        }
        Ok(())
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
    /// `id`, `source`, `language` (the article's; empty when unknown), `date`, `title`,
    /// `matched` (the matched words, `; `-separated, from the general query and the article's
    /// language's query), `context`, and an empty `relevant` column for the researcher's
    /// judgement. The notes count the matching articles in all and per language.
    pub fn concept_audit(
        &self,
        concept: &Concept,
        within: &Subcorpus,
        n: usize,
        seed: u64,
    ) -> Result<Table> {
        concept.validate()?;
        let full = concept.full_query();
        let sc = Subcorpus {
            query: Some(
                match within.query.as_deref().filter(|q| !q.trim().is_empty()) {
                    Some(q) => format!("({full}) AND ({q})"),
                    None => full.clone(),
                },
            ),
            filters: within.filters.clone(),
        };
        let ids = self.ids(&sc)?;
        let picked = sample(&ids, n, seed);
        let parts = self.part_patterns(concept)?;
        let meta = self.meta()?;
        let language_of = |id: i64| {
            meta.index_of(id)
                .map(|ix| meta.language(&meta.articles[ix]).to_string())
                .unwrap_or_default()
        };
        let (
            mut c_sample,
            mut c_id,
            mut c_source,
            mut c_lang,
            mut c_date,
            mut c_title,
            mut c_matched,
            mut c_ctx,
        ) = (
            vec![],
            vec![],
            vec![],
            vec![],
            vec![],
            vec![],
            vec![],
            vec![],
        );
        for (i, id) in picked.iter().enumerate() {
            let detail = self.store().article(*id)?;
            // The text the index matched: without the source's boilerplate lines.
            let (title, body, _) = self.store().article_text(*id)?;
            let text = format!("{title}\n\n{body}");
            let lang = language_of(*id);
            let pats: Vec<Pattern> = parts
                .iter()
                .filter(|(l, _)| l.as_deref().is_none_or(|l| l == lang))
                .flat_map(|(_, p)| p.iter().cloned())
                .collect();
            let (words, ctx) = matched_words(&text, &pats);
            c_sample.push(i as u32 + 1);
            c_id.push(*id);
            c_source.push(
                meta.index_of(*id)
                    .map(|ix| meta.source_name(&meta.articles[ix]).to_string())
                    .unwrap_or_default(),
            );
            c_lang.push(lang);
            // The day at most (`2018-11-05`, `2021-05`, `2019`): one form down the column,
            // never a timestamp beside a date.
            c_date.push(
                detail
                    .date
                    .as_deref()
                    .map(|d| d.chars().take(10).collect::<String>()),
            );
            c_title.push(detail.title.clone());
            c_matched.push(words);
            c_ctx.push(ctx);
        }
        let mut by_language: BTreeMap<String, usize> = BTreeMap::new();
        for id in &ids {
            *by_language.entry(language_of(*id)).or_default() += 1;
        }
        let len = c_id.len();
        let frame = DataFrame::new(
            len,
            vec![
                Column::new("sample".into(), c_sample),
                Column::new("id".into(), c_id),
                Column::new("source".into(), c_source),
                Column::new("language".into(), c_lang),
                Column::new("date".into(), c_date),
                Column::new("title".into(), c_title),
                Column::new("matched".into(), c_matched),
                Column::new("context".into(), c_ctx),
                Column::new("relevant".into(), vec![String::new(); len]),
            ],
        )?;
        let mut table = Table::new(frame)
            .note("concept", &concept.name)
            .note("query", &full)
            .note("matching articles", ids.len());
        for (lang, count) in &by_language {
            let lang = if lang.is_empty() {
                "unknown language"
            } else {
                lang
            };
            table = table.note(&format!("matching articles ({lang})"), count);
        }
        Ok(table.note("sample", len).note("seed", seed))
    }

    /// The highlight patterns of each of a concept's queries, with the language code it counts
    /// in (`None`: every language), `concept:` references expanded with the store's concepts.
    fn part_patterns(&self, concept: &Concept) -> Result<Vec<(Option<String>, Vec<Pattern>)>> {
        let def = concept.definition();
        let mut out = Vec::new();
        for (lang, q) in def.parts() {
            let expr = self
                .store()
                .parse_query(q)
                .map_err(|e| AnalysisError::Invalid(format!("concept `{}`: {e}", concept.name)))?;
            let code = lang.map(|l| broadsheet_text::language_code(l).unwrap_or(l).to_string());
            out.push((code, patterns(&expr)));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests;
