//! Fuzz target `sgml`: arbitrary bytes through `broadsheet_fuzz::sgml` (see fuzz/harness.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| broadsheet_fuzz::sgml(data));
