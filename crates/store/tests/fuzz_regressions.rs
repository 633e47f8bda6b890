//! Replays every input kept under `fuzz/regressions/<target>/` (inputs that once crashed a fuzz
//! target, and a few seeds) through the same harness the fuzz target runs, so that `cargo test`
//! keeps every crash the fuzzers found fixed. See docs/HARDENING.md.

#[path = "../../../fuzz/harness.rs"]
mod harness;

use std::path::Path;

#[test]
fn every_fuzz_regression_input_still_passes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions");
    let mut replayed = 0;
    for (name, run) in harness::TARGETS {
        let dir = root.join(name);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        files.sort();
        for f in files.iter().filter(|f| f.is_file()) {
            let data = std::fs::read(f).unwrap();
            eprintln!("replaying {}", f.display());
            run(&data);
            replayed += 1;
        }
    }
    eprintln!("{replayed} regression inputs replayed");
}
