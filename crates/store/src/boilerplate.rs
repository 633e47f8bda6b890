//! Source-level boilerplate: lines that repeat verbatim in a large share of one source's
//! articles — a licence footer, a subscription line, a share bar, "Advertisement" — found after
//! every import, listed with their counts, and left out of the search index, the term vectors,
//! the place tags, the near-duplicate signatures and every text an analysis reads. The stored
//! body keeps them.
//!
//! Each article's short lines are kept as 64-bit keys (`article_lines`), written with the
//! article, so detection reads keys, not text. Detection per source counts, for each key, the
//! articles holding it; a source too large to count every key exactly is first sampled at
//! evenly spaced articles (deterministic), and the keys frequent there are then counted
//! exactly over the whole source.
//!
//! Architecture invariant: every article's index row and derived rows are computed from its
//! *effective* body ([`strip`] with its source's current set, table `boilerplate`); a change
//! of the set re-derives exactly the articles holding a line that entered or left it.

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use rayon::prelude::*;
use rusqlite::params;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use broadsheet_geo::Gazetteer;
use broadsheet_lexis::BoilerplateSettings;

use crate::derive::{dateline_of, derive_folded, write_derived, DERIVED_VERSION};
use crate::{Store, StoreError};

/// Lines longer than this (in characters) are article text, never boilerplate.
pub const MAX_LINE_CHARS: usize = 300;

/// Sources with more articles than this are sampled before they are counted exactly.
const EXACT_UP_TO: usize = 5_000;
/// Articles in the sample of a large source.
const SAMPLE: usize = 2_000;

/// The key of a line: whitespace collapsed, then hashed; `None` for blank or long lines.
pub fn line_key(line: &str) -> Option<u64> {
    // The collapsed line's length first: a paragraph is found too long without hashing any
    // of it, and a short line is hashed in one piece.
    let mut chars = 0usize;
    for (i, w) in line.split_whitespace().enumerate() {
        chars += usize::from(i > 0) + w.chars().count();
        if chars > MAX_LINE_CHARS {
            return None;
        }
    }
    if chars == 0 {
        return None;
    }
    let mut collapsed = String::with_capacity(line.len());
    for w in line.split_whitespace() {
        if !collapsed.is_empty() {
            collapsed.push(' ');
        }
        collapsed.push_str(w);
    }
    let b = blake3::hash(collapsed.as_bytes());
    Some(u64::from_le_bytes(
        b.as_bytes()[..8].try_into().unwrap_or([0; 8]),
    ))
}

/// The keys of an article's short lines, sorted and without repeats; none for a body of one
/// line, which is the article's text (a brief, a post), never furniture around it.
pub fn line_keys(body: &str) -> Vec<u64> {
    if body
        .lines()
        .filter(|l| !l.trim().is_empty())
        .nth(1)
        .is_none()
    {
        return Vec::new();
    }
    let mut keys: Vec<u64> = body.lines().filter_map(line_key).collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

pub(crate) fn encode_keys(keys: &[u64]) -> Vec<u8> {
    keys.iter().flat_map(|k| k.to_le_bytes()).collect()
}

fn decode_keys(blob: &[u8]) -> impl Iterator<Item = u64> + '_ {
    blob.chunks_exact(8)
        .map(|c| u64::from_le_bytes(c.try_into().unwrap_or([0; 8])))
}

/// The body without the lines in `set`; blank-line runs left behind become one blank line.
/// Borrowed when nothing is removed — also when every line would be: an article made only of
/// its source's repeated lines keeps them (it is that text, not furniture around one).
pub fn strip<'a>(body: &'a str, set: &FxHashSet<u64>) -> Cow<'a, str> {
    let is_boilerplate = |l: &str| line_key(l).is_some_and(|k| set.contains(&k));
    if set.is_empty()
        || !body.lines().any(is_boilerplate)
        || body
            .lines()
            .all(|l| l.trim().is_empty() || is_boilerplate(l))
    {
        return Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len());
    let mut blank = false;
    for line in body.lines() {
        if is_boilerplate(line) {
            continue;
        }
        if line.trim().is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank { "\n\n" } else { "\n" });
        }
        blank = false;
        out.push_str(line);
    }
    Cow::Owned(out)
}

/// The boilerplate keys of every source, as the store holds them now.
#[derive(Debug, Default)]
pub struct BoilerplateSets {
    by_source: FxHashMap<i64, FxHashSet<u64>>,
    by_name: FxHashMap<String, i64>,
}

static EMPTY: std::sync::LazyLock<FxHashSet<u64>> = std::sync::LazyLock::new(FxHashSet::default);

impl BoilerplateSets {
    pub fn of_source(&self, source_id: i64) -> &FxHashSet<u64> {
        self.by_source.get(&source_id).unwrap_or(&EMPTY)
    }

    pub fn of_name(&self, source: &str) -> &FxHashSet<u64> {
        self.by_name
            .get(source)
            .map_or(&EMPTY, |id| self.of_source(*id))
    }

    pub fn is_empty(&self) -> bool {
        self.by_source.values().all(FxHashSet::is_empty)
    }
}

/// Whether a line is left out, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// Found in at least the settings' share of the source's articles.
    Detected,
    /// Named by the project (`add`).
    Added,
    /// Found, but kept by the project (`keep`): not left out.
    Kept,
}

impl Origin {
    fn as_str(self) -> &'static str {
        match self {
            Origin::Detected => "detected",
            Origin::Added => "added",
            Origin::Kept => "kept",
        }
    }

    fn parse(s: &str) -> Origin {
        match s {
            "added" => Origin::Added,
            "kept" => Origin::Kept,
            _ => Origin::Detected,
        }
    }
}

/// One boilerplate line of one source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoilerplateLine {
    pub source: String,
    pub line: String,
    /// Articles of the source that hold it.
    pub articles: u64,
    /// Articles of the source.
    pub source_articles: u64,
    pub origin: Origin,
    /// An article that holds it.
    pub example: i64,
}

impl BoilerplateLine {
    /// The share of the source's articles holding the line.
    pub fn share(&self) -> f64 {
        self.articles as f64 / self.source_articles.max(1) as f64
    }
}

/// What bringing boilerplate up to date did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BoilerplateReport {
    /// Every line of every source now, sorted by source, then most frequent first.
    pub lines: Vec<BoilerplateLine>,
    /// Articles whose index and derived rows were recomputed.
    pub rederived: u64,
}

/// A key counted over one source.
#[derive(Debug, Clone, Copy)]
struct Count {
    articles: u64,
    example: i64,
}

/// What [`Store::prepare`] brought up to date.
#[derive(Debug, Clone, Serialize)]
pub struct Prepared {
    /// Articles whose derived data was computed (none once a corpus is current).
    pub derived: u64,
    pub boilerplate: BoilerplateReport,
    pub clusters: crate::clusters::ClusterReport,
}

impl Store {
    /// Brings everything the analyses read up to date, in order: derived data, the sources'
    /// boilerplate under the project's settings, near-duplicate clusters at the project's
    /// threshold. Each step does nothing when it is current. The one call every front end
    /// (command, app, `broadsheet run`) makes before analysing.
    pub fn prepare(
        &mut self,
        boilerplate: &BoilerplateSettings,
        threshold: Option<f64>,
        progress: &dyn Fn(u64, u64),
        cancel: &AtomicBool,
    ) -> Result<Prepared, StoreError> {
        let derived = self.ensure_derived(progress, cancel)?;
        let boilerplate = self.ensure_boilerplate(boilerplate, progress, cancel)?;
        let clusters = self.ensure_clusters(threshold)?;
        Ok(Prepared {
            derived,
            boilerplate,
            clusters,
        })
    }

    /// The boilerplate keys per source, loaded once and kept until the set changes.
    pub fn boilerplate_sets(&self) -> Result<Arc<BoilerplateSets>, StoreError> {
        if let Some(s) = self.boilerplate.borrow().as_ref() {
            return Ok(s.clone());
        }
        let mut sets = BoilerplateSets::default();
        let mut st = self.conn.prepare(
            "SELECT b.source_id, b.hash, s.name FROM boilerplate b JOIN sources s ON s.id = b.source_id
             WHERE b.origin <> 'kept'",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let (source, key, name) = row?;
            sets.by_source.entry(source).or_default().insert(key as u64);
            sets.by_name.insert(name, source);
        }
        let sets = Arc::new(sets);
        *self.boilerplate.borrow_mut() = Some(sets.clone());
        Ok(sets)
    }

    /// Every boilerplate line of the corpus (detected, added and kept), by source.
    pub fn boilerplate_lines(&self) -> Result<Vec<BoilerplateLine>, StoreError> {
        let mut st = self.conn.prepare(
            "SELECT s.name, b.line, b.articles, b.origin, b.example,
                    (SELECT count(*) FROM articles a WHERE a.source_id = b.source_id)
             FROM boilerplate b JOIN sources s ON s.id = b.source_id
             ORDER BY s.name, b.articles DESC, b.line",
        )?;
        let rows = st.query_map([], |r| {
            Ok(BoilerplateLine {
                source: r.get(0)?,
                line: r.get(1)?,
                articles: r.get::<_, i64>(2)? as u64,
                origin: Origin::parse(&r.get::<_, String>(3)?),
                example: r.get(4)?,
                source_articles: r.get::<_, i64>(5)? as u64,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Brings the boilerplate lines of every source up to date with the corpus and the
    /// settings, and recomputes the index and derived rows of the articles whose effective
    /// text changed. Does nothing when neither changed since the last time.
    pub fn ensure_boilerplate(
        &mut self,
        settings: &BoilerplateSettings,
        progress: &dyn Fn(u64, u64),
        cancel: &AtomicBool,
    ) -> Result<BoilerplateReport, StoreError> {
        let state = self.boilerplate_state(settings)?;
        let stored: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'boilerplate_state'",
                [],
                |r| r.get(0),
            )
            .ok();
        if stored.as_deref() == Some(state.as_str()) {
            return Ok(BoilerplateReport {
                lines: self.boilerplate_lines()?,
                rederived: 0,
            });
        }
        self.require_writable(
            "bringing the sources' boilerplate lines up to date with the corpus and the project's settings",
        )?;
        self.verify()?;
        let added: FxHashMap<u64, String> = settings
            .add
            .iter()
            .filter_map(|l| Some((line_key(l)?, collapse(l))))
            .collect();
        let kept: FxHashSet<u64> = settings.keep.iter().filter_map(|l| line_key(l)).collect();
        let sources: Vec<(i64, u64)> = {
            let mut st = self.conn.prepare(
                "SELECT source_id, count(*) FROM articles GROUP BY source_id ORDER BY source_id",
            )?;
            let rows = st.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?;
            rows.collect::<Result<_, _>>()?
        };
        let old = self.boilerplate_sets()?;
        let mut changed_articles: Vec<i64> = Vec::new();
        let mut new_rows: Vec<(i64, u64, Count, Origin)> = Vec::new();
        for (source, n) in &sources {
            if cancel.load(Ordering::Relaxed) {
                return Err(StoreError::Invalid("cancelled".into()));
            }
            let counts =
                self.count_source_keys(*source, *n, settings, &added, old.of_source(*source))?;
            let threshold = (settings.min_articles as u64)
                .max((*n * settings.min_percent as u64).div_ceil(100));
            let mut now: FxHashSet<u64> = FxHashSet::default();
            for (key, c) in &counts {
                let origin = if added.contains_key(key) {
                    Origin::Added
                } else if settings.detect && c.articles >= threshold {
                    if kept.contains(key) {
                        Origin::Kept
                    } else {
                        Origin::Detected
                    }
                } else {
                    continue;
                };
                if origin != Origin::Kept {
                    now.insert(*key);
                }
                new_rows.push((*source, *key, *c, origin));
            }
            let before = old.of_source(*source);
            let changed: FxHashSet<u64> = before.symmetric_difference(&now).copied().collect();
            if !changed.is_empty() {
                changed_articles.extend(self.articles_with_keys(*source, &changed)?);
            }
        }
        self.write_boilerplate(&new_rows, &added)?;
        changed_articles.sort_unstable();
        let rederived = self.rederive(&changed_articles, progress, cancel)?;
        if !cancel.load(Ordering::Relaxed) {
            let state = self.boilerplate_state(settings)?;
            self.conn.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('boilerplate_state', ?1)",
                [state],
            )?;
        }
        Ok(BoilerplateReport {
            lines: self.boilerplate_lines()?,
            rederived,
        })
    }

    /// What the boilerplate was computed from: the settings and the corpus's size and
    /// largest id.
    fn boilerplate_state(&self, settings: &BoilerplateSettings) -> Result<String, StoreError> {
        let (n, max): (i64, i64) = self.conn.query_row(
            "SELECT count(*), coalesce(max(id), 0) FROM articles",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let json = serde_json::to_string(settings).unwrap_or_default();
        Ok(format!(
            "{}:{n}:{max}:{DERIVED_VERSION}",
            blake3::hash(json.as_bytes()).to_hex()
        ))
    }

    /// Counts, for one source, the articles holding each key worth counting: every key when
    /// the source is small; else the keys frequent in an evenly spaced sample, the added lines
    /// and the source's current lines.
    fn count_source_keys(
        &self,
        source: i64,
        articles: u64,
        settings: &BoilerplateSettings,
        added: &FxHashMap<u64, String>,
        current: &FxHashSet<u64>,
    ) -> Result<FxHashMap<u64, Count>, StoreError> {
        let wanted: Option<FxHashSet<u64>> = if articles as usize <= EXACT_UP_TO {
            None
        } else {
            let step = (articles as usize).div_ceil(SAMPLE) as u64;
            let mut sample: FxHashMap<u64, u64> = FxHashMap::default();
            let mut seen = 0u64;
            self.each_line_keys(source, |id, keys| {
                // Articles picked by a hash of their id, not every n-th one: a footer present
                // in every n-th article would be missed, or seen everywhere.
                if ((id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40).is_multiple_of(step) {
                    seen += 1;
                    for k in keys {
                        *sample.entry(k).or_default() += 1;
                    }
                }
            })?;
            // Half the share asked for, so that no line that reaches it overall is pruned.
            let floor = (seen * settings.min_percent as u64).div_ceil(200).max(2);
            let mut w: FxHashSet<u64> = sample
                .into_iter()
                .filter(|(_, n)| *n >= floor)
                .map(|(k, _)| k)
                .collect();
            w.extend(added.keys().copied());
            w.extend(current.iter().copied());
            Some(w)
        };
        let mut counts: FxHashMap<u64, Count> = FxHashMap::default();
        self.each_line_keys(source, |id, keys| {
            for k in keys {
                if wanted.as_ref().is_some_and(|w| !w.contains(&k)) {
                    continue;
                }
                counts
                    .entry(k)
                    .and_modify(|c| c.articles += 1)
                    .or_insert(Count {
                        articles: 1,
                        example: id,
                    });
            }
        })?;
        // Only what could matter is returned: keys seen at least twice, or named.
        counts.retain(|k, c| c.articles >= 2 || added.contains_key(k) || current.contains(k));
        Ok(counts)
    }

    /// Calls `f(article id, keys)` for every article of a source, in id order.
    fn each_line_keys(
        &self,
        source: i64,
        mut f: impl FnMut(i64, &mut dyn Iterator<Item = u64>),
    ) -> Result<(), StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT article_id, hashes FROM article_lines WHERE source_id = ?1 ORDER BY article_id",
        )?;
        let mut rows = st.query([source])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let blob = r.get_ref(1)?.as_blob().map_err(rusqlite::Error::from)?;
            f(id, &mut decode_keys(blob));
        }
        Ok(())
    }

    pub(crate) fn articles_with_keys(
        &self,
        source: i64,
        keys: &FxHashSet<u64>,
    ) -> Result<Vec<i64>, StoreError> {
        let mut out = Vec::new();
        self.each_line_keys(source, |id, ks| {
            for k in ks {
                if keys.contains(&k) {
                    out.push(id);
                    break;
                }
            }
        })?;
        Ok(out)
    }

    /// Replaces the `boilerplate` table; a line's text comes from its example article.
    fn write_boilerplate(
        &mut self,
        rows: &[(i64, u64, Count, Origin)],
        added: &FxHashMap<u64, String>,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM boilerplate", [])?;
        {
            let mut body = tx.prepare_cached("SELECT body FROM articles WHERE id = ?1")?;
            let mut ins = tx.prepare_cached(
                "INSERT INTO boilerplate(source_id, hash, line, articles, origin, example) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for (source, key, c, origin) in rows {
                let text: String = body.query_row([c.example], |r| r.get(0))?;
                let line = text
                    .lines()
                    .find(|l| line_key(l) == Some(*key))
                    .map(collapse)
                    .or_else(|| added.get(key).cloned())
                    .unwrap_or_default();
                ins.execute(params![
                    source,
                    *key as i64,
                    line,
                    c.articles as i64,
                    origin.as_str(),
                    c.example
                ])?;
            }
        }
        tx.commit()?;
        *self.boilerplate.borrow_mut() = None;
        Ok(())
    }

    /// Recomputes the index row and derived rows of `ids` from their effective bodies.
    pub(crate) fn rederive(
        &mut self,
        ids: &[i64],
        progress: &dyn Fn(u64, u64),
        cancel: &AtomicBool,
    ) -> Result<u64, StoreError> {
        let total = ids.len() as u64;
        if total == 0 {
            return Ok(0);
        }
        let sets = self.boilerplate_sets()?;
        let gaz = Gazetteer::builtin();
        let mut done = 0u64;
        progress(0, total);
        for chunk in ids.chunks(1000) {
            if cancel.load(Ordering::Relaxed) {
                break;
            }
            let rows = self.rows_for_derivation(chunk)?;
            let derived: Vec<_> = rows
                .par_iter()
                .map(|(id, source, title, body, lang, extra)| {
                    let body = strip(body, sets.of_source(*source));
                    let search = [
                        broadsheet_text::search_text(title),
                        broadsheet_text::search_text(&body),
                    ];
                    let extra: serde_json::Value =
                        serde_json::from_str(extra).unwrap_or(serde_json::Value::Null);
                    let d = derive_folded(
                        title,
                        &body,
                        [&search[0], &search[1]],
                        lang.as_deref(),
                        dateline_of(&extra),
                        &gaz,
                    );
                    (*id, search, d)
                })
                .collect();
            let tx = self.conn.transaction()?;
            self.dictionary.load(&tx)?;
            for (id, [title, body], d) in &derived {
                tx.prepare_cached("DELETE FROM articles_fts WHERE rowid = ?1")?
                    .execute([id])?;
                tx.prepare_cached(
                    "INSERT INTO articles_fts(rowid, title, body) VALUES (?1, ?2, ?3)",
                )?
                .execute(params![id, title, body])?;
                write_derived(&tx, &mut self.dictionary, *id, d)?;
            }
            if let Err(e) = tx.commit() {
                self.dictionary.reset();
                return Err(e.into());
            }
            done += chunk.len() as u64;
            progress(done, total);
        }
        Ok(done)
    }

    /// `(id, source, title, body, language, extra)` of each article.
    #[allow(clippy::type_complexity)]
    pub(crate) fn rows_for_derivation(
        &self,
        ids: &[i64],
    ) -> Result<Vec<(i64, i64, String, String, Option<String>, String)>, StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, source_id, title, body, language, extra FROM articles WHERE id = ?1",
        )?;
        ids.iter()
            .map(|id| {
                st.query_row([id], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                    ))
                })
                .map_err(StoreError::from)
            })
            .collect()
    }

    /// The body an analysis reads: the stored body without its source's boilerplate lines.
    pub fn effective_body<'a>(
        &self,
        source_id: i64,
        body: &'a str,
    ) -> Result<Cow<'a, str>, StoreError> {
        let sets = self.boilerplate_sets()?;
        Ok(strip(body, sets.of_source(source_id)))
    }
}

/// Whitespace runs as one space, ends trimmed.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The cache a [`Store`] keeps of its boilerplate sets.
pub(crate) type Cache = RefCell<Option<Arc<BoilerplateSets>>>;

#[cfg(test)]
mod tests {
    use super::*;

    fn set(lines: &[&str]) -> FxHashSet<u64> {
        lines.iter().filter_map(|l| line_key(l)).collect()
    }

    #[test]
    fn line_keys_are_pinned() {
        // Keys are stored (`article_lines`) and compared with keys of later imports: the
        // same line must keep its key across versions.
        assert_eq!(line_key("Share this article"), Some(PINNED_SHARE));
        assert_eq!(line_key(" Share\tthis  article "), Some(PINNED_SHARE));
        assert!(line_key(&"x".repeat(MAX_LINE_CHARS)).is_some());
        assert_eq!(line_key(&"x".repeat(MAX_LINE_CHARS + 1)), None);
        let words = "ab ".repeat(100); // 299 characters once collapsed and trimmed
        assert!(line_key(&words).is_some());
        assert_eq!(line_key(&format!("{words} c")), None);
        assert_eq!(line_key(" \t "), None);
    }

    const PINNED_SHARE: u64 = 4_190_592_079_212_017_835;

    #[test]
    fn keys_ignore_spacing_but_not_words() {
        assert_eq!(
            line_key("Share  this\tarticle "),
            line_key("Share this article")
        );
        assert_ne!(
            line_key("Share this article"),
            line_key("share this article")
        );
        assert_eq!(line_key("   "), None);
        assert_eq!(
            line_key(&"word ".repeat(100)),
            None,
            "a paragraph is no boilerplate"
        );
    }

    #[test]
    fn stripping_keeps_paragraphs_tidy() {
        let body = "First paragraph.\n\nSecond line one.\nSHARE THIS ARTICLE\nSecond line two.\n\nFollow us on Telegram\n\n© 2024 Outlet";
        let s = strip(
            body,
            &set(&[
                "SHARE THIS ARTICLE",
                "Follow us on Telegram",
                "© 2024 Outlet",
            ]),
        );
        assert_eq!(s, "First paragraph.\n\nSecond line one.\nSecond line two.");
        assert!(matches!(strip(body, &set(&["absent"])), Cow::Borrowed(_)));
        assert!(matches!(
            strip(body, &FxHashSet::default()),
            Cow::Borrowed(_)
        ));
    }

    /// Regression: a source whose articles are one line each (briefs, posts) had that line
    /// detected as boilerplate when a third of them said the same, and their text removed.
    #[test]
    fn a_one_line_body_is_never_boilerplate() {
        assert!(line_keys("Officials discussed security on the border.").is_empty());
        assert!(line_keys("\n  Only line  \n\n").is_empty());
        assert_eq!(line_keys("Text.\nShare this").len(), 2);
        let only = "Share this\n\nFollow us";
        assert!(matches!(
            strip(only, &set(&["Share this", "Follow us"])),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn keys_of_an_article_are_sorted_and_unique() {
        let k = line_keys("a\nb\na\n\n");
        assert_eq!(k.len(), 2);
        assert!(k[0] < k[1]);
        let blob = encode_keys(&k);
        assert_eq!(decode_keys(&blob).collect::<Vec<_>>(), k);
    }
}
