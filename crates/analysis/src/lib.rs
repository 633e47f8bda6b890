//! Analyses over any subcorpus (a query plus filters): word lists, KWIC, collocations, keyness,
//! dispersion, timelines, concepts and regions. Counting is plain Rust over the per-article term
//! vectors kept in the store; results are polars DataFrames.

pub fn probe() -> polars::prelude::DataFrame {
    use polars::prelude::*;
    df!("term" => ["a", "b"], "freq" => [2u64, 1]).unwrap()
}
