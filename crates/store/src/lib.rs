//! The corpus store: one SQLite file per project holding sources, imports (with every file and
//! diagnostic), articles and their FTS5 index. The import pipeline ([`import`]) writes it;
//! search ([`search`]) and statistics ([`stats`]) read it.
//!
//! Architecture invariant: every write that adds an article adds its index row in the same
//! transaction, so an article is either fully stored and searchable, or absent.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

pub mod boilerplate;
pub mod clusters;
pub mod corpus;
pub mod derive;
pub mod import;
pub mod matches;
pub mod page;
pub mod schema;
pub mod search;
pub mod stats;

pub use boilerplate::{BoilerplateLine, BoilerplateReport, BoilerplateSets};
pub use corpus::{ArticleMeta, CorpusMeta};
pub use import::{
    import, FileReport, ImportProgress, ImportReport, ImportRequest, ImportStatus, ProgressSnapshot,
};
pub use page::ArticlePage;
pub use search::{
    normalize_languages, Filters, Hit, SearchRequest, SearchResults, Segment, Sort, Subcorpus,
};
pub use stats::{
    ArticleDetail, ArticleRow, CorpusStats, DiagnosticRow, ImportFileRow, ImportRecord, ImportRow,
    SourceRow, SourceYear,
};

/// The Broadsheet version written into imports and manifests.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Errors from the store. Messages are for people: they name the file and say what to do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: the corpus database is being written by another Broadsheet process (an import in the app or on the command line); try again when it has finished")]
    Busy { path: String },
    #[error("this corpus was written by a newer Broadsheet (schema version {found}; this one reads up to {supported}); update Broadsheet to open it")]
    TooNew { found: u32, supported: u32 },
    #[error("{path}: not a Broadsheet corpus database ({reason})")]
    NotACorpus { path: String, reason: String },
    #[error(transparent)]
    Query(#[from] broadsheet_query::QueryError),
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

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        if let rusqlite::Error::SqliteFailure(f, _) = &e {
            if matches!(
                f.code,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
            ) {
                return StoreError::Busy {
                    path: "corpus.sqlite".into(),
                };
            }
        }
        StoreError::Sqlite(e)
    }
}

/// An open corpus.
pub struct Store {
    pub(crate) conn: Connection,
    path: PathBuf,
    source_ids: HashMap<String, i64>,
    pub(crate) dictionary: derive::Dictionary,
    /// The boilerplate lines of every source, loaded on first use.
    pub(crate) boilerplate: boilerplate::Cache,
}

impl Store {
    /// Opens (creating if needed) the corpus at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Self::open_at_version(path, schema::SCHEMA_VERSION)
    }

    /// Opens the corpus, migrating only up to `version`: for tests of upgrades from old schemas.
    #[doc(hidden)]
    pub fn open_at_version(path: &Path, version: u32) -> Result<Store, StoreError> {
        let new = !path.exists();
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI,
        )
        .map_err(|e| StoreError::NotACorpus {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        if new {
            // Larger pages make bulk inserts of article text markedly faster (see ARCHITECTURE).
            conn.pragma_update(None, "page_size", 16384)?;
        }
        let wal: String = conn
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _)
                    if f.code == rusqlite::ErrorCode::NotADatabase =>
                {
                    StoreError::NotACorpus {
                        path: path.display().to_string(),
                        reason: "the file is not an SQLite database".into(),
                    }
                }
                other => StoreError::from(other),
            })?;
        if wal != "wal" {
            return Err(StoreError::Invalid(format!(
                "{}: could not switch the database to WAL mode (got {wal})",
                path.display()
            )));
        }
        conn.execute_batch(
            "PRAGMA foreign_keys = ON;
             PRAGMA synchronous = NORMAL;
             PRAGMA cache_size = -65536;
             PRAGMA temp_store = MEMORY;",
        )?;
        schema::migrate(&mut conn, version).map_err(|e| match e {
            StoreError::Sqlite(s) => StoreError::NotACorpus {
                path: path.display().to_string(),
                reason: s.to_string(),
            },
            other => other,
        })?;
        if new {
            conn.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('created_by', ?1)",
                [format!("broadsheet {VERSION}")],
            )?;
        }
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            source_ids: HashMap::new(),
            dictionary: derive::Dictionary::default(),
            boilerplate: Default::default(),
        })
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

    /// Maps a Busy error to one naming this store's file.
    pub(crate) fn name_busy(&self, e: StoreError) -> StoreError {
        match e {
            StoreError::Busy { .. } => StoreError::Busy {
                path: self.path.display().to_string(),
            },
            other => other,
        }
    }
}

#[cfg(test)]
mod tests;
