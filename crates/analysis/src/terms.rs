//! Word lists and n-grams: frequency, frequency per million, document frequency and TF-IDF over a
//! subcorpus. Single words come from the stored term vectors (no text is read); n-grams of 2 to 5
//! words are counted from the texts, in parallel.

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use polars::prelude::*;

use broadsheet_lexis::stats::{idf, Idf};
use broadsheet_store::derive::decode_terms;
use broadsheet_store::Subcorpus;
use broadsheet_text::{count_form, token_spans};

use crate::{AnalysisError, Analyzer, Result, Table};

/// A word-list request.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TermsSpec {
    pub subcorpus: Subcorpus,
    /// Words (1) or n-grams (2..=5).
    pub n: u8,
    /// Leave out terms seen fewer times.
    pub min_freq: u64,
    /// The number of rows (0: all).
    pub limit: usize,
}

/// Counts per term: frequency and document frequency.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    pub freq: u64,
    pub docs: u64,
}

/// Term counts of a set of articles, keyed by the word the settings make of each term.
#[derive(Debug, Default, Clone)]
pub struct Counts {
    pub words: FxHashMap<String, Count>,
    /// All tokens of the articles (stop words included), the base of relative frequencies.
    pub tokens: u64,
    pub articles: u64,
}

impl Analyzer<'_> {
    /// Word counts over the given articles (sorted ids), from their term vectors.
    pub(crate) fn counts(&self, ids: &[i64]) -> Result<Counts> {
        self.counts_buffering(ids, crate::words::BUFFERED_ARTICLES)
    }

    /// As [`Self::counts`], reading up to `buffered` articles' term vectors first
    /// ([`Self::word_vectors_buffering`]).
    pub(crate) fn counts_buffering(&self, ids: &[i64], buffered: usize) -> Result<Counts> {
        let meta = self.meta()?;
        let (wm, vectors) = self.word_vectors_buffering(ids, buffered)?;
        let (words, maps) = (&wm.words, &wm.maps);
        let mut freq = vec![0u64; words.len()];
        let mut docs = vec![0u64; words.len()];
        let mut tokens = 0u64;
        let mut articles = 0u64;
        let mut seen: Vec<u32> = Vec::new();
        vectors.for_each(self, |id, n, blob| {
            let Some(ix) = meta.index_of(id) else { return };
            let Some(map) = maps.get(&meta.articles[ix].language) else {
                return;
            };
            tokens += n as u64;
            articles += 1;
            seen.clear();
            decode_terms(blob, |t, c| {
                let w = map.get(t as usize).copied().unwrap_or(crate::DROPPED);
                if w != crate::DROPPED {
                    freq[w as usize] += c as u64;
                    seen.push(w);
                }
            });
            // Stemming can map several terms of one article to one word: count the document once.
            seen.sort_unstable();
            seen.dedup();
            for w in &seen {
                docs[*w as usize] += 1;
            }
        })?;
        let words = words
            .iter()
            .enumerate()
            .filter(|(i, _)| freq[*i] > 0)
            .map(|(i, w)| {
                (
                    w.clone(),
                    Count {
                        freq: freq[i],
                        docs: docs[i],
                    },
                )
            })
            .collect();
        Ok(Counts {
            words,
            tokens,
            articles,
        })
    }

    /// A word list (n = 1) or n-gram list. Columns: `rank`, `term`, `freq`, `per_million` (per
    /// million tokens of the subcorpus, stop words included), `docs` (articles containing the
    /// term), `tfidf` (freq × ln(articles / docs)). Sorted by frequency, then term.
    pub fn terms(&self, spec: &TermsSpec) -> Result<Table> {
        if !(1..=5).contains(&spec.n) {
            return Err(AnalysisError::Invalid(format!(
                "n-grams of {} words: n must be 1 to 5",
                spec.n
            )));
        }
        let ids = self.ids(&spec.subcorpus)?;
        let counts = if spec.n == 1 {
            self.counts(&ids)?
        } else {
            self.ngram_counts(&ids, spec.n as usize)?
        };
        let mut rows: Vec<(&String, &Count)> = counts
            .words
            .iter()
            .filter(|(_, c)| c.freq >= spec.min_freq.max(1))
            .collect();
        // Frequency, then the word: a total order, so the top `limit` are the same whether
        // selected first or sorted whole.
        let order = |a: &(&String, &Count), b: &(&String, &Count)| {
            b.1.freq.cmp(&a.1.freq).then(a.0.cmp(b.0))
        };
        if spec.limit > 0 && spec.limit < rows.len() {
            rows.select_nth_unstable_by(spec.limit - 1, order);
            rows.truncate(spec.limit);
        }
        rows.sort_unstable_by(order);
        let totals = WordTotals {
            tokens: counts.tokens,
            articles: counts.articles,
            types: counts.words.len() as u64,
        };
        terms_table(spec.n, &rows, totals)
    }
}

/// The totals of a word list: tokens (stop words included), articles, distinct words.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WordTotals {
    pub tokens: u64,
    pub articles: u64,
    pub types: u64,
}

/// A word list's table from its rows, already selected and sorted (by frequency, then word):
/// what [`Analyzer::terms`] and another engine's counts both end in.
pub fn terms_table(n: u8, rows: &[(&String, &Count)], totals: WordTotals) -> Result<Table> {
    {
        let counts = totals;
        let n_docs = counts.articles;
        let frame = DataFrame::new(
            rows.len(),
            vec![
                Column::new("rank".into(), (1..=rows.len() as u64).collect::<Vec<u64>>()),
                Column::new(
                    "term".into(),
                    rows.iter().map(|(w, _)| w.as_str()).collect::<Vec<_>>(),
                ),
                Column::new(
                    "freq".into(),
                    rows.iter().map(|(_, c)| c.freq).collect::<Vec<u64>>(),
                ),
                Column::new(
                    "per_million".into(),
                    rows.iter()
                        .map(|(_, c)| broadsheet_lexis::stats::per_million(c.freq, counts.tokens))
                        .collect::<Vec<Option<f64>>>(),
                ),
                Column::new(
                    "docs".into(),
                    rows.iter().map(|(_, c)| c.docs).collect::<Vec<u64>>(),
                ),
                Column::new(
                    "tfidf".into(),
                    rows.iter()
                        .map(|(_, c)| idf(n_docs, c.docs, Idf::Standard).map(|i| c.freq as f64 * i))
                        .collect::<Vec<Option<f64>>>(),
                ),
            ],
        )?;
        Ok(Table::new(frame)
            .note("articles", counts.articles)
            .note("tokens", counts.tokens)
            .note("types", counts.types)
            .note("n", n))
    }
}

impl Analyzer<'_> {
    /// N-gram counts from the texts. Tokens are count forms; an n-gram never crosses from the
    /// title into the body; with stop words on, n-grams that begin or end with one are left out
    /// (`the Islamic State` no, `Islamic State group` yes); numbers follow the settings.
    pub(crate) fn ngram_counts(&self, ids: &[i64], n: usize) -> Result<Counts> {
        let meta = self.meta()?;
        let mut words: FxHashMap<String, Count> = FxHashMap::default();
        let mut tokens = 0u64;
        let mut articles = 0u64;
        let numbers_are_words = self.settings().numbers_are_words;
        let stops = self.filter().stop_words();
        for chunk in ids.chunks(2000) {
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
            let partial: Vec<(FxHashMap<String, u64>, u64)> = texts
                .par_iter()
                .map(|(title, body, lang)| {
                    let mut local: FxHashMap<String, u64> = FxHashMap::default();
                    let mut ntok = 0u64;
                    for field in [title, body] {
                        let toks: Vec<String> = token_spans(field)
                            .map(|t| count_form(t.text(field), lang))
                            .filter(|t| !t.is_empty())
                            .collect();
                        ntok += toks.len() as u64;
                        for w in toks.windows(n) {
                            if !ngram_kept(w, lang, numbers_are_words, stops) {
                                continue;
                            }
                            *local.entry(w.join(" ")).or_default() += 1;
                        }
                    }
                    (local, ntok)
                })
                .collect();
            for (local, ntok) in partial {
                tokens += ntok;
                articles += 1;
                for (k, v) in local {
                    let c = words.entry(k).or_default();
                    c.freq += v;
                    c.docs += 1;
                }
            }
        }
        Ok(Counts {
            words,
            tokens,
            articles,
        })
    }
}

/// Whether an n-gram is kept: no number unless numbers are words, and no stop word at either end.
fn ngram_kept(
    w: &[String],
    lang: &str,
    numbers_are_words: bool,
    stops: &broadsheet_lexis::StopWords,
) -> bool {
    if !numbers_are_words && w.iter().any(|t| t.chars().all(char::is_numeric)) {
        return false;
    }
    let (first, last) = (&w[0], &w[w.len() - 1]);
    !(stops.contains_token(first, lang) || stops.contains_token(last, lang))
}
