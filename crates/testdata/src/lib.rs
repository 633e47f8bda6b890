//! Finds the shared research corpora (`../shared/corpora/`) for integration tests and
//! benchmarks. They are never copied into the project; when they cannot be found a test fails
//! with a message saying where it looked, unless `BROADSHEET_SKIP_SHARED=1` asks to skip, in
//! which case the test prints `SKIPPED: …` and returns. [`zipgen`] makes hostile zip archives.

use std::path::{Path, PathBuf};

pub mod zipgen;

/// Where the corpora are: `$BROADSHEET_CORPORA`, else the first `shared/corpora` found beside
/// the workspace or one of its ancestors.
pub fn locate() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("BROADSHEET_CORPORA") {
        let p = PathBuf::from(p);
        return if p.is_dir() {
            Ok(p)
        } else {
            Err(format!(
                "BROADSHEET_CORPORA={} is not a folder",
                p.display()
            ))
        };
    }
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut looked = Vec::new();
    let mut dir = std::fs::canonicalize(&workspace).unwrap_or(workspace);
    loop {
        let candidate = dir.join("../shared/corpora");
        if candidate.is_dir() {
            return Ok(std::fs::canonicalize(&candidate).unwrap_or(candidate));
        }
        looked.push(candidate.display().to_string());
        if !dir.pop() {
            break;
        }
    }
    Err(format!("looked in {}", looked.join(", ")))
}

/// The folder of one shared corpus, or `None` after printing `SKIPPED` when skipping was asked
/// for. Panics with a clear message when the corpora are missing and skipping was not asked for.
pub fn corpus(name: &str) -> Option<PathBuf> {
    match locate() {
        Ok(root) => {
            let p = root.join(name);
            assert!(
                p.exists(),
                "the shared corpus `{name}` is not in {}",
                root.display()
            );
            Some(p)
        }
        Err(why) => {
            if std::env::var_os("BROADSHEET_SKIP_SHARED").is_some() {
                eprintln!("SKIPPED: the shared corpora are missing ({why}); `{name}` not tested");
                None
            } else {
                panic!(
                    "the shared corpora are missing ({why}); set BROADSHEET_CORPORA to their folder, or BROADSHEET_SKIP_SHARED=1 to skip the tests that need `{name}`"
                );
            }
        }
    }
}
