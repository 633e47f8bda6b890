//! Clustering a whole corpus with bounded memory: the same candidates, verification and
//! canonical rule as the incremental [`Index`](crate::Index), but LSH bands are taken one at a
//! time as sorted runs of bucket keys instead of 21–32 hash tables held at once.
//!
//! Per article it holds the 16-bit sketch (256 bytes at N = 128), id, date, length,
//! union-find and a fingerprint entry, about 320 bytes; exact copies keep no sketch. One band
//! at a time adds 8 bytes per article of scratch. The index holds ~800 bytes per article.

use rustc_hash::FxHashMap;

use crate::index::{band_key, Cluster, Forest, Item};
use crate::params::{Banding, Params};
use crate::DedupError;

/// Collects articles in increasing id order, then clusters them in [`Batch::finish`].
///
/// The clusters equal [`Index`](crate::Index)'s for the same articles, except where one LSH
/// bucket holds more than `max_bucket_scan` distinct signatures: both then compare an article
/// only with the most recent ones of that bucket, and the batch also recognises an exact copy
/// of a signature beyond that window.
#[derive(Debug)]
pub struct Batch {
    params: Params,
    banding: Banding,
    needed: usize,
    forest: Forest,
    /// The 16-bit sketches of the articles that are not exact copies, in id order.
    sketches: Vec<u16>,
    /// For each sketch, the article (position in the forest) it belongs to.
    owners: Vec<u32>,
    /// The low 32 bits of a fingerprint → the sketch of the first article with it (a chance
    /// collision only leaves a copy to be found by verification).
    first: FxHashMap<u32, u32>,
    last_id: Option<i64>,
    blank: usize,
}

impl Batch {
    pub fn new(params: Params) -> Result<Batch, DedupError> {
        Batch::with_capacity(params, 0)
    }

    /// An empty batch with room for `articles` articles.
    pub fn with_capacity(params: Params, articles: usize) -> Result<Batch, DedupError> {
        let banding = params.banding()?;
        Ok(Batch {
            needed: params.needed_matches(),
            forest: Forest::with_capacity(params.canonical, articles),
            sketches: Vec::with_capacity(articles * params.permutations),
            owners: Vec::with_capacity(articles),
            first: FxHashMap::with_capacity_and_hasher(articles, Default::default()),
            last_id: None,
            blank: 0,
            params,
            banding,
        })
    }

    /// Articles collected (blank texts are not).
    pub fn len(&self) -> usize {
        self.forest.len()
    }

    pub fn is_empty(&self) -> bool {
        self.forest.len() == 0
    }

    /// Articles skipped because their text had no tokens.
    pub fn blank(&self) -> usize {
        self.blank
    }

    /// Adds one article. Errors as [`Index::insert`](crate::Index::insert).
    pub fn push(&mut self, item: &Item) -> Result<(), DedupError> {
        let sig = &item.signature;
        crate::index::check_item(&self.params, item, self.last_id, self.forest.len())?;
        self.last_id = Some(item.id);
        if sig.is_blank() {
            self.blank += 1;
            return Ok(());
        }
        let me = self.forest.push(item);
        let n = self.params.permutations;
        let slot = self.owners.len() as u32;
        let sketch = sig.values().iter().map(|&v| (v & 0xFFFF) as u16);
        let key = sig.fingerprint() as u32;
        match self.first.get(&key) {
            Some(&other) if self.sketch(other).iter().copied().eq(sketch.clone()) => {
                // An exact copy: it joins the first article with this signature and needs
                // nothing else, as in the index.
                let owner = self.owners[other as usize];
                let (a, b) = (self.forest.find(owner), self.forest.find(me));
                self.forest.union(a, b);
            }
            Some(_) => {
                self.sketches.extend(sketch);
                self.owners.push(me);
            }
            None => {
                self.sketches.extend(sketch);
                self.owners.push(me);
                self.first.insert(key, slot);
            }
        }
        debug_assert_eq!(self.sketches.len(), self.owners.len() * n);
        Ok(())
    }

    /// Clusters what was pushed: every band's bucket runs, each article compared with at most
    /// `max_bucket_scan` earlier members of its run. Clusters of two or more, by canonical id.
    pub fn finish(mut self) -> Vec<Cluster> {
        self.first = FxHashMap::default();
        let mut keyed: Vec<(u32, u32)> = Vec::with_capacity(self.owners.len());
        for band in 0..self.banding.bands {
            keyed.clear();
            keyed.extend((0..self.owners.len() as u32).map(|s| {
                let rows = self.banding.rows;
                let values = &self.sketch(s)[band * rows..(band + 1) * rows];
                (band_key(band, values), s)
            }));
            keyed.sort_unstable();
            for run in keyed.chunk_by(|a, b| a.0 == b.0) {
                self.join_run(run);
            }
        }
        self.forest.clusters()
    }

    /// Compares each member of one bucket with the most recent earlier members.
    fn join_run(&mut self, run: &[(u32, u32)]) {
        for (j, &(_, me)) in run.iter().enumerate() {
            let from = j.saturating_sub(self.params.max_bucket_scan);
            for &(_, c) in run[from..j].iter().rev() {
                let (a, b) = (self.owners[c as usize], self.owners[me as usize]);
                let (ra, rb) = (self.forest.find(a), self.forest.find(b));
                if ra != rb && self.verify(me, c) {
                    self.forest.union(ra, rb);
                }
            }
        }
    }

    fn sketch(&self, slot: u32) -> &[u16] {
        let n = self.params.permutations;
        &self.sketches[slot as usize * n..(slot as usize + 1) * n]
    }

    fn verify(&self, a: u32, b: u32) -> bool {
        crate::index::matches(self.sketch(a), self.sketch(b)) >= self.needed
    }

    /// An estimate of the heap memory held, in bytes (before [`Batch::finish`] adds one band's
    /// scratch of 8 bytes per article).
    pub fn approx_heap_bytes(&self) -> usize {
        use std::mem::size_of;
        let table = |cap: usize| (cap * 8 / 7 + 1) * (size_of::<(u32, u32)>() + 1);
        self.forest.approx_heap_bytes()
            + self.sketches.capacity() * 2
            + self.owners.capacity() * 4
            + table(self.first.capacity())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signature::signature;
    use crate::{Canonical, Index};

    /// A deterministic text: `words` words drawn from a small vocabulary by `seed`.
    fn text(seed: u64, words: usize) -> String {
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        (0..words)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                format!("w{}", x % 5000)
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Originals, near copies (a few words changed), exact copies and blank texts, with dates
    /// that make later copies canonical now and then.
    fn corpus(params: &Params) -> Vec<Item> {
        let mut items = Vec::new();
        for id in 0..600i64 {
            let base = (id % 150) as u64;
            let body = match id % 7 {
                0 => String::new(),
                1 | 2 => text(base, 120),
                3 => format!("{} edited {}", text(base, 120), id % 3),
                _ => text(1000 + id as u64, 120),
            };
            items.push(Item {
                id,
                signature: signature(&body, params),
                published_at: (id % 5 != 0).then_some(10_000 - id * 7 % 1000),
                chars: body.len(),
            });
        }
        items
    }

    #[test]
    fn the_batch_finds_the_clusters_the_index_finds() {
        for (threshold, canonical) in [
            (0.8, Canonical::Earliest),
            (0.65, Canonical::Earliest),
            (0.5, Canonical::Longest),
        ] {
            let params = Params {
                threshold,
                canonical,
                ..Params::default()
            };
            let items = corpus(&params);
            let mut index = Index::new(params.clone()).unwrap();
            let mut batch = Batch::new(params.clone()).unwrap();
            for item in &items {
                index.insert(item).unwrap();
                batch.push(item).unwrap();
            }
            assert_eq!(batch.blank(), index.blank());
            let want = index.clusters();
            assert!(want.len() > 50, "{} clusters at {threshold}", want.len());
            assert_eq!(batch.finish(), want, "threshold {threshold}");
        }
    }

    #[test]
    fn exact_copies_keep_no_sketch() {
        let params = Params::default();
        let one = text(7, 200);
        let mut batch = Batch::new(params.clone()).unwrap();
        for id in 0..1000 {
            let sig = signature(&one, &params);
            let published_at = Some(1000 - id);
            batch
                .push(&Item {
                    id,
                    signature: sig,
                    published_at,
                    chars: one.len(),
                })
                .unwrap();
        }
        assert_eq!(batch.owners.len(), 1);
        let clusters = batch.finish();
        assert_eq!(clusters.len(), 1);
        assert_eq!(clusters[0].members.len(), 1000);
        assert_eq!(clusters[0].canonical, 999, "the earliest dated copy");
    }

    #[test]
    fn ids_must_increase() {
        let params = Params::default();
        let mut batch = Batch::new(params.clone()).unwrap();
        let item = |id| Item {
            id,
            signature: signature("a b c d e f g", &params),
            published_at: None,
            chars: 13,
        };
        batch.push(&item(3)).unwrap();
        assert_eq!(
            batch.push(&item(3)),
            Err(DedupError::IdOrder { id: 3, last: 3 })
        );
    }

    #[test]
    fn memory_per_article_is_under_a_third_of_the_index() {
        let params = Params::default();
        let mut batch = Batch::with_capacity(params.clone(), 3000).unwrap();
        let mut index = Index::with_capacity(params.clone(), 3000).unwrap();
        for id in 0..3000 {
            let item = Item {
                id,
                signature: signature(&text(id as u64, 60), &params),
                published_at: Some(id),
                chars: 400,
            };
            batch.push(&item).unwrap();
            index.insert(&item).unwrap();
        }
        let (b, i) = (
            batch.approx_heap_bytes() / 3000,
            index.approx_heap_bytes() / 3000,
        );
        assert!((256..=360).contains(&b), "{b} bytes per article");
        assert!(b * 2 < i, "batch {b}, index {i} bytes per article");
    }
}
