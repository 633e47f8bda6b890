//! Fuzz target `text`: arbitrary bytes through `broadsheet_fuzz::text` (see fuzz/harness.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| broadsheet_fuzz::text(data));
