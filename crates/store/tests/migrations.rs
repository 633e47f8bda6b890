//! Opening a corpus written by an earlier Broadsheet. `fixtures/v1.sqlite` was written by the
//! schema-version-1 build (`broadsheet new` + `broadsheet import fixtures/v1_import.jsonl`, at
//! commit 9041970): opening it must migrate it, keep every article, and fill the derived data.

use std::sync::atomic::AtomicBool;

use broadsheet_store::{schema, Store, Subcorpus};

fn copy_fixture(name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let dst = dir.path().join("corpus.sqlite");
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
        &dst,
    )
    .unwrap();
    (dir, dst)
}

#[test]
fn a_version_1_corpus_opens_and_migrates() {
    let (_dir, path) = copy_fixture("v1.sqlite");
    let version: i64 = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 1, "the fixture is a version-1 database");

    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), schema::SCHEMA_VERSION);
    store.check_integrity().unwrap();
    let s = store.stats().unwrap();
    assert_eq!((s.articles, s.dated, s.undated, s.sources), (9, 7, 2, 3));
    assert_eq!(s.imports, 1);
    assert_eq!(s.duplicates_seen, 1);
    // Search still works, including the Persian/Arabic letter folding.
    assert_eq!(store.count(&Subcorpus::query_only("Kyrgyz*")).unwrap(), 1);
    assert_eq!(
        store.count(&Subcorpus::query_only("кыргызстан*")).unwrap(),
        1
    );
    assert_eq!(store.count(&Subcorpus::query_only("رییس")).unwrap(), 2);

    // Derived data is missing until computed, then complete.
    let derived = |s: &Store| -> i64 {
        s.connection()
            .query_row("SELECT count(*) FROM article_terms", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(derived(&store), 0);
    let n = store
        .ensure_derived(&|_, _| {}, &AtomicBool::new(false))
        .unwrap();
    assert_eq!(n, 9);
    assert_eq!(derived(&store), 9);
    let tj: i64 = store
        .connection()
        .query_row(
            "SELECT count(DISTINCT article_id) FROM article_places WHERE place = 'TJ'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        tj, 3,
        "Tajikistan in English, Russian (Таджикистане) and Persian (تاجيكستان)"
    );
    // A second pass has nothing left to do.
    assert_eq!(
        store
            .ensure_derived(&|_, _| {}, &AtomicBool::new(false))
            .unwrap(),
        0
    );
}

#[test]
fn importing_into_a_migrated_corpus_continues_its_identities() {
    let (dir, path) = copy_fixture("v1.sqlite");
    let mut store = Store::open(&path).unwrap();
    let f = dir.path().join("again.jsonl");
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v1_import.jsonl"),
        &f,
    )
    .unwrap();
    let r = broadsheet_store::import(
        &mut store,
        &broadsheet_store::ImportRequest::new(vec![f], Default::default()),
        &(),
        &AtomicBool::new(false),
    )
    .unwrap();
    assert_eq!(
        (r.stored, r.duplicates),
        (0, 10),
        "the same records are the same articles"
    );
    store.check_integrity().unwrap();
}
