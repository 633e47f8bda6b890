//! The words the text settings make of the term dictionary, and the term vectors counted with
//! them: a term's word is made the first time an analysis meets the term in an article of that
//! language, so that a word list over a small subcorpus does not normalize the whole dictionary.

use std::sync::MutexGuard;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use broadsheet_store::derive::decode_terms;
use broadsheet_store::Store;

use crate::{Analyzer, Result};

/// A term id no word stands for (a stop word, a number, a term the settings drop).
pub(crate) const DROPPED: u32 = u32::MAX;

/// A term whose word has not been made yet; never seen by a caller of
/// [`Analyzer::word_vectors`].
const UNSET: u32 = u32::MAX - 1;

/// Up to this many articles, their term vectors are read into memory first (about 700 bytes
/// each in news), so that only the terms they hold get words; more are read as they are
/// counted, after the words of the whole dictionary are made.
pub(crate) const BUFFERED_ARTICLES: usize = 50_000;

/// Nor are more tokens than this read first, whatever the number of articles: a term vector
/// takes at most about 4 bytes per token (two short varints per distinct term), so the buffer
/// stays under about 64 MB for long documents too.
const BUFFERED_TOKENS: u64 = 16 << 20;

/// How much of the corpus file the buffered read maps: all of it. Its lookups are scattered
/// (10,000 of a million articles read 10,000 16 KB pages), and reading them through a memory
/// map instead of copying each into a fresh page cache took a word list at 1M from about 340 to
/// 285 ms. Only there: a mapped page leaves no copy in the page cache, so each lookup checks the
/// b-tree pages it passes again (`cell_size_check`), and keyness over 200,000 articles took 20%
/// longer with the map (docs/PERFORMANCE.md). Up to 1 TiB: `.cargo/config.toml` builds SQLite
/// for it (its default, 2 GB, maps a third of a million-article corpus).
const MAPPED_BYTES: u64 = 1 << 40;

/// The words the text settings make of the dictionary's terms, per language, kept between
/// analyses (word ids are internal: results are keyed by the words themselves).
#[derive(Default)]
pub(crate) struct WordMaps {
    /// Word id → word.
    pub words: Vec<String>,
    word_ix: FxHashMap<String, u32>,
    /// Language index (of the metadata) → term id → word id, [`DROPPED`] or [`UNSET`].
    pub maps: FxHashMap<u16, Vec<u32>>,
}

/// The store with its memory map on ([`MAPPED_BYTES`]) until [`Mapped::off`], or until dropped
/// on an error or a panic.
struct Mapped<'s>(&'s Store);

impl<'s> Mapped<'s> {
    fn on(store: &'s Store) -> Result<Self> {
        store.set_mapped_bytes(MAPPED_BYTES)?;
        Ok(Mapped(store))
    }

    fn off(self) -> Result<()> {
        let store = self.0;
        std::mem::forget(self);
        Ok(store.set_mapped_bytes(0)?)
    }
}

impl Drop for Mapped<'_> {
    fn drop(&mut self) {
        let _ = self.0.set_mapped_bytes(0);
    }
}

/// Term vectors to count: read already, or to be read from the store as they are counted.
pub(crate) enum TermVectors<'i> {
    Read {
        /// (article id, tokens, end of its vector in `bytes`).
        rows: Vec<(i64, u32, usize)>,
        bytes: Vec<u8>,
    },
    Unread(&'i [i64]),
}

impl TermVectors<'_> {
    /// Calls `f` with each article id, its token count and its term vector, in id order.
    pub(crate) fn for_each(
        &self,
        an: &Analyzer<'_>,
        mut f: impl FnMut(i64, u32, &[u8]),
    ) -> Result<()> {
        match self {
            TermVectors::Read { rows, bytes } => {
                let mut start = 0;
                for &(id, tokens, end) in rows {
                    f(id, tokens, &bytes[start..end]);
                    start = end;
                }
            }
            TermVectors::Unread(ids) => an.store().for_each_term_vector(Some(ids), f)?,
        }
        Ok(())
    }
}

impl Analyzer<'_> {
    /// The term vectors of the articles `ids` (sorted) and the word maps, holding a word for
    /// every term of those vectors in the language of its article.
    pub(crate) fn word_vectors<'i>(
        &self,
        ids: &'i [i64],
    ) -> Result<(MutexGuard<'_, WordMaps>, TermVectors<'i>)> {
        self.word_vectors_buffering(ids, BUFFERED_ARTICLES)
    }

    /// As [`Self::word_vectors`], reading up to `buffered` articles' vectors first.
    pub(crate) fn word_vectors_buffering<'i>(
        &self,
        ids: &'i [i64],
        buffered: usize,
    ) -> Result<(MutexGuard<'_, WordMaps>, TermVectors<'i>)> {
        let meta = self.meta()?;
        let terms = self.dictionary()?.len();
        let tokens = || -> u64 {
            ids.iter()
                .filter_map(|id| meta.index_of(*id))
                .map(|i| u64::from(meta.articles[i].tokens))
                .sum()
        };
        if ids.len() > buffered || tokens() > BUFFERED_TOKENS {
            let mut langs: Vec<u16> = ids
                .iter()
                .filter_map(|id| meta.index_of(*id).map(|i| meta.articles[i].language))
                .collect();
            langs.sort_unstable();
            langs.dedup();
            let wanted = langs.into_iter().map(|l| (l, None)).collect();
            return Ok((self.fill(wanted)?, TermVectors::Unread(ids)));
        }
        // Per language, a bit for each term its articles hold.
        let mut seen: FxHashMap<u16, Vec<u64>> = FxHashMap::default();
        let (mut rows, mut bytes) = (Vec::with_capacity(ids.len()), Vec::new());
        let mapped = Mapped::on(self.store())?;
        mapped
            .0
            .for_each_term_vector(Some(ids), |id, tokens, blob| {
                bytes.extend_from_slice(blob);
                rows.push((id, tokens, bytes.len()));
                let Some(ix) = meta.index_of(id) else { return };
                let bits = seen
                    .entry(meta.articles[ix].language)
                    .or_insert_with(|| vec![0; terms.div_ceil(64)]);
                decode_terms(blob, |t, _| {
                    if let Some(w) = bits.get_mut(t as usize / 64) {
                        *w |= 1 << (t % 64);
                    }
                });
            })?;
        mapped.off()?;
        let wanted = seen.into_iter().map(|(l, bits)| (l, Some(bits))).collect();
        Ok((self.fill(wanted)?, TermVectors::Read { rows, bytes }))
    }

    /// The word maps with words for the terms wanted of each language (a bit set over term
    /// ids; `None`: every term).
    fn fill(&self, wanted: Vec<(u16, Option<Vec<u64>>)>) -> Result<MutexGuard<'_, WordMaps>> {
        let meta = self.meta()?;
        let dict = self.dictionary()?;
        let mut wm = self
            .state
            .word_maps
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let filter = self.filter();
        for (l, bits) in wanted {
            let lang = meta
                .languages
                .get(l as usize)
                .map(String::as_str)
                .unwrap_or("");
            let WordMaps {
                words,
                word_ix,
                maps,
            } = &mut *wm;
            let map = maps.entry(l).or_insert_with(|| vec![UNSET; dict.len()]);
            let is_wanted = |t: usize| {
                bits.as_ref()
                    .is_none_or(|b| b.get(t / 64).is_some_and(|w| w & (1 << (t % 64)) != 0))
            };
            let todo: Vec<usize> = (0..map.len())
                .filter(|&t| map[t] == UNSET && is_wanted(t))
                .collect();
            let made: Vec<Option<String>> = todo
                .par_iter()
                .map(|&t| match dict[t].as_str() {
                    "" => None,
                    term => filter.normalize_token(term, lang).map(|w| w.into_owned()),
                })
                .collect();
            for (t, w) in todo.into_iter().zip(made) {
                map[t] = match w {
                    None => DROPPED,
                    Some(w) => *word_ix.entry(w).or_insert_with_key(|w| {
                        words.push(w.clone());
                        (words.len() - 1) as u32
                    }),
                };
            }
        }
        Ok(wm)
    }
}

#[cfg(test)]
mod tests {
    use broadsheet_lexis::{StopWordSettings, TextSettings};

    use crate::testutil::store_with;
    use crate::Analyzer;

    const RECORDS: &str = r#"{"title": "Talks", "body": "Officials talked; the talks were talking points. 2021 talks.", "date": "2021-04-29", "source": "A", "language": "en"}
{"title": "Учения", "body": "Совместные учения прошли, учение идёт, ученья 2022.", "date": "2022-09-01", "source": "B", "language": "ru"}
{"title": "Border", "body": "The border talks of the officials, bordering states.", "date": "2021-05-02", "source": "A", "language": "en"}
{"title": "Недатированная", "body": "Учения и переговоры на границе.", "source": "C", "language": "ru"}
"#;

    /// Words made only for the terms of a subcorpus's articles (its vectors read first) must
    /// count as words made for the whole dictionary, with stemming merging terms and stop words
    /// dropping some; and an analyzer that made some words first must then count everything
    /// as a fresh one does.
    #[test]
    fn words_made_for_a_subcorpus_count_as_words_made_for_the_whole_dictionary() {
        let (_dir, store) = store_with(RECORDS);
        let stemmed = TextSettings {
            stemming: true,
            stop_words: StopWordSettings {
                languages: vec!["en".into(), "ru".into()],
                ..StopWordSettings::default()
            },
            ..TextSettings::default()
        };
        for settings in [TextSettings::default(), stemmed] {
            let all: Vec<i64> = Analyzer::new(&store, &settings)
                .unwrap()
                .meta()
                .unwrap()
                .articles
                .iter()
                .map(|a| a.id)
                .collect();
            let some = [all[1], all[2]];
            let lazy = Analyzer::new(&store, &settings).unwrap();
            let fresh = Analyzer::new(&store, &settings).unwrap();
            let a = lazy.counts_buffering(&some, usize::MAX).unwrap();
            let b = fresh.counts_buffering(&some, 0).unwrap();
            assert!(a.words.len() > 5, "{:?}", a.words);
            assert_eq!(
                (a.words, a.tokens, a.articles),
                (b.words, b.tokens, b.articles)
            );
            // `lazy` has words for two articles' terms only: now all of them, both ways.
            for buffered in [0, usize::MAX] {
                let a = lazy.counts_buffering(&all, buffered).unwrap();
                let b = Analyzer::new(&store, &settings)
                    .unwrap()
                    .counts_buffering(&all, usize::MAX - buffered)
                    .unwrap();
                assert_eq!(
                    (a.words, a.tokens, a.articles),
                    (b.words, b.tokens, b.articles)
                );
            }
        }
    }
}
