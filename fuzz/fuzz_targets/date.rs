//! Fuzz target `date`: arbitrary bytes through `broadsheet_fuzz::date` (see fuzz/harness.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| broadsheet_fuzz::date(data));
