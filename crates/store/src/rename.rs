//! Renaming and merging sources (the same outlet imported under two names, such as its feed's
//! `http://` and `https://` addresses). A rename changes a source's name; a merge moves the
//! articles of several sources to one source row and leaves the merged source's boilerplate to
//! be found again, keeping every article's index and derived rows computed from its source's
//! current boilerplate (the invariant of [`crate::boilerplate`]).

use std::sync::atomic::AtomicBool;

use rusqlite::params;
use serde::Serialize;

use crate::unknown::unknown_source;
use crate::{Store, StoreError};

/// What renaming or merging sources changed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SourceMerge {
    /// The name the sources have now.
    pub into: String,
    /// The names that are gone (merged or renamed into `into`), sorted.
    pub gone: Vec<String>,
    /// Articles moved to another source row (none for a rename).
    pub moved: u64,
    /// Articles whose index and derived rows were recomputed (those that held a boilerplate
    /// line of a merged source; their source's boilerplate is found again by
    /// [`Store::ensure_boilerplate`]).
    pub rederived: u64,
}

impl Store {
    /// Gives the sources named `from` the name `into`: a rename when `into` names no source
    /// and `from` one, else a merge of them all (and of `into`'s source, if it exists) into one
    /// source row. A name in `from` that is no source is [`StoreError::Unknown`]; `into` may be
    /// in `from`. After a merge, the merged source's boilerplate is found again by the next
    /// [`Store::ensure_boilerplate`] (or [`Store::prepare`]).
    pub fn merge_sources(
        &mut self,
        from: &[String],
        into: &str,
    ) -> Result<SourceMerge, StoreError> {
        let into = into.trim();
        if into.is_empty() {
            return Err(StoreError::Invalid(
                "a source's name cannot be empty".into(),
            ));
        }
        self.require_writable("renaming or merging sources")?;
        self.verify()?;
        let ids = self.source_ids_of(from)?;
        let existing = self.source_id_of(into)?;
        let target = existing.unwrap_or(ids[0].1);
        let others: Vec<(String, i64)> = ids
            .iter()
            .filter(|(_, id)| *id != target)
            .cloned()
            .collect();
        let mut gone: Vec<String> = ids
            .iter()
            .map(|(n, _)| n.clone())
            .filter(|n| n != into)
            .collect();
        gone.sort();
        let affected = if others.is_empty() {
            Vec::new()
        } else {
            self.articles_with_boilerplate(target, &others)?
        };
        let moved = self.move_sources(target, into, &others)?;
        self.source_ids.clear();
        *self.boilerplate.borrow_mut() = None;
        let rederived = self.rederive(&affected, &|_, _| {}, &AtomicBool::new(false))?;
        Ok(SourceMerge {
            into: into.to_string(),
            gone,
            moved,
            rederived,
        })
    }

    /// The id of every named source, in the order given, without repeats; an unknown name is
    /// an error listing the closest.
    fn source_ids_of(&self, names: &[String]) -> Result<Vec<(String, i64)>, StoreError> {
        if names.is_empty() {
            return Err(StoreError::Invalid(
                "name at least one source to rename or merge".into(),
            ));
        }
        let mut out: Vec<(String, i64)> = Vec::new();
        for n in names {
            let id = match self.source_id_of(n)? {
                Some(id) => id,
                None => return Err(unknown_source(n, &self.source_names()?).into()),
            };
            if !out.iter().any(|(_, i)| *i == id) {
                out.push((n.clone(), id));
            }
        }
        Ok(out)
    }

    fn source_id_of(&self, name: &str) -> Result<Option<i64>, StoreError> {
        let mut st = self
            .conn
            .prepare_cached("SELECT id FROM sources WHERE name = ?1")?;
        let mut rows = st.query([name])?;
        Ok(match rows.next()? {
            Some(r) => Some(r.get(0)?),
            None => None,
        })
    }

    /// The articles of `target` and `others` that hold one of their boilerplate lines: their
    /// effective text changes when the merged source's lines are dropped.
    fn articles_with_boilerplate(
        &self,
        target: i64,
        others: &[(String, i64)],
    ) -> Result<Vec<i64>, StoreError> {
        let sets = self.boilerplate_sets()?;
        let mut ids = Vec::new();
        for id in std::iter::once(target).chain(others.iter().map(|(_, id)| *id)) {
            let set = sets.of_source(id);
            if !set.is_empty() {
                ids.extend(self.articles_with_keys(id, set)?);
            }
        }
        ids.sort_unstable();
        Ok(ids)
    }

    /// In one transaction: names `target` `into`, moves the articles (and their line keys)
    /// of `others` to it, deletes their rows, and drops the boilerplate of every source
    /// involved in a merge (found again on the next [`Store::ensure_boilerplate`]).
    fn move_sources(
        &mut self,
        target: i64,
        into: &str,
        others: &[(String, i64)],
    ) -> Result<u64, StoreError> {
        let tx = self.conn.transaction()?;
        let mut moved = 0u64;
        for (_, id) in others {
            moved += tx.execute(
                "UPDATE articles SET source_id = ?1 WHERE source_id = ?2",
                params![target, id],
            )? as u64;
            tx.execute(
                "UPDATE article_lines SET source_id = ?1 WHERE source_id = ?2",
                params![target, id],
            )?;
            tx.execute("DELETE FROM boilerplate WHERE source_id = ?1", [id])?;
            tx.execute("DELETE FROM sources WHERE id = ?1", [id])?;
        }
        tx.execute(
            "UPDATE sources SET name = ?1 WHERE id = ?2",
            params![into, target],
        )?;
        if !others.is_empty() {
            tx.execute("DELETE FROM boilerplate WHERE source_id = ?1", [target])?;
            tx.execute("DELETE FROM meta WHERE key = 'boilerplate_state'", [])?;
        }
        crate::corpus::bump_generation(&tx)?;
        tx.commit()?;
        Ok(moved)
    }
}
