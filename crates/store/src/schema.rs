//! The corpus schema and its migrations. `PRAGMA user_version` holds the number of migrations
//! applied; a database from a newer Broadsheet is refused, one from an older one is upgraded in
//! a transaction per step.

use rusqlite::{Connection, Transaction};

use crate::StoreError;

/// Version 1: sources, imports and their files and diagnostics, articles, and the FTS5 index.
///
/// The FTS5 table is contentless (`content=''`): it stores the *search form* of title and body
/// (case-folded, Persian/Arabic letters unified, diacritics removed; see `broadsheet_text::fold`),
/// written by the import pipeline in the same transaction as the article, so that the stored
/// text stays exactly as imported while search is forgiving. `contentless_delete=1` allows rows
/// to be deleted.
const V1: &str = r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE sources (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
) STRICT;

CREATE TABLE imports (
    id                 INTEGER PRIMARY KEY,
    started_at         TEXT NOT NULL,
    finished_at        TEXT,
    status             TEXT NOT NULL CHECK (status IN ('running', 'completed', 'cancelled', 'interrupted', 'failed')),
    options            TEXT NOT NULL,
    broadsheet_version TEXT NOT NULL,
    pid                INTEGER,
    files_seen         INTEGER NOT NULL DEFAULT 0,
    records_read       INTEGER NOT NULL DEFAULT 0,
    stored             INTEGER NOT NULL DEFAULT 0,
    duplicates         INTEGER NOT NULL DEFAULT 0,
    skipped            INTEGER NOT NULL DEFAULT 0,
    bytes              INTEGER NOT NULL DEFAULT 0,
    diagnostic_counts  TEXT NOT NULL DEFAULT '{}'
) STRICT;

CREATE TABLE import_files (
    id         INTEGER PRIMARY KEY,
    import_id  INTEGER NOT NULL REFERENCES imports(id),
    path       TEXT NOT NULL,
    display    TEXT NOT NULL,
    size       INTEGER NOT NULL,
    hash       TEXT,
    format     TEXT,
    encoding   TEXT,
    status     TEXT NOT NULL CHECK (status IN ('reading', 'done', 'failed', 'cancelled')),
    records    INTEGER NOT NULL DEFAULT 0,
    stored     INTEGER NOT NULL DEFAULT 0,
    duplicates INTEGER NOT NULL DEFAULT 0,
    skipped    INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX import_files_import ON import_files(import_id);

CREATE TABLE diagnostics (
    id        INTEGER PRIMARY KEY,
    import_id INTEGER NOT NULL REFERENCES imports(id),
    file_id   INTEGER REFERENCES import_files(id),
    file      TEXT NOT NULL,
    record    TEXT,
    severity  TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'error')),
    code      TEXT NOT NULL,
    message   TEXT NOT NULL
) STRICT;
CREATE INDEX diagnostics_import ON diagnostics(import_id);

CREATE TABLE articles (
    id                  INTEGER PRIMARY KEY,
    source_id           INTEGER NOT NULL REFERENCES sources(id),
    identity            BLOB NOT NULL UNIQUE,
    url                 TEXT,
    external_id         TEXT,
    title               TEXT NOT NULL,
    byline              TEXT,
    section             TEXT,
    language            TEXT,
    language_confidence REAL,
    language_origin     TEXT CHECK (language_origin IN ('field', 'detected')),
    published_at        INTEGER,
    date_precision      TEXT NOT NULL CHECK (date_precision IN ('second', 'day', 'month', 'year', 'unknown')),
    date_origin         TEXT NOT NULL CHECK (date_origin IN ('field', 'url', 'filename', 'text', 'none')),
    date_raw            TEXT,
    body                TEXT NOT NULL,
    content_hash        BLOB NOT NULL,
    chars               INTEGER NOT NULL,
    import_id           INTEGER NOT NULL REFERENCES imports(id),
    file_id             INTEGER REFERENCES import_files(id),
    record              TEXT,
    extra               TEXT NOT NULL DEFAULT '{}',
    CHECK ((published_at IS NULL) = (date_precision = 'unknown'))
) STRICT;
CREATE INDEX articles_date ON articles(published_at);
CREATE INDEX articles_source_date ON articles(source_id, published_at);

CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, body,
    content = '',
    contentless_delete = 1,
    tokenize = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'"
);
"#;

/// The full-text index's tokenizer, as in [`V1`]: what [`crate::corpus::index_tokens`] uses.
pub(crate) const FTS_TOKENIZER: &str = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'";

/// Version 2: derived data for analyses — the term dictionary and per-article term vectors,
/// the countries and regions each article mentions and the country it is most about — and
/// near-duplicate clusters. Derived rows are filled by `Store::ensure_derived` for articles
/// stored under version 1.
const V2: &str = r#"
CREATE TABLE terms (
    id   INTEGER PRIMARY KEY,
    term TEXT NOT NULL UNIQUE
) STRICT;

CREATE TABLE article_terms (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    tokens     INTEGER NOT NULL,
    data       BLOB NOT NULL
) STRICT;

CREATE TABLE article_places (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    place      TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('country', 'region')),
    mentions   INTEGER NOT NULL,
    PRIMARY KEY (article_id, place)
) STRICT, WITHOUT ROWID;
CREATE INDEX article_places_place ON article_places(place, article_id);

ALTER TABLE articles ADD COLUMN country TEXT;
ALTER TABLE articles ADD COLUMN cluster_id INTEGER;
CREATE INDEX articles_cluster ON articles(cluster_id) WHERE cluster_id IS NOT NULL;

CREATE TABLE article_signatures (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    signature  BLOB NOT NULL
) STRICT;
"#;

/// Version 3: narrow indexes that hold what the analyses load for every article (its source,
/// date, cluster, language and token count), so that loading the metadata of a million
/// articles reads tens of megabytes of index instead of every article's row and text.
const V3: &str = r#"
CREATE INDEX articles_meta ON articles(source_id, published_at, date_precision, cluster_id, language);
CREATE INDEX article_terms_tokens ON article_terms(tokens);
"#;

/// Version 5: source-level boilerplate. `article_lines` holds the keys of each article's short
/// lines (written with the article), `boilerplate` the lines of each source that are left out
/// of the index and the analyses (see `boilerplate.rs`).
const V5: &str = r#"
CREATE TABLE article_lines (
    source_id  INTEGER NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    hashes     BLOB NOT NULL,
    PRIMARY KEY (source_id, article_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX article_lines_article ON article_lines(article_id);

CREATE TABLE boilerplate (
    source_id INTEGER NOT NULL REFERENCES sources(id),
    hash      INTEGER NOT NULL,
    line      TEXT NOT NULL,
    articles  INTEGER NOT NULL,
    origin    TEXT NOT NULL CHECK (origin IN ('detected', 'added', 'kept')),
    example   INTEGER NOT NULL,
    PRIMARY KEY (source_id, hash)
) STRICT, WITHOUT ROWID;
"#;

/// Version 6: the metadata generation. Every transaction that changes what analyses load as
/// metadata (an article's source, date, cluster or language, its token count, a source name, a
/// dictionary term) increments `meta.generation`, so that a cache of that metadata beside the
/// database (`broadsheet_analysis::meta_cache`) knows whether it is current; `meta.corpus_uid`
/// tells this database from another made later at the same path. The store's writers increment
/// it once per transaction ([`crate::corpus::bump_generation`]); the triggers catch updates
/// and deletions of articles and sources made any other way. Inserts have no trigger: a trigger
/// makes SQLite open a statement savepoint, and each savepoint makes FTS5 flush its pending
/// index data (the import ran at half speed with insert triggers). Neither has `cluster_id`,
/// which only clustering writes, in bulk: the statement journal a trigger brings kept every
/// page that update touched in memory (+270 MB at a million articles).
const V6: &str = r#"
INSERT OR IGNORE INTO meta(key, value) VALUES ('generation', '0');
INSERT OR IGNORE INTO meta(key, value) VALUES ('corpus_uid', lower(hex(randomblob(16))));
CREATE TRIGGER generation_articles_delete AFTER DELETE ON articles BEGIN UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'generation'; END;
CREATE TRIGGER generation_articles_update AFTER UPDATE OF id, source_id, published_at, date_precision, language ON articles BEGIN UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'generation'; END;
CREATE TRIGGER generation_sources_delete AFTER DELETE ON sources BEGIN UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'generation'; END;
CREATE TRIGGER generation_sources_update AFTER UPDATE OF id, name ON sources BEGIN UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'generation'; END;
"#;

/// Version 4: languages as ISO 639 codes. Stored tags (`en-US`, `English`, `fa-IR`) become codes
/// with the raw value kept in `extra.language_raw`, a value that names no language becomes
/// unknown (raw value kept the same way), and `language_origin` may be `source` (a text too short
/// or numeric to tell, given its source's language). Both are Rust steps: [`languages_v4`].
const V4: &str = "";

/// A migration's Rust step, run in its transaction after its SQL.
pub type RustStep = fn(&Transaction) -> Result<(), StoreError>;

/// One schema step: SQL, then an optional Rust step in the same transaction (for what SQL alone
/// cannot do: Broadsheet's own functions, or editing a table's CHECK constraint).
pub struct Migration {
    pub sql: &'static str,
    pub rust: Option<RustStep>,
}

/// Every migration, in order. Index `i` brings a database from version `i` to `i + 1`.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        sql: V1,
        rust: None,
    },
    Migration {
        sql: V2,
        rust: None,
    },
    Migration {
        sql: V3,
        rust: None,
    },
    Migration {
        sql: V4,
        rust: Some(languages_v4),
    },
    Migration {
        sql: V5,
        rust: None,
    },
    Migration {
        sql: V6,
        rust: None,
    },
];

/// The schema-4 step: the new `language_origin` value, then the stored languages normalised.
fn languages_v4(tx: &Transaction) -> Result<(), StoreError> {
    allow_source_origin(tx)?;
    normalize_stored_languages(tx)
}

/// Widens the CHECK constraint on `articles.language_origin` to allow `source` by editing the
/// stored table definition (SQLite's documented procedure for changing a constraint that no
/// stored row violates; rebuilding the table would copy every article's text).
fn allow_source_origin(tx: &Transaction) -> Result<(), StoreError> {
    const OLD: &str = "language_origin IN ('field', 'detected')";
    const NEW: &str = "language_origin IN ('field', 'detected', 'source')";
    let sql: String = tx.query_row(
        "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'articles'",
        [],
        |r| r.get(0),
    )?;
    if sql.contains(NEW) {
        return Ok(());
    }
    if !sql.contains(OLD) {
        return Err(StoreError::Invalid(
            "the articles table has an unexpected definition; cannot migrate it to schema version 4".into(),
        ));
    }
    let version: i64 = tx.query_row("PRAGMA schema_version", [], |r| r.get(0))?;
    tx.pragma_update(None, "writable_schema", true)?;
    tx.execute(
        "UPDATE sqlite_schema SET sql = ?1 WHERE type = 'table' AND name = 'articles'",
        [sql.replace(OLD, NEW)],
    )?;
    tx.pragma_update(None, "schema_version", version + 1)?;
    tx.pragma_update(None, "writable_schema", false)?;
    Ok(())
}

/// Rewrites every stored language that is not already a code, one distinct value at a time in a
/// mapping table and then in one pass over the articles: the distinct values come from the
/// narrow `articles_meta` index, and only rows that change are written.
fn normalize_stored_languages(tx: &Transaction) -> Result<(), StoreError> {
    let values: Vec<String> = {
        let mut st =
            tx.prepare("SELECT DISTINCT language FROM articles WHERE language IS NOT NULL")?;
        let rows = st.query_map([], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    tx.execute_batch("CREATE TEMP TABLE language_map(raw TEXT PRIMARY KEY, code TEXT) STRICT")?;
    for raw in &values {
        let code = broadsheet_text::language_code(raw);
        if code != Some(raw.as_str()) {
            tx.execute(
                "INSERT INTO language_map(raw, code) VALUES (?1, ?2)",
                rusqlite::params![raw, code],
            )?;
        }
    }
    tx.execute_batch(
        "UPDATE articles SET
             extra = json_set(extra, '$.language_raw', coalesce(json_extract(extra, '$.language_raw'), language)),
             language_confidence = CASE WHEN m.code IS NULL THEN NULL ELSE language_confidence END,
             language_origin = CASE WHEN m.code IS NULL THEN NULL ELSE language_origin END,
             language = m.code
         FROM language_map m WHERE m.raw = articles.language;
         DROP TABLE temp.language_map;",
    )?;
    Ok(())
}

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

pub(crate) fn user_version(conn: &Connection) -> Result<u32, StoreError> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))? as u32)
}

/// Applies migrations up to `target` (normally [`SCHEMA_VERSION`]).
pub(crate) fn migrate(conn: &mut Connection, target: u32) -> Result<(), StoreError> {
    let current = user_version(conn)?;
    if current > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            found: current,
            supported: SCHEMA_VERSION,
        });
    }
    for v in current..target {
        let tx = conn.transaction()?;
        let m = &MIGRATIONS[v as usize];
        tx.execute_batch(m.sql)?;
        if let Some(step) = m.rust {
            step(&tx)?;
        }
        tx.pragma_update(None, "user_version", v + 1)?;
        tx.commit()?;
    }
    Ok(())
}
