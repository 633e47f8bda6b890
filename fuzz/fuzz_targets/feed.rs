//! Fuzz target `feed`: arbitrary bytes through `broadsheet_fuzz::feed` (see fuzz/harness.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| broadsheet_fuzz::feed(data));
