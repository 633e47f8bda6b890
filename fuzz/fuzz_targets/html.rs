//! Fuzz target `html`: arbitrary bytes through `broadsheet_fuzz::html` (see fuzz/harness.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| broadsheet_fuzz::html(data));
