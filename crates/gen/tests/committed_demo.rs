//! The committed demo corpus is exactly what the generator writes: regenerate it into a
//! temporary folder and compare every file byte for byte.

use std::path::{Path, PathBuf};

fn files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().unwrap() != "README.md" {
                out.push(p.strip_prefix(root).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn datasets_demo_is_the_generators_output() {
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../datasets/demo");
    let fresh = tempfile::tempdir().unwrap();
    broadsheet_gen::write_demo(fresh.path()).unwrap();
    let a = files(&committed);
    let b = files(fresh.path());
    assert_eq!(
        a, b,
        "the committed file list differs; run `cargo run -p broadsheet-gen -- demo datasets/demo`"
    );
    for f in &a {
        assert!(
            std::fs::read(committed.join(f)).unwrap() == std::fs::read(fresh.path().join(f)).unwrap(),
            "{} differs from the generator's output; run `cargo run -p broadsheet-gen -- demo datasets/demo`",
            f.display()
        );
    }
}
