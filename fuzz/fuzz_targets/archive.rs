//! Fuzz target `archive`: arbitrary bytes through `broadsheet_fuzz::archive` (see fuzz/harness.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| broadsheet_fuzz::archive(data));
