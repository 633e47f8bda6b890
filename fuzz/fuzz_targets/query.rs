//! Fuzz target `query`: arbitrary bytes through `broadsheet_fuzz::query` (see fuzz/harness.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| broadsheet_fuzz::query(data));
