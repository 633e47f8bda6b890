//! Derived data kept beside each article so that analyses never re-read all the text: its term
//! vector (count-form tokens and how often each occurs, varint-encoded), its token count, and
//! the countries and regions it mentions. Computed by the import pipeline, and by
//! [`Store::ensure_derived`] for articles stored before (or by an older derivation).

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use rusqlite::params;
use rustc_hash::FxHashMap;

use broadsheet_geo::Gazetteer;
use broadsheet_text::{count_form_into, token_spans};

use crate::boilerplate::{encode_keys, line_keys, strip};
use crate::{Store, StoreError};

/// The version of the derivation (tokenizer, count forms, gazetteer; 4: places matched by the
/// article's language; 5: the keys of each article's lines, which boilerplate detection reads).
/// Stored in `meta`; when it changes, derived data is recomputed.
pub const DERIVED_VERSION: &str = "5";

/// What is derived from one article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Derived {
    /// Tokens in title and body.
    pub tokens: u32,
    /// Count-form terms and their counts, sorted by term.
    pub terms: Vec<(String, u32)>,
    /// `(place, kind, mentions)`: ISO country codes (`country`) and region ids (`region`)
    /// mentioned by name.
    pub places: Vec<(String, &'static str, u32)>,
    /// The country the article is most about (mentions, with a dateline's country weighted).
    pub country: Option<String>,
    /// The MinHash signature of title and body, for near-duplicate clustering.
    pub signature: Vec<u8>,
    /// The keys of the stored body's short lines (see `boilerplate::line_keys`), set by the
    /// caller from the whole body; empty when they are not being written.
    pub lines: Vec<u64>,
}

/// The signature parameters of the store (the clustering threshold is chosen later, when
/// clusters are computed).
pub fn signature_params() -> broadsheet_dedup::Params {
    broadsheet_dedup::Params::default()
}

/// Derives the term vector and places of an article.
pub fn derive(
    title: &str,
    body: &str,
    language: Option<&str>,
    dateline: Option<&str>,
    gazetteer: &Gazetteer,
) -> Derived {
    derive_folded(
        title,
        body,
        [
            &broadsheet_text::search_text(title),
            &broadsheet_text::search_text(body),
        ],
        language,
        dateline,
        gazetteer,
    )
}

/// [`derive`] for an article whose search forms (title, body) are already made, as the import
/// has them for the full-text index.
pub fn derive_folded(
    title: &str,
    body: &str,
    search_forms: [&str; 2],
    language: Option<&str>,
    dateline: Option<&str>,
    gazetteer: &Gazetteer,
) -> Derived {
    let lang = language.unwrap_or("");
    let mut counts: FxHashMap<String, u32> = FxHashMap::default();
    let mut tokens = 0u32;
    for text in [title, body] {
        let mut run: Vec<String> = Vec::new();
        // One buffer for every token's count form; a String is made only for a new word.
        let mut f = String::new();
        for t in token_spans(text) {
            f.clear();
            count_form_into(t.text(text), lang, &mut f);
            if f.is_empty() {
                continue;
            }
            let mut chars = f.chars();
            if chars.next().is_some_and(broadsheet_text::tokens::is_cjk) && chars.next().is_none() {
                run.push(f.clone());
                continue;
            }
            tokens += flush_cjk(&mut run, &mut counts);
            tokens += 1;
            match counts.get_mut(f.as_str()) {
                Some(n) => *n += 1,
                None => {
                    counts.insert(f.clone(), 1);
                }
            }
        }
        tokens += flush_cjk(&mut run, &mut counts);
    }
    let mut terms: Vec<(String, u32)> = counts.into_iter().collect();
    terms.sort_unstable();
    let joined;
    let text = if title.is_empty() {
        body
    } else {
        joined = format!("{title}\n\n{body}");
        &joined
    };
    let tags = gazetteer.tag_article(dateline, text, language);
    let mut places: Vec<(String, &'static str, u32)> = tags
        .tags
        .countries
        .iter()
        .map(|(c, n)| (c.clone(), "country", *n))
        .chain(
            tags.tags
                .regions
                .iter()
                .map(|(r, n)| (r.clone(), "region", *n)),
        )
        .collect();
    if let Some(d) = &tags.dateline {
        if !places.iter().any(|(p, _, _)| p == d) {
            places.push((d.clone(), "country", 0));
        }
    }
    places.sort();
    Derived {
        tokens,
        country: tags.primary().map(str::to_string),
        terms,
        places,
        signature: broadsheet_dedup::signature::signature_folded(
            &search_forms,
            &signature_params(),
        )
        .to_bytes(),
        lines: Vec::new(),
    }
}

/// Counts a run of CJK characters (one token each) as overlapping character bigrams, the
/// documented fallback for languages written without spaces; a lone character counts as itself.
/// Returns the number of terms counted.
fn flush_cjk(run: &mut Vec<String>, counts: &mut FxHashMap<String, u32>) -> u32 {
    let n = match run.len() {
        0 => 0,
        1 => {
            *counts.entry(run[0].clone()).or_default() += 1;
            1
        }
        len => {
            for w in run.windows(2) {
                *counts.entry(format!("{}{}", w[0], w[1])).or_default() += 1;
            }
            (len - 1) as u32
        }
    };
    run.clear();
    n
}

fn push_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn read_varint(data: &[u8], pos: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    let mut shift = 0;
    loop {
        let b = *data.get(*pos)?;
        *pos += 1;
        v |= ((b & 0x7f) as u64) << shift;
        if b & 0x80 == 0 {
            return Some(v);
        }
        shift += 7;
        if shift > 63 {
            return None;
        }
    }
}

/// Encodes `(term id, count)` pairs: sorted by id, each as varint(id − previous id), varint(count).
pub fn encode_terms(pairs: &mut [(u32, u32)]) -> Vec<u8> {
    pairs.sort_unstable();
    let mut out = Vec::with_capacity(pairs.len() * 3);
    let mut prev = 0u32;
    for (id, n) in pairs.iter() {
        push_varint(&mut out, (id - prev) as u64);
        push_varint(&mut out, *n as u64);
        prev = *id;
    }
    out
}

/// Decodes what [`encode_terms`] wrote, calling `f(term id, count)` in id order. Stops at the
/// first malformed byte (a damaged blob yields what precedes the damage).
pub fn decode_terms(data: &[u8], mut f: impl FnMut(u32, u32)) {
    let mut pos = 0;
    let mut id = 0u32;
    while pos < data.len() {
        let (Some(d), Some(n)) = (read_varint(data, &mut pos), read_varint(data, &mut pos)) else {
            return;
        };
        id = id.wrapping_add(d as u32);
        f(id, n as u32);
    }
}

/// The term dictionary of a store, held in memory while writing.
#[derive(Default)]
pub(crate) struct Dictionary {
    ids: FxHashMap<String, u32>,
    loaded: bool,
}

impl Dictionary {
    pub(crate) fn load(&mut self, conn: &rusqlite::Connection) -> Result<(), StoreError> {
        if self.loaded {
            return Ok(());
        }
        let mut st = conn.prepare("SELECT id, term FROM terms")?;
        let rows = st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (id, term) = row?;
            self.ids.insert(term, id as u32);
        }
        self.loaded = true;
        Ok(())
    }

    /// Forgets everything (after a rolled-back transaction, new ids may be gone).
    pub(crate) fn reset(&mut self) {
        self.ids.clear();
        self.loaded = false;
    }

    /// The id of `term`, inserting it (in the caller's transaction) when new.
    pub(crate) fn id(
        &mut self,
        conn: &rusqlite::Connection,
        term: &str,
    ) -> Result<u32, StoreError> {
        if let Some(id) = self.ids.get(term) {
            return Ok(*id);
        }
        // Another process importing into the same corpus may have added the term since the
        // dictionary was loaded: then the existing row's id is the one to use. (`OR IGNORE`
        // and a lookup rather than an upsert or `OR REPLACE`: those make SQLite open a
        // statement savepoint, and every savepoint makes FTS5 flush its pending index data
        // as a tiny segment.)
        let inserted = conn
            .prepare_cached("INSERT OR IGNORE INTO terms(term) VALUES (?1)")?
            .execute([term])?;
        let id: i64 = if inserted == 1 {
            conn.last_insert_rowid()
        } else {
            conn.prepare_cached("SELECT id FROM terms WHERE term = ?1")?
                .query_row([term], |r| r.get(0))?
        };
        let id = id as u32;
        self.ids.insert(term.to_string(), id);
        Ok(id)
    }
}

/// Writes one article's derived rows (replacing any), in the caller's transaction.
pub(crate) fn write_derived(
    conn: &rusqlite::Connection,
    dict: &mut Dictionary,
    article_id: i64,
    d: &Derived,
) -> Result<(), StoreError> {
    for sql in [
        "DELETE FROM article_places WHERE article_id = ?1",
        "DELETE FROM article_terms WHERE article_id = ?1",
        "DELETE FROM article_signatures WHERE article_id = ?1",
    ] {
        conn.prepare_cached(sql)?.execute([article_id])?;
    }
    conn.prepare_cached("UPDATE articles SET country = ?2 WHERE id = ?1")?
        .execute(params![article_id, d.country])?;
    write_new_derived(conn, dict, article_id, d)?;
    conn.prepare_cached("INSERT OR REPLACE INTO meta(key, value) VALUES ('clusters_dirty', '1')")?
        .execute([])?;
    crate::corpus::bump_generation(conn)?;
    Ok(())
}

/// The derived rows of an article stored just now (its country went in with its row; the
/// caller marks the clusters stale once per transaction). Plain inserts: an `OR REPLACE`
/// would open a statement savepoint, which makes FTS5 flush its pending data (one index
/// segment per article, then merged again and again); the import removes derived rows left
/// over from deleted articles before it starts.
pub(crate) fn write_new_derived(
    conn: &rusqlite::Connection,
    dict: &mut Dictionary,
    article_id: i64,
    d: &Derived,
) -> Result<(), StoreError> {
    let mut pairs = Vec::with_capacity(d.terms.len());
    for (t, n) in &d.terms {
        pairs.push((dict.id(conn, t)?, *n));
    }
    let blob = encode_terms(&mut pairs);
    conn.prepare_cached("INSERT INTO article_terms(article_id, tokens, data) VALUES (?1, ?2, ?3)")?
        .execute(params![article_id, d.tokens, blob])?;
    for (p, kind, n) in &d.places {
        conn.prepare_cached(
            "INSERT INTO article_places(article_id, place, kind, mentions) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![article_id, p, kind, n])?;
    }
    conn.prepare_cached("INSERT INTO article_signatures(article_id, signature) VALUES (?1, ?2)")?
        .execute(params![article_id, d.signature])?;
    Ok(())
}

/// The dateline an article's extra fields carry (Reuters keeps it apart).
pub(crate) fn dateline_of(extra: &serde_json::Value) -> Option<&str> {
    extra.get("dateline").and_then(|v| v.as_str())
}

impl Store {
    /// Computes derived data for every article that lacks it, or all of it when the derivation
    /// changed since it was computed. Returns how many articles were processed.
    pub fn ensure_derived(
        &mut self,
        progress: &dyn Fn(u64, u64),
        cancel: &AtomicBool,
    ) -> Result<u64, StoreError> {
        let stored: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'derived_version'",
                [],
                |r| r.get(0),
            )
            .ok();
        let all = stored.as_deref() != Some(DERIVED_VERSION);
        // Once every article has derived data, imports keep it so (they write an article and
        // its derived rows in one transaction), and `derived_complete` says so: then there is
        // nothing to look for, which at a million articles saves a scan of the whole table
        // before every command.
        let complete = self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'derived_complete'",
                [],
                |r| r.get::<_, String>(0),
            )
            .is_ok_and(|v| v == "1");
        if !all && complete {
            progress(0, 0);
            return Ok(0);
        }
        let ids: Vec<i64> = {
            let sql = if all {
                "SELECT id FROM articles ORDER BY id"
            } else {
                "SELECT a.id FROM articles a LEFT JOIN article_terms t ON t.article_id = a.id WHERE t.article_id IS NULL ORDER BY a.id"
            };
            let mut st = self.conn.prepare(sql)?;
            let rows = st.query_map([], |r| r.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        if ids.is_empty() && self.is_read_only() {
            progress(0, 0);
            return Ok(0);
        }
        self.require_writable(
            "bringing the derived data (term counts, places, signatures) up to date",
        )?;
        self.verify()?;
        let total = ids.len() as u64;
        let gaz = Gazetteer::builtin();
        let sets = self.boilerplate_sets()?;
        let mut done = 0u64;
        progress(0, total);
        for chunk in ids.chunks(1000) {
            if cancel.load(Ordering::Relaxed) {
                return Ok(done);
            }
            let rows = self.rows_for_derivation(chunk)?;
            let derived: Vec<(i64, i64, Derived)> = rows
                .par_iter()
                .map(|(id, source, title, body, lang, extra)| {
                    let extra: serde_json::Value =
                        serde_json::from_str(extra).unwrap_or(serde_json::Value::Null);
                    let effective = strip(body, sets.of_source(*source));
                    let mut d = derive(
                        title,
                        &effective,
                        lang.as_deref(),
                        dateline_of(&extra),
                        &gaz,
                    );
                    d.lines = line_keys(body);
                    (*id, *source, d)
                })
                .collect();
            self.conn.execute_batch("BEGIN IMMEDIATE")?;
            let r = (|| -> Result<(), StoreError> {
                self.dictionary.load(&self.conn)?;
                for (id, source, d) in &derived {
                    write_derived(&self.conn, &mut self.dictionary, *id, d)?;
                    self.conn
                        .prepare_cached(
                            "INSERT OR REPLACE INTO article_lines(source_id, article_id, hashes) VALUES (?1, ?2, ?3)",
                        )?
                        .execute(params![source, id, encode_keys(&d.lines)])?;
                }
                Ok(())
            })();
            match r {
                Ok(()) => self.conn.execute_batch("COMMIT")?,
                Err(e) => {
                    let _ = self.conn.execute_batch("ROLLBACK");
                    self.dictionary.reset();
                    return Err(e);
                }
            }
            done += chunk.len() as u64;
            progress(done, total);
        }
        // Derived again from scratch, the lines' keys are new: boilerplate is looked for again.
        let forget = if all {
            "DELETE FROM meta WHERE key = 'boilerplate_state';"
        } else {
            ""
        };
        self.conn.execute_batch(&format!(
            "BEGIN IMMEDIATE;
             {forget}
             INSERT INTO meta(key, value) VALUES ('derived_version', '{DERIVED_VERSION}')
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value;
             INSERT INTO meta(key, value) VALUES ('derived_complete', '1')
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value;
             COMMIT"
        ))?;
        Ok(done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn term_vectors_round_trip() {
        let mut pairs = vec![(500, 3), (1, 1), (70_000, 2), (2, 129)];
        let blob = encode_terms(&mut pairs);
        let mut got = Vec::new();
        decode_terms(&blob, |id, n| got.push((id, n)));
        assert_eq!(got, vec![(1, 1), (2, 129), (500, 3), (70_000, 2)]);
        let mut got = Vec::new();
        decode_terms(&blob[..blob.len() - 1], |id, n| got.push((id, n)));
        assert_eq!(
            got.len(),
            3,
            "a truncated blob yields what precedes the damage"
        );
    }

    #[test]
    fn derived_terms_and_places() {
        let d = derive(
            "Kyrgyz forces",
            "Russia re-arms Kyrgyzstan. Russia's army, the army of Russia.",
            Some("en"),
            None,
            &Gazetteer::builtin(),
        );
        assert_eq!(d.tokens, 13);
        let get = |t: &str| d.terms.iter().find(|(x, _)| x == t).map(|(_, n)| *n);
        assert_eq!(get("russia"), Some(3));
        assert_eq!(get("army"), Some(2));
        assert_eq!(get("kyrgyz"), Some(1));
        assert!(
            d.places
                .iter()
                .any(|(p, k, n)| p == "RU" && *k == "country" && *n == 3),
            "{:?}",
            d.places
        );
        assert!(d.places.iter().any(|(p, _, _)| p == "KG"));
        assert_eq!(d.country.as_deref(), Some("RU"));
    }

    /// Regression: the gazetteer matched every language's names against every article, so the
    /// Polish "nurek" (diver) was the Tajik town, and missed Polish inflections (Uzbekistanie).
    #[test]
    fn places_are_matched_in_the_article_language() {
        let d = derive(
            "Nurek w Uzbekistanie",
            "Doświadczony nurek zanurkował w jeziorze w Uzbekistanie.",
            Some("pl"),
            None,
            &Gazetteer::builtin(),
        );
        let places: Vec<&str> = d.places.iter().map(|(p, _, _)| p.as_str()).collect();
        assert_eq!(places, ["UZ"], "{:?}", d.places);
    }

    #[test]
    fn cjk_runs_count_as_bigrams() {
        let d = derive(
            "",
            "北京大学 and 中",
            Some("zh"),
            None,
            &Gazetteer::builtin(),
        );
        let terms: Vec<(&str, u32)> = d.terms.iter().map(|(t, n)| (t.as_str(), *n)).collect();
        assert_eq!(
            terms,
            vec![("and", 1), ("中", 1), ("京大", 1), ("北京", 1), ("大学", 1)]
        );
        assert_eq!(d.tokens, 5);
    }

    #[test]
    fn persian_counts_fold_arabic_letters() {
        let d = derive(
            "",
            "رئيس جمهور و رییس",
            Some("fa"),
            None,
            &Gazetteer::builtin(),
        );
        let forms: Vec<&str> = d.terms.iter().map(|(t, _)| t.as_str()).collect();
        assert!(
            forms.contains(&"رئیس") && forms.contains(&"رییس"),
            "{forms:?}"
        );
        let d = derive("", "كتاب", Some("fa"), None, &Gazetteer::builtin());
        assert_eq!(d.terms[0].0, "کتاب");
    }
}
