//! The TypeScript bindings in ui/src/lib/bindings/ must match the Rust IPC types. This test
//! regenerates them into a temporary folder and compares; with BROADSHEET_UPDATE_BINDINGS=1 it
//! rewrites the committed files instead.

use broadsheet_desktop::bindings;

#[test]
fn committed_typescript_bindings_are_current() {
    let dir = bindings::committed_dir();
    if std::env::var_os("BROADSHEET_UPDATE_BINDINGS").is_some() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        bindings::export_to(&dir).unwrap();
        eprintln!("wrote {}", dir.display());
        return;
    }
    let want = bindings::generate().unwrap();
    let have = bindings::read_dir(&dir).unwrap();
    let mut problems = Vec::new();
    for (name, text) in &want {
        match have.get(name) {
            None => problems.push(format!("missing: {name}")),
            Some(t) if t != text => problems.push(format!("out of date: {name}")),
            Some(_) => {}
        }
    }
    for name in have.keys().filter(|n| !want.contains_key(*n)) {
        problems.push(format!("no longer generated: {name}"));
    }
    assert!(
        problems.is_empty(),
        "the TypeScript bindings in {} do not match the Rust IPC types:\n  {}\nrun `{}` and commit the result",
        bindings::BINDINGS_DIR,
        problems.join("\n  "),
        bindings::UPDATE_COMMAND
    );
}
