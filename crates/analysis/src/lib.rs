//! Analyses over any subcorpus (a query plus filters): word lists, KWIC, collocations, keyness,
//! dispersion, timelines, concepts and regions. Counting is plain Rust over the per-article term
//! vectors kept in the store (see `broadsheet_store::derive`); the tables are assembled, joined,
//! zero-filled and sorted by polars (timelines, keyness, collocations) and written out by
//! [`output`].

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, OnceLock};

use polars::prelude::DataFrame;

use broadsheet_lexis::{TextSettings, TokenFilter};
use broadsheet_store::{CorpusMeta, Store, StoreError, Subcorpus};

/// A frame with one column per `name => |row| value` over a slice of rows, each column built in
/// one pass.
macro_rules! frame {
    ($rows:expr, $($name:literal => |$r:ident| $value:expr),+ $(,)?) => {
        DataFrame::new(
            $rows.len(),
            vec![$(Column::new($name.into(), $rows.iter().map(|$r| $value).collect::<Vec<_>>())),+],
        )
    };
}

pub mod charts;
pub mod colloc;
pub mod concepts;
pub mod dispersion;
pub mod entry;
pub mod export;
pub mod keyness;
pub mod kwic;
pub mod meta_cache;
pub mod output;
pub mod period;
pub mod regions;
pub mod terms;
pub mod timeline;
mod words;

pub use concepts::{Concept, ConceptSet};
pub use entry::{AnalysisEntry, Kind};
pub use period::Period;
pub(crate) use words::{WordMaps, DROPPED};

/// What can go wrong in an analysis.
#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("text settings: {0}")]
    Settings(#[from] broadsheet_lexis::LexisError),
    #[error("table: {0}")]
    Table(#[from] polars::error::PolarsError),
    #[error("{0}")]
    Invalid(String),
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("cancelled")]
    Cancelled,
}

pub type Result<T> = std::result::Result<T, AnalysisError>;

/// An open corpus ready for analyses: the store, the text settings, and the corpus metadata and
/// term dictionary, loaded once on first use.
pub struct Analyzer<'s> {
    store: &'s Store,
    filter: TokenFilter,
    state: Arc<Loaded>,
}

/// What an analyzer loads on first use — the corpus metadata, the term dictionary and the word
/// maps of the text settings — shareable between analyzers over the same corpus *and*
/// settings, so that a program running many analyses (the desktop app) loads it once. Whoever
/// shares it must drop it when the corpus or the settings change.
#[derive(Default)]
pub struct Loaded {
    meta: OnceLock<CorpusMeta>,
    dictionary: OnceLock<Vec<String>>,
    word_maps: Mutex<WordMaps>,
}

/// SQLite's page cache for analyses, in megabytes: at 1M articles a 10,000-article word list
/// took 111 ms with the default 64 and 68 ms with 160 (docs/PERFORMANCE.md).
const ANALYSIS_CACHE_MB: u32 = 160;

impl<'s> Analyzer<'s> {
    /// An analyzer over `store`. Derived data must exist: call
    /// [`Store::prepare`] first (the `broadsheet` command and the app do).
    pub fn new(store: &'s Store, settings: &TextSettings) -> Result<Self> {
        Self::with_loaded(store, settings, Arc::default())
    }

    /// An analyzer that uses (and fills) `loaded`, which must have been made for this corpus,
    /// as it is now, and these settings.
    pub fn with_loaded(
        store: &'s Store,
        settings: &TextSettings,
        loaded: Arc<Loaded>,
    ) -> Result<Self> {
        store.set_cache_mb(ANALYSIS_CACHE_MB)?;
        Ok(Analyzer {
            store,
            filter: settings.compile()?,
            state: loaded,
        })
    }

    /// What this analyzer has loaded, to hand to the next one over the same corpus.
    pub fn loaded(&self) -> Arc<Loaded> {
        self.state.clone()
    }

    pub fn store(&self) -> &Store {
        self.store
    }

    pub fn settings(&self) -> TextSettings {
        self.filter.settings()
    }

    pub fn filter(&self) -> &TokenFilter {
        &self.filter
    }

    /// The metadata of every article.
    pub fn meta(&self) -> Result<&CorpusMeta> {
        if let Some(m) = self.state.meta.get() {
            return Ok(m);
        }
        let m = meta_cache::corpus_meta(self.store)?;
        Ok(self.state.meta.get_or_init(|| m))
    }

    /// The term dictionary (index = term id).
    pub fn dictionary(&self) -> Result<&[String]> {
        if let Some(d) = self.state.dictionary.get() {
            return Ok(d);
        }
        let d = meta_cache::term_dictionary(self.store)?;
        Ok(self.state.dictionary.get_or_init(|| d))
    }

    /// The ids of a subcorpus, sorted.
    pub fn ids(&self, sc: &Subcorpus) -> Result<Vec<i64>> {
        if sc.is_everything() {
            return Ok(self.meta()?.articles.iter().map(|a| a.id).collect());
        }
        Ok(self.store.subcorpus_ids(sc)?)
    }
}

/// Prepares a store for analyses with the default settings (boilerplate detected, clusters at
/// the stored threshold): what tests and benches use; projects call [`Store::prepare`] with
/// their own settings.
pub fn prepare(store: &mut Store, progress: &dyn Fn(u64, u64), cancel: &AtomicBool) -> Result<()> {
    store.prepare(&Default::default(), None, progress, cancel)?;
    Ok(())
}

/// A finished analysis: its table and a note of what it counted (for titles, charts and methods).
#[derive(Debug, Clone)]
pub struct Table {
    pub frame: DataFrame,
    /// Facts about the run, e.g. `("articles", "1540")`, `("undated", "40")`, in order.
    pub notes: Vec<(String, String)>,
}

impl Table {
    pub fn new(frame: DataFrame) -> Self {
        Table {
            frame,
            notes: Vec::new(),
        }
    }

    pub fn note(mut self, k: &str, v: impl ToString) -> Self {
        self.notes.push((k.to_string(), v.to_string()));
        self
    }

    pub fn note_value(&self, k: &str) -> Option<&str> {
        self.notes
            .iter()
            .find(|(x, _)| x == k)
            .map(|(_, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
pub(crate) mod testutil;
