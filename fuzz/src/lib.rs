//! The harnesses shared by every fuzz target (`fuzz/harness.rs`, also replayed by
//! `cargo test` from crates/store/tests/fuzz_regressions.rs).

#[path = "../harness.rs"]
mod harness;

pub use harness::*;
