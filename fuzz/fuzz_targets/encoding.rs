//! Fuzz target `encoding`: arbitrary bytes through `broadsheet_fuzz::encoding` (see fuzz/harness.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| broadsheet_fuzz::encoding(data));
