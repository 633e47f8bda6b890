//! Near-duplicate detection for news collections: wire copy republished with small edits and
//! pages scraped twice become clusters with one canonical member, so that analyses can count
//! each cluster once.
//!
//! Pipeline: [`signature`] (MinHash over k-word shingles of the folded tokens, stored as bytes)
//! → [`cluster`] (a [`Batch`]: one band at a time, bounded memory) or the incremental
//! [`Index`]. LSH banding proposes candidate pairs, each is verified by estimated Jaccard
//! similarity ≥ threshold, union-find joins them. Everything is deterministic: same texts and parameters, same signatures and clusters, on any number of
//! threads and in any input order.

pub mod batch;
pub mod index;
pub mod params;
pub mod signature;

pub use batch::Batch;
pub use index::{cluster, Cluster, Index, Item, Joined};
pub use params::{Banding, Canonical, Params};
pub use signature::{
    exact_jaccard, shingle_hashes, signature, signature_parts, signatures, Signature,
    FORMAT_VERSION,
};

/// Errors of near-duplicate detection. No text input causes one: only parameters, stored bytes
/// and the order of ids can.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DedupError {
    #[error("invalid near-duplicate parameters: {0}")]
    Params(String),
    #[error("cannot read a stored signature: {0}")]
    Bytes(String),
    #[error(
        "article {id}: its signature has shingle size {shingle} and {permutations} values, but \
         the parameters ask for {want_shingle} and {want_permutations}; compute it again"
    )]
    Mismatch {
        id: i64,
        shingle: usize,
        permutations: usize,
        want_shingle: usize,
        want_permutations: usize,
    },
    #[error("articles must be added in increasing id order: {id} came after {last}")]
    IdOrder { id: i64, last: i64 },
    #[error("article id {0} is given twice")]
    DuplicateId(i64),
    #[error("the index is full (4 294 967 294 articles)")]
    Full,
}
