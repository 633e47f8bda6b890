//! Fuzz target `csv`: arbitrary bytes through `broadsheet_fuzz::csv` (see fuzz/harness.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| broadsheet_fuzz::csv(data));
