//! The corpus store: one SQLite file per project holding sources, imports (with every file and
//! diagnostic), articles and their FTS5 index. The import pipeline ([`import`]) writes it;
//! search ([`search`]) and statistics ([`stats`]) read it.
//!
//! Architecture invariant: every write that adds an article adds its index row in the same
//! transaction, so an article is either fully stored and searchable, or absent.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::Connection;

pub mod boilerplate;
pub mod clusters;
pub mod corpus;
pub mod derive;
pub mod import;
pub mod limits;
pub mod matches;
mod open;
pub mod page;
pub mod rename;
mod running;
pub mod schema;
pub mod search;
pub mod stats;
pub mod unknown;

pub use boilerplate::{BoilerplateLine, BoilerplateReport, BoilerplateSets};
pub use corpus::{ArticleMeta, CorpusMeta};
pub use import::{
    import, FileReport, ImportProgress, ImportReport, ImportRequest, ImportStatus, ProgressSnapshot,
};
pub use open::OpenMode;
pub use page::ArticlePage;
pub use rename::SourceMerge;
pub use search::{
    normalize_languages, Filters, Hit, QueryContext, SearchRequest, SearchResults, Segment, Sort,
    Subcorpus,
};
pub use stats::{
    ArticleDetail, ArticleRow, CorpusStats, DiagnosticRow, ImportFileRow, ImportRecord, ImportRow,
    SourceRow, SourceYear,
};
pub use unknown::{FilterField, Suggestion, UnknownValue};

/// The Broadsheet version written into imports and manifests.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// What every error about a damaged or missing corpus says to do.
pub const REBUILD_HINT: &str =
    "`broadsheet run --fresh` rebuilds the corpus from the project's inputs";

/// Errors from the store. Messages are for people: they name the file and say what to do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: the corpus database is being written by another Broadsheet process (an import in the app or on the command line); try again when it has finished")]
    Busy { path: String },
    #[error("this corpus was written by a newer Broadsheet (schema version {found}; this one reads up to {supported}); update Broadsheet to open it")]
    TooNew { found: u32, supported: u32 },
    #[error("{path}: not a Broadsheet corpus database ({reason})")]
    NotACorpus { path: String, reason: String },
    /// The corpus file is absent or empty where one was expected (a project that lists sources).
    #[error("{path}: the corpus database is {}; {REBUILD_HINT}", if *.empty { "empty (0 bytes)" } else { "missing" })]
    Missing { path: String, empty: bool },
    /// The file is an SQLite database whose pages are damaged (cut short, overwritten).
    #[error("{path}: the corpus database is damaged ({detail}); Broadsheet will not write to it. {REBUILD_HINT} (move the damaged file aside first to keep it)")]
    Damaged { path: String, detail: String },
    /// A write was asked of a corpus that cannot be written.
    #[error("the project is read-only: {path}: {reason}")]
    ReadOnly { path: String, reason: String },
    /// A corpus from an older Broadsheet, opened read-only, so it cannot be upgraded.
    #[error("{path}: this corpus was written by an older Broadsheet (schema version {found}; this one uses {current}) and is open read-only, so it cannot be upgraded; open the project once where it can be written (any command upgrades it), then it can be read from a read-only copy")]
    NeedsUpgrade {
        path: String,
        found: u32,
        current: u32,
    },
    /// SQLite could not grow the database or its journal.
    #[error("{path}: the disk is full ({disk}); the change under way was undone, and everything committed before it is kept. Free some space and run the command again (an import then stores what is missing and counts what is already stored as duplicates)")]
    DiskFull { path: String, disk: String },
    #[error(transparent)]
    Query(#[from] broadsheet_query::QueryError),
    /// A filter names a source, language or place that matches nothing.
    #[error(transparent)]
    Unknown(#[from] UnknownValue),
    #[error("{0}")]
    Invalid(String),
    #[error("no article with id {0}")]
    NoSuchArticle(i64),
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
}

/// The path errors made from a bare SQLite error carry until [`Store::name_busy`] names the
/// store's file.
const UNNAMED: &str = "corpus.sqlite";

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as C;
        if let rusqlite::Error::SqliteFailure(f, msg) = &e {
            let path = UNNAMED.to_string();
            match f.code {
                C::DatabaseBusy | C::DatabaseLocked => return StoreError::Busy { path },
                C::DatabaseCorrupt | C::NotADatabase => {
                    let detail = msg.clone().unwrap_or_else(|| f.to_string());
                    return StoreError::Damaged { path, detail };
                }
                C::DiskFull => {
                    return StoreError::DiskFull {
                        path,
                        disk: "the disk holding it".into(),
                    }
                }
                C::ReadOnly => {
                    return StoreError::ReadOnly {
                        path,
                        reason: "SQLite cannot write to it".into(),
                    }
                }
                _ => {}
            }
        }
        StoreError::Sqlite(e)
    }
}

/// An open corpus.
pub struct Store {
    pub(crate) conn: Connection,
    path: PathBuf,
    /// Opened read-only: nothing is ever written (see [`OpenMode::ReadOnly`]).
    read_only: bool,
    /// `PRAGMA quick_check` passed on this connection (it runs once, before the first write).
    verified: std::cell::Cell<bool>,
    /// How imports batch and commit (tests make the groups small).
    pub(crate) tuning: import::Tuning,
    source_ids: HashMap<String, i64>,
    pub(crate) dictionary: derive::Dictionary,
    /// The boilerplate lines of every source, loaded on first use.
    pub(crate) boilerplate: boilerplate::Cache,
    /// The concepts a query may name (`concept:NAME`): the project's, set by whoever opened
    /// the store ([`Store::set_concepts`]); none by default.
    pub(crate) concepts: std::sync::Arc<broadsheet_query::Concepts>,
}

impl Store {
    /// Opens (creating if it is missing or empty) the corpus at `path`, brings its schema up to
    /// date and marks imports that were stopped as interrupted. For a new project and for
    /// rebuilding a corpus; commands on an existing project use [`Store::open_existing`] or
    /// [`Store::open_for_reading`].
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Self::open_with(path, OpenMode::Create)
    }

    /// Opens an existing corpus to write to it: a missing or empty file is
    /// [`StoreError::Missing`], a file that cannot be written [`StoreError::ReadOnly`], a
    /// damaged one [`StoreError::Damaged`] (before its first write: see [`Store::verify`]).
    pub fn open_existing(path: &Path) -> Result<Store, StoreError> {
        Self::open_with(path, OpenMode::Existing)
    }

    /// Opens an existing corpus without ever writing to it (see [`OpenMode::ReadOnly`]).
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        Self::open_with(path, OpenMode::ReadOnly)
    }

    /// Opens an existing corpus for a reading command: as [`Store::open_existing`] when it can
    /// be written (so it is upgraded and its bookkeeping kept current), else read-only.
    pub fn open_for_reading(path: &Path) -> Result<Store, StoreError> {
        Self::open_with(path, OpenMode::Reading)
    }

    /// Opens the corpus at `path` as `mode` says.
    pub fn open_with(path: &Path, mode: OpenMode) -> Result<Store, StoreError> {
        open::open(path, mode, schema::SCHEMA_VERSION)
    }

    /// Opens the corpus, migrating only up to `version`: for tests of upgrades from old schemas.
    #[doc(hidden)]
    pub fn open_at_version(path: &Path, version: u32) -> Result<Store, StoreError> {
        open::open(path, OpenMode::Create, version)
    }

    pub(crate) fn from_connection(conn: Connection, path: &Path, read_only: bool) -> Store {
        Store {
            conn,
            path: path.to_path_buf(),
            read_only,
            verified: std::cell::Cell::new(false),
            tuning: Default::default(),
            source_ids: HashMap::new(),
            dictionary: derive::Dictionary::default(),
            boilerplate: Default::default(),
            concepts: Default::default(),
        }
    }

    /// Whether the store was opened read-only (nothing can be written through it).
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        schema::user_version(&self.conn)
    }

    /// Sets SQLite's page cache of this connection to `mb` megabytes (64 when opened). The
    /// import keeps 64 so its memory stays bounded; analyses use more, since a word list over
    /// a small subcorpus of a million-article corpus rereads its term vectors otherwise
    /// (docs/PERFORMANCE.md). The cache grows only as pages are read.
    pub fn set_cache_mb(&self, mb: u32) -> Result<(), StoreError> {
        self.conn
            .execute_batch(&format!("PRAGMA cache_size = -{}", u64::from(mb) * 1024))?;
        Ok(())
    }

    /// How much of the corpus file SQLite reads through a memory map instead of copying pages
    /// into its cache (0: none, the default). Limited to what SQLite was built for
    /// (`.cargo/config.toml`); an import sets none, so that its memory stays bounded.
    pub fn set_mapped_bytes(&self, bytes: u64) -> Result<(), StoreError> {
        self.conn
            .execute_batch(&format!("PRAGMA mmap_size = {bytes}"))?;
        Ok(())
    }

    /// Direct read access for analyses and tests.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// `PRAGMA integrity_check` and the FTS5 index's own check; `Ok(())` when both pass.
    pub fn check_integrity(&self) -> Result<(), StoreError> {
        let r: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if r != "ok" {
            return Err(StoreError::Invalid(format!("integrity check failed: {r}")));
        }
        let fts: i64 = self
            .conn
            .query_row("SELECT count(*) FROM articles_fts", [], |r| r.get(0))?;
        let arts: i64 = self
            .conn
            .query_row("SELECT count(*) FROM articles", [], |r| r.get(0))?;
        if fts != arts {
            return Err(StoreError::Invalid(format!(
                "the search index has {fts} rows for {arts} articles"
            )));
        }
        Ok(())
    }

    pub(crate) fn source_id(&mut self, name: &str) -> Result<i64, StoreError> {
        if let Some(id) = self.source_ids.get(name) {
            return Ok(*id);
        }
        self.conn.execute(
            "INSERT INTO sources(name) VALUES (?1) ON CONFLICT(name) DO NOTHING",
            [name],
        )?;
        let id: i64 =
            self.conn
                .query_row("SELECT id FROM sources WHERE name = ?1", [name], |r| {
                    r.get(0)
                })?;
        self.source_ids.insert(name.to_string(), id);
        Ok(id)
    }

    /// Gives an error made from a bare SQLite error (busy, damaged, full, read-only) this
    /// store's path, and a full disk the disk's name and free space.
    pub(crate) fn name_busy(&self, e: StoreError) -> StoreError {
        let path = self.path.display().to_string();
        match e {
            StoreError::Busy { .. } => StoreError::Busy { path },
            StoreError::Damaged { path: p, detail } if p == UNNAMED => {
                StoreError::Damaged { path, detail }
            }
            StoreError::ReadOnly { path: p, reason } if p == UNNAMED => {
                StoreError::ReadOnly { path, reason }
            }
            StoreError::DiskFull { path: p, .. } if p == UNNAMED => StoreError::DiskFull {
                disk: open::disk_of(&self.path),
                path,
            },
            other => other,
        }
    }

    /// Refuses `what` (a write) on a store opened read-only.
    pub(crate) fn require_writable(&self, what: &str) -> Result<(), StoreError> {
        if self.read_only {
            return Err(StoreError::ReadOnly {
                path: self.path.display().to_string(),
                reason: format!("{what} needs to write to the corpus, which is open read-only; make the project folder and its corpus.sqlite writable (or work on a writable copy)"),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod robustness_tests;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;
