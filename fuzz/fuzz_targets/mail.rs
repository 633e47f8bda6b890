//! Fuzz target `mail`: arbitrary bytes through `broadsheet_fuzz::mail` (see fuzz/harness.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| broadsheet_fuzz::mail(data));
