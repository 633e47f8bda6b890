//! Test support: a store holding a small, hand-made corpus.

use std::sync::atomic::AtomicBool;

use broadsheet_store::{import, ImportRequest, Store};

/// A store in a temporary folder with the JSON Lines `records` imported and derived data made.
pub fn store_with(records: &str) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("fixture.jsonl");
    std::fs::write(&f, records).unwrap();
    let mut store = Store::open(&dir.path().join("corpus.sqlite")).unwrap();
    import(
        &mut store,
        &ImportRequest::new(vec![f], Default::default()),
        &(),
        &AtomicBool::new(false),
    )
    .unwrap();
    store
        .ensure_derived(&|_, _| {}, &AtomicBool::new(false))
        .unwrap();
    (dir, store)
}
