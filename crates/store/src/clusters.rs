//! Near-duplicate clusters over the whole corpus: every article's MinHash signature (kept in
//! `article_signatures`) goes through a bounded-memory LSH batch in id order; each cluster's canonical member
//! (the earliest dated, then the lowest id) gives the cluster its id, stored in
//! `articles.cluster_id` (NULL for articles without near-duplicates). Recomputed when imports
//! have added articles since, or when the threshold changes.

use rusqlite::params;
use serde::Serialize;

use broadsheet_dedup::{Batch, Item, Signature};

use crate::derive::signature_params;
use crate::{Store, StoreError};

/// The default similarity threshold (estimated Jaccard of 5-word shingles). On the planted
/// evaluation of `broadsheet-dedup` it gives precision 1.00 and recall 0.98, where 0.8 finds
/// under half of republished copies with 10–20% of the text edited.
pub const DEFAULT_THRESHOLD: f64 = 0.65;

/// What clustering found.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ClusterReport {
    pub threshold: f64,
    pub clusters: u64,
    /// Articles in a cluster (canonical members included).
    pub articles_in_clusters: u64,
    /// Articles a "count each cluster once" analysis leaves out.
    pub redundant: u64,
}

impl Store {
    /// The threshold clusters were (or will be) computed with.
    pub fn cluster_threshold(&self) -> f64 {
        self.conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'dedup_threshold'",
                [],
                |r| r.get::<_, String>(0),
            )
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_THRESHOLD)
    }

    /// Recomputes clusters if articles were added since they were last computed, or if
    /// `threshold` differs from the stored one. Needs derived data ([`Store::ensure_derived`]).
    pub fn ensure_clusters(&mut self, threshold: Option<f64>) -> Result<ClusterReport, StoreError> {
        let t = threshold.unwrap_or_else(|| self.cluster_threshold());
        if !(0.0..=1.0).contains(&t) || t == 0.0 {
            return Err(StoreError::Invalid(format!(
                "the duplicate threshold must be above 0 and at most 1 (got {t})"
            )));
        }
        let dirty: bool = self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'clusters_dirty'",
                [],
                |r| r.get::<_, String>(0),
            )
            .map(|v| v == "1")
            .unwrap_or(true);
        if !dirty && (t - self.cluster_threshold()).abs() < 1e-12 {
            return self.cluster_report_at(t);
        }
        self.require_writable(
            "computing the near-duplicate clusters (articles were added, or the threshold changed, since they were computed)",
        )?;
        self.verify()?;
        let params = broadsheet_dedup::Params {
            threshold: t,
            ..signature_params()
        };
        let clusters = self.cluster_signatures(params)?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE articles SET cluster_id = NULL WHERE cluster_id IS NOT NULL",
            [],
        )?;
        {
            let mut up = tx.prepare("UPDATE articles SET cluster_id = ?2 WHERE id = ?1")?;
            for c in &clusters {
                for m in &c.members {
                    up.execute(params![m, c.canonical])?;
                }
            }
        }
        crate::corpus::bump_generation(&tx)?;
        tx.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('dedup_threshold', ?1)",
            [t.to_string()],
        )?;
        tx.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('clusters_dirty', '0')",
            [],
        )?;
        tx.commit()?;
        self.cluster_report_at(t)
    }

    /// Every stored signature through a [`Batch`] in id order, with a small page cache while
    /// reading (the signatures are read once; about 320 bytes per article are held).
    fn cluster_signatures(
        &self,
        params: broadsheet_dedup::Params,
    ) -> Result<Vec<broadsheet_dedup::Cluster>, StoreError> {
        let count: i64 =
            self.conn
                .query_row("SELECT count(*) FROM article_signatures", [], |r| r.get(0))?;
        let mut batch = Batch::with_capacity(params, count.max(0) as usize)
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        let cache: i64 = self.conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
        self.conn.execute_batch("PRAGMA cache_size = -16384")?;
        let read = self.read_signatures(&mut batch);
        self.conn
            .execute_batch(&format!("PRAGMA cache_size = {cache}"))?;
        read?;
        Ok(batch.finish())
    }

    fn read_signatures(&self, batch: &mut Batch) -> Result<(), StoreError> {
        let mut st = self.conn.prepare(
            "SELECT a.id, a.published_at, a.chars, s.signature FROM articles a
             JOIN article_signatures s ON s.article_id = a.id ORDER BY a.id",
        )?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let bytes = r.get_ref(3)?.as_blob().map_err(rusqlite::Error::from)?;
            let Ok(signature) = Signature::from_bytes(bytes) else {
                continue;
            };
            batch
                .push(&Item {
                    id,
                    signature,
                    published_at: r.get(1)?,
                    chars: r.get::<_, i64>(2)? as usize,
                })
                .map_err(|e| StoreError::Invalid(e.to_string()))?;
        }
        Ok(())
    }

    /// The clusters as they were last computed (see [`Store::ensure_clusters`]).
    pub fn cluster_report(&self) -> Result<ClusterReport, StoreError> {
        self.cluster_report_at(self.cluster_threshold())
    }

    fn cluster_report_at(&self, threshold: f64) -> Result<ClusterReport, StoreError> {
        let (clusters, members): (i64, i64) = self.conn.query_row(
            // The condition lets SQLite count from the partial index on cluster_id instead
            // of reading every article.
            "SELECT count(DISTINCT cluster_id), count(cluster_id) FROM articles WHERE cluster_id IS NOT NULL",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(ClusterReport {
            threshold,
            clusters: clusters as u64,
            articles_in_clusters: members as u64,
            redundant: (members - clusters) as u64,
        })
    }

    /// The clusters, largest first: `(cluster id, member ids)`.
    pub fn clusters(&self, limit: usize) -> Result<Vec<(i64, Vec<i64>)>, StoreError> {
        let mut st = self.conn.prepare(
            "SELECT cluster_id, group_concat(id) FROM (SELECT cluster_id, id FROM articles WHERE cluster_id IS NOT NULL ORDER BY id)
             GROUP BY cluster_id ORDER BY count(*) DESC, cluster_id LIMIT ?1",
        )?;
        let limit = if limit == 0 {
            -1
        } else {
            crate::limits::sql_count(limit)
        };
        let rows = st.query_map([limit], |r| {
            let ids: String = r.get(1)?;
            Ok((
                r.get::<_, i64>(0)?,
                ids.split(',').filter_map(|x| x.parse().ok()).collect(),
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
