//! Fuzz target `json`: arbitrary bytes through `broadsheet_fuzz::json` (see fuzz/harness.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| broadsheet_fuzz::json(data));
