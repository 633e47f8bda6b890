//! Clustering: LSH band buckets propose candidate pairs, each candidate is verified by its
//! estimated Jaccard similarity, and union-find joins verified pairs into clusters that each
//! have a canonical member. [`Index`] grows article by article; [`cluster`] is the batch form.

use std::cmp::Reverse;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use crate::params::{Banding, Canonical, Params};
use crate::signature::Signature;
use crate::DedupError;

/// "No item": the end of a bucket chain.
const NONE: u32 = u32::MAX;

/// An article to cluster: its id, signature, and what the canonical rule looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub id: i64,
    pub signature: Signature,
    /// Publication time (any monotonic unit, e.g. Unix seconds); `None` when undated.
    pub published_at: Option<i64>,
    /// Length of the text in characters (used by [`Canonical::Longest`]).
    pub chars: usize,
}

/// A cluster of near-duplicates (at least two members).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cluster {
    /// The cluster's id: its canonical member's id.
    pub id: i64,
    /// Member ids, ascending (the canonical one included).
    pub members: Vec<i64>,
    /// The canonical member (see [`Canonical`]).
    pub canonical: i64,
}

/// What [`Index::insert`] did when the new article joined existing articles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Joined {
    /// The canonical id of the cluster the new article is now in (possibly the new article
    /// itself, when it is dated earlier than the rest).
    pub canonical: i64,
    /// The canonical ids, before this insert, of every group the new article joined, ascending;
    /// a former singleton counts as a group whose canonical id is its own id. Everything whose
    /// cluster id (or own id) is in this list now belongs to cluster `canonical`: one insert can
    /// merge several clusters and change a cluster's canonical member.
    pub previous: Vec<i64>,
}

/// The incremental clusterer: holds every article's compact sketch, the LSH buckets and the
/// union-find forest, so that each new import is clustered against the existing corpus.
///
/// Ids must be inserted in increasing order (as a store assigns them); inserting a corpus in id
/// order gives exactly what [`cluster`] gives for it. The result does not depend on insertion
/// order either, except where a bucket holds more than `max_bucket_scan` distinct signatures
/// (then the most recent ones are compared).
///
/// Memory per article (N = 128, 21 bands): 256 bytes of 16-bit sketch, 8 of fingerprint, 40 of
/// id, date, length and union-find, 84 of bucket chains, and one bucket-table entry per band
/// (8 bytes plus a control byte, at 44–88% load: 10–21 bytes): about 600–820 bytes, measured
/// ~790 at a million articles (0.8 GB). Exact copies of an indexed signature take no bucket
/// entries. A lower threshold means more bands (32 at 0.65–0.7): about 1 KB per article.
#[derive(Debug, Clone)]
pub struct Index {
    params: Params,
    banding: Banding,
    needed: usize,
    forest: Forest,
    /// The low 16 bits of each MinHash value, `permutations` per item: enough to verify a pair
    /// (two different values agree in their low 16 bits by chance with probability 2⁻¹⁶).
    sketches: Vec<u16>,
    fingerprints: Vec<u64>,
    /// Per band: bucket key → the most recent item with that key.
    buckets: Vec<FxHashMap<u32, u32>>,
    /// Per item and band: the previous item in the same bucket (`NONE` at the end).
    next: Vec<u32>,
    last_id: Option<i64>,
    blank: usize,
    /// Scratch: candidates already looked at during one insert.
    seen: FxHashSet<u32>,
}

/// The articles and their union-find forest, with the canonical member of each root: what the
/// index and the batch share.
#[derive(Debug, Clone)]
pub(crate) struct Forest {
    canonical: Canonical,
    ids: Vec<i64>,
    dates: Vec<Option<i64>>,
    chars: Vec<u32>,
    parent: Vec<u32>,
    size: Vec<u32>,
    /// The canonical item of each union-find root.
    best: Vec<u32>,
}

impl Index {
    pub fn new(params: Params) -> Result<Index, DedupError> {
        Index::with_capacity(params, 0)
    }

    /// An empty index with room for `articles` articles.
    pub fn with_capacity(params: Params, articles: usize) -> Result<Index, DedupError> {
        let banding = params.banding()?;
        let n = params.permutations;
        Ok(Index {
            needed: params.needed_matches(),
            forest: Forest::with_capacity(params.canonical, articles),
            sketches: Vec::with_capacity(articles * n),
            fingerprints: Vec::with_capacity(articles),
            buckets: (0..banding.bands)
                .map(|_| FxHashMap::with_capacity_and_hasher(articles, Default::default()))
                .collect(),
            next: Vec::with_capacity(articles * banding.bands),
            last_id: None,
            blank: 0,
            seen: FxHashSet::default(),
            params,
            banding,
        })
    }

    pub fn params(&self) -> &Params {
        &self.params
    }

    pub fn banding(&self) -> Banding {
        self.banding
    }

    /// Articles indexed (blank texts are not).
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

    /// Adds one article. Returns `Some` when it joined one or more existing articles (see
    /// [`Joined`]), `None` when it is, for now, alone.
    ///
    /// Errors: a signature made with other parameters, an id not greater than the last one, or
    /// more than 4 294 967 294 articles.
    pub fn insert(&mut self, item: &Item) -> Result<Option<Joined>, DedupError> {
        let sig = &item.signature;
        check_item(&self.params, item, self.last_id, self.forest.len())?;
        self.last_id = Some(item.id);
        if sig.is_blank() {
            self.blank += 1;
            return Ok(None);
        }

        let bands = self.banding.bands;
        let me = self.forest.push(item);
        self.sketches
            .extend(sig.values().iter().map(|&v| (v & 0xFFFF) as u16));
        self.fingerprints.push(sig.fingerprint());
        self.next.resize(self.next.len() + bands, NONE);

        let keys = self.band_keys(me);
        let mut previous = Vec::new();
        let mut copy = false;
        let mut seen = std::mem::take(&mut self.seen);
        seen.clear();
        'bands: for (band, key) in keys.iter().enumerate() {
            let mut c = self.buckets[band].get(key).copied().unwrap_or(NONE);
            let mut scanned = 0;
            while c != NONE && scanned < self.params.max_bucket_scan {
                scanned += 1;
                if seen.insert(c) {
                    let identical = self.identical(me, c);
                    let (rc, rm) = (self.forest.find(c), self.forest.find(me));
                    if rc != rm && (identical || self.verify(me, c)) {
                        previous.push(self.forest.canonical_id(rc));
                        self.forest.union(rc, rm);
                    }
                    if identical {
                        // An exact copy of an indexed signature: that one already holds every
                        // link this one would find, so this one joins it and stays out of the
                        // buckets (thousands of copies of one text cost no scanning).
                        copy = true;
                        break 'bands;
                    }
                }
                c = self.next[c as usize * bands + band];
            }
        }
        self.seen = seen;
        if !copy {
            for (band, key) in keys.into_iter().enumerate() {
                if let Some(prev) = self.buckets[band].insert(key, me) {
                    self.next[me as usize * bands + band] = prev;
                }
            }
        }
        if previous.is_empty() {
            return Ok(None);
        }
        previous.sort_unstable();
        previous.dedup();
        let root = self.forest.find(me);
        Ok(Some(Joined {
            canonical: self.forest.canonical_id(root),
            previous,
        }))
    }

    /// The canonical id of the cluster of article `id`, or `None` when the article is alone,
    /// blank or unknown.
    pub fn cluster_of(&self, id: i64) -> Option<i64> {
        self.forest.cluster_of(id)
    }

    /// Every cluster of two or more articles, ordered by canonical id.
    pub fn clusters(&self) -> Vec<Cluster> {
        self.forest.clusters()
    }

    /// An estimate of the heap memory held, in bytes.
    pub fn approx_heap_bytes(&self) -> usize {
        use std::mem::size_of;
        fn vec<T>(v: &Vec<T>) -> usize {
            v.capacity() * size_of::<T>()
        }
        // hashbrown: capacity = 7/8 of a power-of-two bucket count; each bucket holds an entry
        // and a control byte.
        let table = |cap: usize| (cap * 8 / 7 + 1) * (size_of::<(u32, u32)>() + 1);
        self.forest.approx_heap_bytes()
            + vec(&self.sketches)
            + vec(&self.fingerprints)
            + vec(&self.next)
            + self
                .buckets
                .iter()
                .map(|b| table(b.capacity()))
                .sum::<usize>()
    }

    /// The bucket key of each band of item `i`.
    fn band_keys(&self, i: u32) -> Vec<u32> {
        let rows = self.banding.rows;
        self.sketch(i)
            .chunks_exact(rows)
            .take(self.banding.bands)
            .enumerate()
            .map(|(band, chunk)| band_key(band, chunk))
            .collect()
    }

    fn sketch(&self, i: u32) -> &[u16] {
        let n = self.params.permutations;
        &self.sketches[i as usize * n..(i as usize + 1) * n]
    }

    fn identical(&self, a: u32, b: u32) -> bool {
        self.fingerprints[a as usize] == self.fingerprints[b as usize]
            && self.sketch(a) == self.sketch(b)
    }

    /// Whether the estimated Jaccard similarity reaches the threshold.
    fn verify(&self, a: u32, b: u32) -> bool {
        matches(self.sketch(a), self.sketch(b)) >= self.needed
    }
}

/// The bucket key of one band: a hash of the band's 16-bit sketch values (32 bits are plenty:
/// a chance collision only costs one verification). Two signatures whose band values differ
/// but agree in their low 16 bits share a key with probability 2⁻⁶⁴ or less.
pub(crate) fn band_key(band: usize, values: &[u16]) -> u32 {
    let mut h = (band as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    for &v in values {
        h = (h ^ v as u64).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        h ^= h >> 31;
    }
    h = (h ^ (h >> 29)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (h ^ (h >> 32)) as u32
}

/// How many positions of two sketches are equal.
pub(crate) fn matches(a: &[u16], b: &[u16]) -> usize {
    a.iter().zip(b).filter(|(x, y)| x == y).count()
}

/// The checks of an insert: a signature made with these parameters, ids increasing, room left.
pub(crate) fn check_item(
    params: &Params,
    item: &Item,
    last_id: Option<i64>,
    len: usize,
) -> Result<(), DedupError> {
    let sig = &item.signature;
    if sig.permutations() != params.permutations || sig.shingle() != params.shingle {
        return Err(DedupError::Mismatch {
            id: item.id,
            shingle: sig.shingle(),
            permutations: sig.permutations(),
            want_shingle: params.shingle,
            want_permutations: params.permutations,
        });
    }
    if let Some(last) = last_id {
        if item.id <= last {
            return Err(DedupError::IdOrder { id: item.id, last });
        }
    }
    if len >= NONE as usize - 1 {
        return Err(DedupError::Full);
    }
    Ok(())
}

impl Forest {
    pub(crate) fn with_capacity(canonical: Canonical, articles: usize) -> Forest {
        Forest {
            canonical,
            ids: Vec::with_capacity(articles),
            dates: Vec::with_capacity(articles),
            chars: Vec::with_capacity(articles),
            parent: Vec::with_capacity(articles),
            size: Vec::with_capacity(articles),
            best: Vec::with_capacity(articles),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }

    /// Adds an article as its own root; returns its position.
    pub(crate) fn push(&mut self, item: &Item) -> u32 {
        let me = self.ids.len() as u32;
        self.ids.push(item.id);
        self.dates.push(item.published_at);
        self.chars.push(item.chars.min(u32::MAX as usize) as u32);
        self.parent.push(me);
        self.size.push(1);
        self.best.push(me);
        me
    }

    /// The article id of the canonical member of root `root`.
    pub(crate) fn canonical_id(&self, root: u32) -> i64 {
        self.ids[self.best[root as usize] as usize]
    }

    fn cluster_of(&self, id: i64) -> Option<i64> {
        let i = self.ids.binary_search(&id).ok()? as u32;
        let root = self.root(i);
        (self.size[root as usize] >= 2).then(|| self.canonical_id(root))
    }

    /// Every cluster of two or more articles, ordered by canonical id.
    pub(crate) fn clusters(&self) -> Vec<Cluster> {
        let mut grouped: Vec<(u32, u32)> = (0..self.ids.len() as u32)
            .filter_map(|i| {
                let r = self.root(i);
                (self.size[r as usize] >= 2).then_some((r, i))
            })
            .collect();
        grouped.sort_unstable();
        let mut out: Vec<Cluster> = grouped
            .chunk_by(|a, b| a.0 == b.0)
            .map(|group| {
                let canonical = self.canonical_id(group[0].0);
                Cluster {
                    id: canonical,
                    // Items are numbered in id order, so these are ascending.
                    members: group.iter().map(|&(_, i)| self.ids[i as usize]).collect(),
                    canonical,
                }
            })
            .collect();
        out.sort_unstable_by_key(|c| c.canonical);
        out
    }

    pub(crate) fn approx_heap_bytes(&self) -> usize {
        self.ids.capacity() * 8
            + self.dates.capacity() * std::mem::size_of::<Option<i64>>()
            + (self.chars.capacity()
                + self.parent.capacity()
                + self.size.capacity()
                + self.best.capacity())
                * 4
    }

    fn root(&self, mut i: u32) -> u32 {
        while self.parent[i as usize] != i {
            i = self.parent[i as usize];
        }
        i
    }

    pub(crate) fn find(&mut self, mut i: u32) -> u32 {
        // Path halving.
        while self.parent[i as usize] != i {
            let grand = self.parent[self.parent[i as usize] as usize];
            self.parent[i as usize] = grand;
            i = grand;
        }
        i
    }

    /// Joins two roots (by size) and keeps the better canonical member.
    pub(crate) fn union(&mut self, a: u32, b: u32) {
        if a == b {
            return;
        }
        let (big, small) = if self.size[a as usize] >= self.size[b as usize] {
            (a, b)
        } else {
            (b, a)
        };
        self.parent[small as usize] = big;
        self.size[big as usize] += self.size[small as usize];
        let (x, y) = (self.best[big as usize], self.best[small as usize]);
        self.best[big as usize] = if self.rank(x) <= self.rank(y) { x } else { y };
    }

    /// The sort key of the canonical rule: the least key wins.
    fn rank(&self, i: u32) -> (Reverse<u32>, bool, Option<i64>, i64) {
        let i = i as usize;
        let date = self.dates[i];
        let chars = match self.canonical {
            Canonical::Earliest => 0,
            Canonical::Longest => self.chars[i],
        };
        // Dated before undated, earlier before later, then the lowest id.
        (Reverse(chars), date.is_none(), date, self.ids[i])
    }
}

/// Clusters a whole collection at once: items are taken in id order (so the input order does
/// not matter) through a [`Batch`](crate::Batch), which gives what an [`Index`] gives with less
/// memory. Returns the clusters of two or more members, ordered by canonical id.
///
/// Errors: invalid parameters, a signature made with other parameters, or an id given twice.
pub fn cluster(items: &[Item], params: &Params) -> Result<Vec<Cluster>, DedupError> {
    let mut order: Vec<&Item> = items.iter().collect();
    order.sort_by_key(|i| i.id);
    if let Some(w) = order.windows(2).find(|w| w[0].id == w[1].id) {
        return Err(DedupError::DuplicateId(w[0].id));
    }
    let mut batch = crate::Batch::with_capacity(params.clone(), items.len())?;
    for item in order {
        batch.push(item)?;
    }
    Ok(batch.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signature::signature;

    const BASE: &str = "The central bank raised its main interest rate by half a point on \
        Tuesday, the third increase this year, saying inflation was still far above its target. \
        Officials said further rises could follow if prices kept climbing through the winter. \
        Markets had expected the move, and the currency barely changed after the announcement. \
        Economists warned that higher borrowing costs would weigh on households with large \
        mortgages and on small firms that depend on short-term credit lines. The bank's \
        governor is due to testify before parliament next week, where she is expected to face \
        questions about the timing of the decision and the outlook for unemployment.";
    const OTHER: &str = "Heavy rain flooded dozens of streets in the northern city overnight, \
        forcing the closure of two schools and a hospital car park, local officials said on \
        Wednesday. Emergency crews pumped water from basements until dawn, and the regional \
        weather service warned that more storms were likely before the weekend. Residents \
        complained that drains had not been cleared since the last floods three years ago.";

    fn item(id: i64, text: &str, date: Option<i64>) -> Item {
        Item {
            id,
            signature: signature(text, &Params::default()),
            published_at: date,
            chars: text.chars().count(),
        }
    }

    fn near(text: &str) -> String {
        format!("{text} Reporting by Anna Smith; editing by Tom Jones.")
    }

    #[test]
    fn clusters_and_canonical_members() {
        let base_near = near(BASE);
        let other_near = near(OTHER);
        let byline = format!("By John Doe, Associated Press. {BASE}");
        // (name, items, expected (canonical, members) per cluster)
        type Case<'a> = (&'a str, Vec<Item>, Vec<(i64, Vec<i64>)>);
        let cases: Vec<Case> = vec![
            ("nothing", vec![], vec![]),
            (
                "distinct texts",
                vec![item(1, BASE, None), item(2, OTHER, None)],
                vec![],
            ),
            (
                "exact and near copies; undated → lowest id",
                vec![
                    item(1, BASE, None),
                    item(2, OTHER, None),
                    item(3, BASE, None),
                    item(4, &base_near, None),
                    item(5, &other_near, None),
                ],
                vec![(1, vec![1, 3, 4]), (2, vec![2, 5])],
            ),
            (
                "earliest dated wins; undated come last",
                vec![
                    item(1, BASE, None),
                    item(2, &base_near, Some(200)),
                    item(3, &byline, Some(100)),
                ],
                vec![(3, vec![1, 2, 3])],
            ),
            (
                "equal dates → lowest id",
                vec![
                    item(7, &base_near, Some(100)),
                    item(9, BASE, Some(100)),
                    item(8, &byline, Some(300)),
                ],
                vec![(7, vec![7, 8, 9])],
            ),
            (
                "short texts cluster only with exact copies",
                vec![
                    item(1, "Breaking news", None),
                    item(2, "BREAKING  news!", None),
                    item(3, "Breaking news today", None),
                    item(4, "Breaking", None),
                ],
                vec![(1, vec![1, 2])],
            ),
            (
                "blank texts never cluster",
                vec![
                    item(1, "", None),
                    item(2, "", None),
                    item(3, "...", None),
                    item(4, BASE, None),
                    item(5, BASE, None),
                ],
                vec![(4, vec![4, 5])],
            ),
        ];
        for (name, items, want) in cases {
            let got: Vec<(i64, Vec<i64>)> = cluster(&items, &Params::default())
                .unwrap()
                .into_iter()
                .map(|c| {
                    assert_eq!(c.id, c.canonical);
                    (c.canonical, c.members)
                })
                .collect();
            assert_eq!(got, want, "{name}");
            // Any input order gives the same clusters.
            let mut reversed = items.clone();
            reversed.reverse();
            let again: Vec<(i64, Vec<i64>)> = cluster(&reversed, &Params::default())
                .unwrap()
                .into_iter()
                .map(|c| (c.canonical, c.members))
                .collect();
            assert_eq!(again, want, "{name}, reversed");
        }
    }

    #[test]
    fn longest_rule() {
        let params = Params {
            canonical: Canonical::Longest,
            ..Params::default()
        };
        let longer = near(BASE);
        let mk = |id, text: &str, date| Item {
            id,
            signature: signature(text, &params),
            published_at: date,
            chars: text.chars().count(),
        };
        // (items, canonical)
        let cases = [
            (vec![mk(1, BASE, Some(1)), mk(2, &longer, Some(2))], 2),
            (vec![mk(1, &longer, None), mk(2, BASE, Some(1))], 1),
            // Equal lengths: earliest date, then lowest id.
            (vec![mk(1, BASE, None), mk(2, BASE, Some(5))], 2),
            (vec![mk(3, BASE, Some(5)), mk(4, BASE, Some(5))], 3),
        ];
        for (items, canonical) in cases {
            let got = cluster(&items, &params).unwrap();
            assert_eq!(got.len(), 1);
            assert_eq!(got[0].canonical, canonical, "{items:?}");
        }
    }

    #[test]
    fn incremental_inserts_report_what_changed() {
        let mut index = Index::new(Params::default()).unwrap();
        let base_near = near(BASE);
        let byline = format!("By John Doe, Associated Press. {BASE}");
        // (item, expected return)
        let steps = [
            (item(10, BASE, Some(500)), None),
            (item(11, OTHER, Some(400)), None),
            (
                item(12, &base_near, Some(600)),
                Some(Joined {
                    canonical: 10,
                    previous: vec![10],
                }),
            ),
            // Dated earlier: becomes the canonical member.
            (
                item(13, &byline, Some(100)),
                Some(Joined {
                    canonical: 13,
                    previous: vec![10],
                }),
            ),
            (
                item(14, OTHER, None),
                Some(Joined {
                    canonical: 11,
                    previous: vec![11],
                }),
            ),
            (item(15, "", None), None),
            (item(16, "A short one", None), None),
        ];
        for (it, want) in steps {
            assert_eq!(index.insert(&it).unwrap(), want, "insert {}", it.id);
        }
        assert_eq!(index.len(), 6);
        assert_eq!(index.blank(), 1);
        // (id, cluster)
        for (id, want) in [
            (10, Some(13)),
            (12, Some(13)),
            (13, Some(13)),
            (11, Some(11)),
            (14, Some(11)),
            (15, None),
            (16, None),
            (99, None),
        ] {
            assert_eq!(index.cluster_of(id), want, "cluster of {id}");
        }
        assert_eq!(
            index.clusters(),
            vec![
                Cluster {
                    id: 11,
                    members: vec![11, 14],
                    canonical: 11
                },
                Cluster {
                    id: 13,
                    members: vec![10, 12, 13],
                    canonical: 13
                },
            ]
        );
    }

    #[test]
    fn an_insert_can_merge_clusters() {
        // Two halves of a text each close to the whole, but not to each other.
        let words: Vec<&str> = BASE.split_whitespace().collect();
        let n = words.len();
        let a = words[..n * 17 / 20].join(" ");
        let b = words[n * 3 / 20..].join(" ");
        let whole = BASE.to_string();
        let p = Params::default();
        let est = |x: &str, y: &str| signature(x, &p).jaccard(&signature(y, &p)).unwrap();
        assert!(est(&a, &b) < 0.8 && est(&a, &whole) >= 0.8 && est(&b, &whole) >= 0.8);

        let mut index = Index::new(p).unwrap();
        let steps = [
            (item(1, &a, None), None),
            (item(2, &a, None), Some((1, vec![1]))),
            (item(3, &b, Some(5)), None),
            (item(4, &whole, None), Some((3, vec![1, 3]))),
        ];
        for (it, want) in steps {
            let got = index
                .insert(&it)
                .unwrap()
                .map(|j| (j.canonical, j.previous));
            assert_eq!(got, want, "insert {}", it.id);
        }
        assert_eq!(index.clusters().len(), 1);
    }

    #[test]
    fn exact_copies_take_no_bucket_entries() {
        let mut index = Index::new(Params::default()).unwrap();
        for id in 0..2000 {
            index.insert(&item(id, BASE, None)).unwrap();
        }
        index.insert(&item(5000, &near(BASE), None)).unwrap();
        assert!(index.buckets.iter().all(|b| b.len() <= 2));
        let clusters = index.clusters();
        assert_eq!(clusters.len(), 1);
        assert_eq!(clusters[0].members.len(), 2001);
        assert_eq!(clusters[0].canonical, 0);
    }

    #[test]
    fn errors() {
        let mut index = Index::new(Params::default()).unwrap();
        index.insert(&item(5, BASE, None)).unwrap();
        for id in [5, 4, i64::MIN] {
            assert!(matches!(
                index.insert(&item(id, OTHER, None)),
                Err(DedupError::IdOrder { last: 5, .. })
            ));
        }
        let other_params = Item {
            signature: signature(
                BASE,
                &Params {
                    shingle: 3,
                    ..Params::default()
                },
            ),
            ..item(6, BASE, None)
        };
        assert!(matches!(
            index.insert(&other_params),
            Err(DedupError::Mismatch { id: 6, .. })
        ));
        assert!(matches!(
            cluster(
                &[item(1, BASE, None), item(1, OTHER, None)],
                &Params::default()
            ),
            Err(DedupError::DuplicateId(1))
        ));
        assert!(matches!(
            cluster(
                &[],
                &Params {
                    threshold: 2.0,
                    ..Params::default()
                }
            ),
            Err(DedupError::Params(_))
        ));
    }

    #[test]
    fn memory_estimate_is_in_the_documented_range() {
        let mut index = Index::with_capacity(Params::default(), 1000).unwrap();
        for id in 0..1000 {
            index
                .insert(&item(id, &format!("{id} {BASE} {id}"), None))
                .unwrap();
        }
        let per = index.approx_heap_bytes() / 1000;
        assert!((550..=900).contains(&per), "{per} bytes per article");
    }
}
