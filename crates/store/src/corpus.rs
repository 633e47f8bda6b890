//! Bulk read access for analyses: the metadata of every article as columns (source, date and
//! precision, cluster, token count), the term dictionary, term vectors, and place tags — what
//! the analyses need without reading article text.

use std::collections::BTreeMap;

use broadsheet_ingest::Precision;

use rusqlite::OptionalExtension;

use crate::{Store, StoreError};

/// One article's metadata, as analyses group and filter by it.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleMeta {
    pub id: i64,
    /// Index into [`CorpusMeta::sources`].
    pub source: u32,
    pub published_at: Option<i64>,
    pub precision: Precision,
    /// The canonical article of its near-duplicate cluster, if it is in one.
    pub cluster_id: Option<i64>,
    /// Tokens in title and body (0 until derived data exists).
    pub tokens: u32,
    /// Index into [`CorpusMeta::languages`] (0 = unknown).
    pub language: u16,
}

impl ArticleMeta {
    /// Whether this article counts when each near-duplicate cluster is counted once.
    pub fn is_canonical(&self) -> bool {
        self.cluster_id.is_none_or(|c| c == self.id)
    }
}

/// Every article's metadata, sorted by id.
#[derive(Debug, Clone, Default)]
pub struct CorpusMeta {
    pub sources: Vec<String>,
    /// Language codes; index 0 is the empty code of articles whose language is unknown.
    pub languages: Vec<String>,
    pub articles: Vec<ArticleMeta>,
}

impl CorpusMeta {
    /// The position of an article id in `articles`. Ids are given in sequence and rarely
    /// removed, so the id's offset from the first is tried first: one memory access instead of
    /// a binary search's twenty cache misses at a million articles.
    pub fn index_of(&self, id: i64) -> Option<usize> {
        let first = self.articles.first()?.id;
        if id < first {
            return None;
        }
        // Ids are increasing, so an article is never after its id's offset.
        let upto = match id.checked_sub(first).map(usize::try_from) {
            Some(Ok(guess)) if self.articles.get(guess).is_some_and(|a| a.id == id) => {
                return Some(guess)
            }
            Some(Ok(guess)) => guess.saturating_add(1).min(self.articles.len()),
            // An offset beyond `usize` (or `i64`): search them all.
            Some(Err(_)) | None => self.articles.len(),
        };
        self.articles[..upto]
            .binary_search_by_key(&id, |a| a.id)
            .ok()
    }

    pub fn language(&self, a: &ArticleMeta) -> &str {
        self.languages
            .get(a.language as usize)
            .map(String::as_str)
            .unwrap_or("")
    }

    pub fn source_name(&self, a: &ArticleMeta) -> &str {
        self.sources
            .get(a.source as usize)
            .map(String::as_str)
            .unwrap_or("")
    }
}

/// Advances the metadata generation (schema version 6) in the caller's transaction: every
/// writer that inserts articles, sources, terms or term vectors, or changes them, calls it once
/// per transaction (a plain one-row update: no trigger, so no statement savepoint).
pub(crate) fn bump_generation(conn: &rusqlite::Connection) -> Result<(), StoreError> {
    conn.prepare_cached(
        "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'generation'",
    )?
    .execute([])?;
    Ok(())
}

impl Store {
    /// What names the current state of the metadata ([`Store::corpus_meta`] and
    /// [`Store::term_dictionary`]): the corpus's unique id and its generation, which advances
    /// in every transaction that changes either (schema version 6). `None` for a database
    /// without them.
    pub fn metadata_key(&self) -> Result<Option<String>, StoreError> {
        let key: Option<String> = self
            .conn
            .query_row(
                "SELECT u.value || '-' || g.value FROM meta u, meta g
                 WHERE u.key = 'corpus_uid' AND g.key = 'generation'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        Ok(key)
    }

    /// What [`Store::set_prepared_for`] recorded last.
    pub fn prepared_for(&self) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'prepared_for'",
                [],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Records the state a front end last brought the corpus up to date for (its metadata key,
    /// the settings and the version that [`Store::prepare`] depends on), so that the next
    /// process with the same state need not check each step again. Nothing is recorded in a
    /// corpus opened read-only.
    pub fn set_prepared_for(&self, state: &str) -> Result<(), StoreError> {
        if self.is_read_only() {
            return Ok(());
        }
        self.conn.execute(
            "INSERT INTO meta(key, value) VALUES ('prepared_for', ?1)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [state],
        )?;
        Ok(())
    }

    /// Runs `f` in one read transaction (unless one is open already), so that what it reads,
    /// [`Store::metadata_key`] included, is one state of the corpus.
    pub fn read_snapshot<T>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let own_tx = self.conn.is_autocommit();
        if own_tx {
            self.conn.execute_batch("BEGIN")?;
        }
        let r = f(self);
        if own_tx {
            // A read transaction: ending it cannot lose anything.
            let _ = self.conn.execute_batch("COMMIT");
        }
        r
    }

    /// Loads the metadata of every article.
    pub fn corpus_meta(&self) -> Result<CorpusMeta, StoreError> {
        let mut sources = Vec::new();
        let mut source_ix: BTreeMap<i64, u32> = BTreeMap::new();
        {
            let mut st = self
                .conn
                .prepare("SELECT id, name FROM sources ORDER BY id")?;
            let rows = st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
            for row in rows {
                let (id, name) = row?;
                source_ix.insert(id, sources.len() as u32);
                sources.push(name);
            }
        }
        // Two scans of narrow covering indexes (schema v3), merged here by id: a join would
        // read every article's row and term vector.
        let mut tokens: Vec<(i64, u32)> = {
            let mut st = self
                .conn
                .prepare(
                    "SELECT article_id, tokens FROM article_terms INDEXED BY article_terms_tokens",
                )
                .map_err(|e| self.name_busy(e.into()))?;
            let rows = st.query_map([], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)? as u32))
            })?;
            rows.collect::<Result<_, _>>()?
        };
        tokens.sort_unstable();
        let mut st = self
            .conn
            .prepare(
                "SELECT id, source_id, published_at, date_precision, cluster_id, COALESCE(language, '')
                 FROM articles INDEXED BY articles_meta",
            )
            .map_err(|e| self.name_busy(e.into()))?;
        let mut languages: Vec<String> = vec![String::new()];
        let mut lang_ix: BTreeMap<String, u16> = BTreeMap::new();
        lang_ix.insert(String::new(), 0);
        let mut precisions: BTreeMap<String, Precision> = BTreeMap::new();
        let mut rows = st.query([])?;
        let mut articles: Vec<ArticleMeta> = Vec::new();
        while let Some(r) = rows.next()? {
            let lang = r.get_ref(5)?.as_str().map_err(rusqlite::Error::from)?;
            let language = match lang_ix.get(lang) {
                Some(i) => *i,
                None => {
                    let i = languages.len() as u16;
                    languages.push(lang.to_string());
                    lang_ix.insert(lang.to_string(), i);
                    i
                }
            };
            let p = r.get_ref(3)?.as_str().map_err(rusqlite::Error::from)?;
            let precision = match precisions.get(p) {
                Some(p) => *p,
                None => {
                    let parsed = Precision::parse(p).unwrap_or(Precision::Unknown);
                    precisions.insert(p.to_string(), parsed);
                    parsed
                }
            };
            articles.push(ArticleMeta {
                language,
                id: r.get(0)?,
                source: source_ix.get(&r.get::<_, i64>(1)?).copied().unwrap_or(0),
                published_at: r.get(2)?,
                precision,
                cluster_id: r.get(4)?,
                tokens: 0,
            });
        }
        articles.sort_unstable_by_key(|a| a.id);
        let mut j = 0;
        for a in &mut articles {
            while j < tokens.len() && tokens[j].0 < a.id {
                j += 1;
            }
            if j < tokens.len() && tokens[j].0 == a.id {
                a.tokens = tokens[j].1;
            }
        }

        Ok(CorpusMeta {
            sources,
            languages,
            articles,
        })
    }

    /// The term dictionary: index = term id (id 0 is unused and empty).
    pub fn term_dictionary(&self) -> Result<Vec<String>, StoreError> {
        let max: i64 = self
            .conn
            .query_row("SELECT COALESCE(max(id), 0) FROM terms", [], |r| r.get(0))?;
        let mut out = vec![String::new(); max as usize + 1];
        let mut st = self.conn.prepare("SELECT id, term FROM terms")?;
        let rows = st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (id, t) = row?;
            out[id as usize] = t;
        }
        Ok(out)
    }

    /// Calls `f(article id, tokens, encoded term vector)` for the given articles (sorted ids), or
    /// for every article when `ids` is `None`. Decode vectors with
    /// [`crate::derive::decode_terms`].
    pub fn for_each_term_vector(
        &self,
        ids: Option<&[i64]>,
        mut f: impl FnMut(i64, u32, &[u8]),
    ) -> Result<(), StoreError> {
        // The largest id stands in for the row count: counting would read the whole table.
        let total: i64 = self.conn.query_row(
            "SELECT coalesce(max(article_id), 0) FROM article_terms",
            [],
            |r| r.get(0),
        )?;
        // One read transaction for all the lookups: in WAL mode each statement outside one
        // takes and drops its own read lock (two system calls a lookup).
        self.read_snapshot(|s| s.term_vectors_in_tx(ids, total, &mut f))
    }

    fn term_vectors_in_tx(
        &self,
        ids: Option<&[i64]>,
        total: i64,
        f: &mut impl FnMut(i64, u32, &[u8]),
    ) -> Result<(), StoreError> {
        match ids {
            // A scan is cheaper than lookups once a good part of the corpus is wanted.
            Some(ids) if (ids.len() as i64) * 4 < total => {
                let mut st = self.conn.prepare_cached(
                    "SELECT tokens, data FROM article_terms WHERE article_id = ?1",
                )?;
                for id in ids {
                    let mut rows = st.query([id])?;
                    if let Some(r) = rows.next()? {
                        let tokens: i64 = r.get(0)?;
                        let data = r.get_ref(1)?.as_blob().map_err(rusqlite::Error::from)?;
                        f(*id, tokens as u32, data);
                    }
                }
            }
            _ => {
                let mut st = self.conn.prepare(
                    "SELECT article_id, tokens, data FROM article_terms ORDER BY article_id",
                )?;
                let mut rows = st.query([])?;
                let mut want = ids.map(|v| v.iter().peekable());
                while let Some(r) = rows.next()? {
                    let id: i64 = r.get(0)?;
                    if let Some(w) = want.as_mut() {
                        while w.peek().is_some_and(|x| **x < id) {
                            w.next();
                        }
                        if w.peek() != Some(&&id) {
                            continue;
                        }
                    }
                    let tokens: i64 = r.get(1)?;
                    let data = r.get_ref(2)?.as_blob().map_err(rusqlite::Error::from)?;
                    f(id, tokens as u32, data);
                }
            }
        }
        Ok(())
    }

    /// Place tags of every article: `(article id, place, kind, mentions)`, sorted.
    pub fn place_tags(&self) -> Result<Vec<(i64, String, String, u32)>, StoreError> {
        let mut st = self.conn.prepare(
            "SELECT article_id, place, kind, mentions FROM article_places ORDER BY article_id, place",
        )?;
        let rows = st.query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, i64>(3)? as u32))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Title, body and language of one article, for analyses that read text: the body
    /// without its source's boilerplate lines, as the index and the counts have it.
    pub fn article_text(&self, id: i64) -> Result<(String, String, Option<String>), StoreError> {
        let (title, body, lang, source): (String, String, Option<String>, i64) = self
            .conn
            .prepare_cached("SELECT title, body, language, source_id FROM articles WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .map_err(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => StoreError::NoSuchArticle(id),
                other => other.into(),
            })?;
        let body = match self.effective_body(source, &body)? {
            std::borrow::Cow::Borrowed(_) => body,
            std::borrow::Cow::Owned(o) => o,
        };
        Ok((title, body, lang))
    }
}

/// The full-text index's own tokens: what a query term is compared with.
impl Store {
    /// Calls `f(article id, column (0 title, 1 body), token, position)` for every token the
    /// full-text index holds, in the index's order (by token, then article, column, position),
    /// read through FTS5's `fts5vocab` instance table so that they are exactly the index's.
    pub fn for_each_index_token(
        &self,
        mut f: impl FnMut(i64, u8, &str, u32),
    ) -> Result<(), StoreError> {
        self.conn.execute_batch(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.articles_fts_instances
             USING fts5vocab(main, articles_fts, instance)",
        )?;
        let mut st = self
            .conn
            .prepare("SELECT term, doc, col, offset FROM temp.articles_fts_instances")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let term = r.get_ref(0)?.as_str().unwrap_or_default();
            let col: String = r.get(2)?;
            f(r.get(1)?, u8::from(col == "body"), term, r.get(3)?);
        }
        Ok(())
    }
}

/// The tokens FTS5 makes of a text with the index's tokenizer (what a query's word becomes:
/// `U.S.` is two tokens), read back from a one-row index in memory.
pub fn index_tokens(text: &str) -> Result<Vec<String>, StoreError> {
    let conn = rusqlite::Connection::open_in_memory()?;
    conn.execute_batch(&format!(
        "CREATE VIRTUAL TABLE t USING fts5(x, tokenize = \"{}\");
         CREATE VIRTUAL TABLE v USING fts5vocab(t, instance);",
        crate::schema::FTS_TOKENIZER
    ))?;
    conn.execute("INSERT INTO t(x) VALUES (?1)", [text])?;
    let mut st = conn.prepare("SELECT term FROM v ORDER BY offset")?;
    let rows = st.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta_of(ids: &[i64]) -> CorpusMeta {
        let articles = ids
            .iter()
            .map(|&id| ArticleMeta {
                id,
                source: 0,
                published_at: None,
                precision: Precision::Unknown,
                cluster_id: None,
                tokens: 0,
                language: 0,
            })
            .collect();
        CorpusMeta {
            articles,
            ..Default::default()
        }
    }

    /// The offset guess of `index_of` must agree with a search whatever the gaps: removed
    /// articles, a first id above 1, ids far apart.
    #[test]
    fn index_of_finds_every_id_and_no_other_with_gaps() {
        let cases: [&[i64]; 5] = [
            &[],
            &[1, 2, 3, 4, 5],
            &[3, 4, 7, 8, 9, 20],
            &[1, 1_000_000, i64::MAX],
            &[i64::MIN, -5, 0, 2],
        ];
        for ids in cases {
            let meta = meta_of(ids);
            for probe in -10..30i64 {
                let want = ids.binary_search(&probe).ok();
                assert_eq!(meta.index_of(probe), want, "{probe} in {ids:?}");
            }
            for (pos, &id) in ids.iter().enumerate() {
                assert_eq!(meta.index_of(id), Some(pos), "{id} in {ids:?}");
            }
            assert_eq!(meta.index_of(i64::MAX), ids.binary_search(&i64::MAX).ok());
            assert_eq!(meta.index_of(i64::MIN), ids.binary_search(&i64::MIN).ok());
        }
    }
}
