use std::path::Path;
use std::sync::atomic::AtomicBool;

use super::*;
#[cfg(target_os = "linux")]
use crate::test_support::without_permission_override;

mod query_meta;
mod rename;

fn store_in(dir: &Path) -> Store {
    Store::open(&dir.join("corpus.sqlite")).unwrap()
}

/// A store in `dir` holding two files of the demo corpus (Steppe Herald and Caspian Wire).
fn demo_store(dir: &Path) -> Store {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../datasets/demo");
    let mut s = store_in(dir);
    run(
        &mut s,
        &[
            &demo.join("steppe_herald.jsonl"),
            &demo.join("caspian_wire.csv"),
        ],
    );
    s
}

fn run(store: &mut Store, paths: &[&Path]) -> ImportReport {
    let req = ImportRequest {
        paths: paths.iter().map(|p| p.to_path_buf()).collect(),
        ..ImportRequest::default()
    };
    import(store, &req, &(), &AtomicBool::new(false)).unwrap()
}

const JSONL: &str = r#"{"headline": "Russia re-arms Kyrgyzstan", "text": "Moscow is re-equipping the Kyrgyz army against Daesh.", "date": "2016-01-20", "outlet": "Steppe Wire", "url": "https://steppe.example/a1"}
{"headline": "Talks in Dushanbe", "text": "Security talks in Tajikistan.", "date": "2016-02-03", "outlet": "Steppe Wire", "url": "https://steppe.example/a2"}
{"headline": "Repeat", "text": "Same URL again.", "date": "2016-02-03", "outlet": "Steppe Wire", "url": "http://steppe.example/a1/"}
not json at all
{"headline": "", "text": "", "outlet": "Steppe Wire"}
{"headline": "Undated piece", "text": "No date here.", "date": "the other day", "outlet": "Caspian Post"}
"#;

#[test]
fn import_report_counts_everything() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("feed.jsonl");
    std::fs::write(&f, JSONL).unwrap();
    let mut s = store_in(dir.path());
    let r = run(&mut s, &[&f]);
    assert_eq!(r.status, ImportStatus::Completed);
    assert_eq!(r.files_seen, 1);
    assert_eq!(
        (r.stored, r.duplicates, r.skipped, r.records_read),
        (3, 1, 2, 6)
    );
    let codes: Vec<(&str, String)> = r
        .diagnostics
        .iter()
        .map(|d| (d.code, d.locator.to_string()))
        .collect();
    assert_eq!(
        codes,
        vec![
            ("duplicate", "feed.jsonl: line 3".to_string()),
            ("bad-json", "feed.jsonl: line 4".to_string()),
            ("empty-record", "feed.jsonl: line 5".to_string()),
            ("date-unparsed", "feed.jsonl: line 6".to_string()),
        ]
    );
    assert!(
        r.diagnostics[0].message.contains("article #1"),
        "{}",
        r.diagnostics[0].message
    );
    assert_eq!(r.files[0].hash.len(), 64);
    assert_eq!(r.files[0].format, "json");
    s.check_integrity().unwrap();

    let st = s.stats().unwrap();
    assert_eq!(
        (st.articles, st.sources, st.dated, st.undated),
        (3, 2, 2, 1)
    );
    assert_eq!(st.dates_by_origin.get("field"), Some(&2));
    assert_eq!(st.dates_by_origin.get("none"), Some(&1));
    let undated = s.article(3).unwrap();
    assert_eq!(undated.date, None);
    assert_eq!(undated.date_raw.as_deref(), Some("the other day"));
    assert_eq!(undated.extra["date_raw"], "the other day");
}

#[test]
fn reimport_adds_nothing_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("feed.jsonl");
    std::fs::write(&f, JSONL).unwrap();
    let mut s = store_in(dir.path());
    run(&mut s, &[&f]);
    let r2 = run(&mut s, &[&f]);
    assert_eq!((r2.stored, r2.duplicates), (0, 4));
    assert_eq!(s.stats().unwrap().articles, 3);
    assert_eq!(s.stats().unwrap().imports, 2);
    s.check_integrity().unwrap();
}

#[test]
fn search_finds_folded_forms_and_filters() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("feed.jsonl");
    std::fs::write(&f, JSONL).unwrap();
    let mut s = store_in(dir.path());
    run(&mut s, &[&f]);
    let req = |q: &str| SearchRequest {
        subcorpus: Subcorpus::query_only(q),
        ..SearchRequest::default()
    };
    let r = s.search(&req("kyrgyz*")).unwrap();
    assert_eq!(r.total, 1);
    assert_eq!(r.hits[0].title, "Russia re-arms Kyrgyzstan");
    assert!(r.hits[0]
        .snippet
        .iter()
        .any(|seg| seg.hit && seg.text == "Kyrgyz"));
    assert_eq!(s.search(&req("security OR daesh")).unwrap().total, 2);
    assert_eq!(s.search(&req("NOT daesh")).unwrap().total, 2);
    assert_eq!(s.search(&req("title:kyrgyzstan")).unwrap().total, 1);
    assert_eq!(s.search(&req("\"kyrgyz army\"")).unwrap().total, 1);
    assert_eq!(s.search(&req("NEAR(moscow daesh, 10)")).unwrap().total, 1);
    let mut filtered = req("security OR daesh");
    filtered.subcorpus.filters.from = Some("2016-02".into());
    assert_eq!(s.search(&filtered).unwrap().total, 1);
    filtered.subcorpus.filters.to = Some("2016-01".into());
    assert_eq!(s.search(&filtered).unwrap().total, 0);
    let mut by_source = req("NOT zzz");
    by_source.subcorpus.filters.sources = vec!["Caspian Post".into()];
    assert_eq!(s.search(&by_source).unwrap().total, 1);
    match s.search(&req("(daesh")) {
        Err(StoreError::Query(e)) => assert_eq!(e.span.start, 0),
        other => panic!("expected a query error, got {:?}", other.map(|r| r.total)),
    }
    match s.search(&SearchRequest {
        subcorpus: Subcorpus {
            query: None,
            filters: Filters {
                from: Some("last spring".into()),
                ..Filters::default()
            },
        },
        ..SearchRequest::default()
    }) {
        Err(StoreError::Invalid(m)) => assert!(m.contains("--from last spring")),
        other => panic!(
            "expected an invalid-date error, got {:?}",
            other.map(|r| r.total)
        ),
    }
}

#[test]
fn a_cancelled_import_keeps_whole_batches_and_completes_on_rerun() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("many.jsonl");
    let mut text = String::new();
    for i in 0..5000 {
        text.push_str(&format!(
            "{{\"title\": \"Article {i}\", \"text\": \"Body of article {i} about security.\", \"id\": \"{i}\", \"source\": \"S\"}}\n"
        ));
    }
    std::fs::write(&f, &text).unwrap();
    let mut s = store_in(dir.path());
    struct CancelAfterFirstBatch<'a>(&'a AtomicBool);
    impl ImportProgress for CancelAfterFirstBatch<'_> {
        fn update(&self, p: &ProgressSnapshot) {
            if p.stored > 0 {
                self.0.store(true, std::sync::atomic::Ordering::Relaxed);
            }
        }
    }
    let cancel = AtomicBool::new(false);
    let req = ImportRequest {
        paths: vec![f.clone()],
        ..ImportRequest::default()
    };
    let r = import(&mut s, &req, &CancelAfterFirstBatch(&cancel), &cancel).unwrap();
    assert_eq!(r.status, ImportStatus::Cancelled);
    let partial = s.stats().unwrap().articles;
    assert!(partial > 0 && partial < 5000, "{partial}");
    assert_eq!(partial % 1000, 0, "only whole batches are committed");
    s.check_integrity().unwrap();
    let r2 = run(&mut s, &[&f]);
    assert_eq!(r2.stored + r2.duplicates, 5000);
    assert_eq!(r2.duplicates, partial);
    assert_eq!(s.stats().unwrap().articles, 5000);
    s.check_integrity().unwrap();
}

#[test]
fn folder_of_text_files_with_encodings() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("wires");
    std::fs::create_dir_all(root.join("asia")).unwrap();
    std::fs::write(root.join("asia/1.txt"), "Title one\n\nBody one.").unwrap();
    let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(
        "Заголовок\n\nМинистр обороны России заявил, что Москва перевооружает армию Киргизии. По его словам, ситуация в Афганистане ухудшается из-за появления там боевиков.",
    );
    std::fs::write(root.join("asia/2.txt"), &cp1251).unwrap();
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "UTF-16 title\n\nBody in UTF-16."
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes()),
        )
        .collect();
    std::fs::write(root.join("asia/3.txt"), utf16).unwrap();
    std::fs::write(root.join("asia/4.txt"), "Title one\n\nBody one.").unwrap();
    std::fs::write(root.join("README.md"), "docs").unwrap();
    let mut s = store_in(dir.path());
    let r = run(&mut s, &[&root]);
    assert_eq!((r.stored, r.duplicates), (3, 1));
    assert_eq!(r.files.len(), 4);
    assert_eq!(r.files[1].encoding, "windows-1251 (detected)");
    assert_eq!(r.files[2].encoding, "UTF-16LE (BOM)");
    let a = s.article(2).unwrap();
    assert_eq!(a.title, "Заголовок");
    assert_eq!(a.source, "wires");
    assert_eq!(a.section.as_deref(), Some("asia"));
    assert_eq!(a.language.as_deref(), Some("ru"));
    assert_eq!(a.file.as_deref(), Some("wires/asia/2.txt"));
    assert!(r
        .diagnostics
        .iter()
        .any(|d| d.code == "skipped-file" && d.locator.file == "wires/README.md"));
}

#[test]
fn csv_with_explicit_mapping_and_source() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("export.csv");
    std::fs::write(
        &f,
        "No,Heading,Story,When\n1,Kyrgyz forces,Text one,\"March 3, 2015\"\n2,Uzbek border,Text two,2015-04-01\n",
    )
    .unwrap();
    let mut s = store_in(dir.path());
    let mut recipe = broadsheet_ingest::Recipe {
        source: Some("Eurasia Monitor".into()),
        ..Default::default()
    };
    for m in ["title=Heading", "body=3", "date=When", "id=No"] {
        let (k, v) = broadsheet_ingest::FieldMap::parse_entry(m).unwrap();
        recipe.map.insert(k, v);
    }
    let req = ImportRequest::new(vec![f], recipe);
    let r = import(&mut s, &req, &(), &AtomicBool::new(false)).unwrap();
    assert_eq!(r.stored, 2);
    let a = s.article(1).unwrap();
    assert_eq!(
        (a.title.as_str(), a.body.as_str()),
        ("Kyrgyz forces", "Text one")
    );
    assert_eq!(a.date.as_deref(), Some("2015-03-03"));
    assert_eq!(a.date_precision, "day");
    assert_eq!(a.external_id.as_deref(), Some("1"));
    assert_eq!(a.source, "Eurasia Monitor");
}

#[test]
fn newer_schema_is_refused_and_garbage_is_not_a_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("corpus.sqlite");
    {
        let s = Store::open(&p).unwrap();
        s.connection()
            .pragma_update(None, "user_version", schema::SCHEMA_VERSION + 1)
            .unwrap();
    }
    match Store::open(&p) {
        Err(StoreError::TooNew { found, .. }) => assert_eq!(found, schema::SCHEMA_VERSION + 1),
        other => panic!("expected TooNew, got {:?}", other.err()),
    }
    let g = dir.path().join("garbage.sqlite");
    std::fs::write(&g, vec![b'x'; 10_000]).unwrap();
    match Store::open(&g) {
        Err(e @ StoreError::NotACorpus { .. }) => assert!(e.to_string().contains("garbage.sqlite")),
        other => panic!("expected NotACorpus, got {:?}", other.err()),
    }
}

#[test]
fn pragmas_are_set() {
    let dir = tempfile::tempdir().unwrap();
    let s = store_in(dir.path());
    let c = s.connection();
    let mode: String = c
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    let fk: i64 = c
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    let page: i64 = c.query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap();
    assert_eq!((mode.as_str(), fk, page), ("wal", 1, 16384));
    assert_eq!(s.schema_version().unwrap(), schema::SCHEMA_VERSION);
}

#[test]
fn busy_database_gives_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("corpus.sqlite");
    let mut s = Store::open(&p).unwrap();
    s.conn
        .busy_timeout(std::time::Duration::from_millis(50))
        .unwrap();
    let other = rusqlite::Connection::open(&p).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let f = dir.path().join("a.jsonl");
    std::fs::write(&f, "{\"title\": \"t\"}\n").unwrap();
    let req = ImportRequest {
        paths: vec![f],
        ..ImportRequest::default()
    };
    let err = import(&mut s, &req, &(), &AtomicBool::new(false)).unwrap_err();
    assert!(matches!(err, StoreError::Busy { .. }), "{err}");
    assert!(err.to_string().contains("another Broadsheet process"));
    assert!(err.to_string().contains("corpus.sqlite"));
    other.execute_batch("ROLLBACK").unwrap();
}

#[test]
fn demo_reprints_cluster_with_their_originals() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = demo_store(dir.path());
    let r = s.ensure_clusters(None).unwrap();
    eprintln!("{r:?}");
    let clusters = s.clusters(0).unwrap();
    // Every planted reprint (title ending "(report)") is in a cluster with a Steppe Herald story.
    let reprints: Vec<i64> = {
        let mut st = s
            .conn
            .prepare("SELECT id FROM articles WHERE title LIKE '% (report)' ORDER BY id")
            .unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(reprints.len(), 29);
    for id in &reprints {
        let c = clusters.iter().find(|(_, m)| m.contains(id));
        assert!(c.is_some(), "reprint #{id} is in no cluster");
        let (canonical, members) = c.unwrap();
        assert!(members.len() >= 2);
        assert_ne!(canonical, id, "the original, dated earlier, is canonical");
    }
    // The demo's other stories, written from the same templates with varied details, are not
    // near-duplicates: the planted reprints are exactly the clusters.
    assert_eq!(r.clusters, 29);
    assert_eq!(r.articles_in_clusters, 58);
    // Unchanged data: nothing to recompute, the same answer.
    assert_eq!(s.ensure_clusters(None).unwrap(), r);
    // Counting each cluster once leaves out exactly the redundant members.
    let all = s.count(&Subcorpus::default()).unwrap();
    let once = s
        .count(&Subcorpus {
            query: None,
            filters: Filters {
                dedup: true,
                ..Filters::default()
            },
        })
        .unwrap();
    assert_eq!(all - once, r.redundant);
}

/// Found by the two-process test (crates/cli/tests/crash_safety.rs): two imports into one corpus
/// at once each kept its own term dictionary, so the second to write a new word failed with a
/// raw "UNIQUE constraint failed: terms.term" and its import stopped. A term another process
/// added since the dictionary was loaded now gets that row's id.
#[test]
fn two_stores_on_one_corpus_share_new_terms() {
    let dir = tempfile::tempdir().unwrap();
    let a_file = dir.path().join("a.jsonl");
    let b_file = dir.path().join("b.jsonl");
    let c_file = dir.path().join("c.jsonl");
    std::fs::write(
        &a_file,
        r#"{"title": "first", "text": "common words", "url": "https://e.org/1"}"#,
    )
    .unwrap();
    std::fs::write(
        &b_file,
        r#"{"title": "second", "text": "zanzibar quokka", "url": "https://e.org/2"}"#,
    )
    .unwrap();
    std::fs::write(
        &c_file,
        r#"{"title": "third", "text": "quokka zanzibar", "url": "https://e.org/3"}"#,
    )
    .unwrap();
    let mut a = store_in(dir.path());
    let mut b = store_in(dir.path());
    run(&mut a, &[&a_file]);
    run(&mut b, &[&b_file]);
    let r = run(&mut a, &[&c_file]);
    assert_eq!(r.stored, 1);
    a.check_integrity().unwrap();
    let ids: Vec<i64> = a
        .connection()
        .prepare("SELECT id FROM terms WHERE term IN ('quokka', 'zanzibar') ORDER BY term")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(ids.len(), 2);
}

/// Regression: a subcorpus of a query and date or place filters is taken from the full-text
/// index and the filters' indexes separately, then intersected (the joined statement read the
/// row of every matching article, text included). Both ways must give the same articles.
#[test]
fn query_ids_from_the_index_alone_agree_with_the_joined_statement() {
    let dir = tempfile::tempdir().unwrap();
    let s = demo_store(dir.path());
    let queries = [
        "security",
        "kyrgyz* OR tajik*",
        "\"security council\"",
        "russia AND NOT daesh",
        "NEAR(russia kyrgyzstan, 8)",
        "zzzz",
    ];
    let filters = [
        Filters::default(),
        Filters {
            from: Some("2016".into()),
            ..Filters::default()
        },
        Filters {
            from: Some("2015-06".into()),
            to: Some("2016-03-15".into()),
            ..Filters::default()
        },
        Filters {
            places: vec!["central-asia".into()],
            ..Filters::default()
        },
        Filters {
            places: vec!["KG".into()],
            to: Some("2017".into()),
            ..Filters::default()
        },
    ];
    let mut nonempty = 0;
    for q in queries {
        for f in &filters {
            let sc = Subcorpus {
                query: Some(q.into()),
                filters: f.clone(),
            };
            let c = sc.compile().unwrap();
            assert!(c.fts.is_some() && c.filters_index_only, "{q} {f:?}");
            let fast = s.subcorpus_ids(&sc).unwrap();
            let joined = s.ids_by_join(&c).unwrap();
            assert_eq!(fast, joined, "{q} with {f:?}");
            if !fast.is_empty() {
                nonempty += 1;
            }
        }
    }
    // The comparison means something only if most combinations find articles.
    assert!(
        nonempty >= 15,
        "only {nonempty} combinations found articles"
    );
}

/// Regression: every command ran `ensure_derived`, which scanned the whole articles table for
/// articles without derived data (seconds at a million articles). A corpus whose imports wrote
/// derived data with each article is marked complete and not scanned; one that is not marked
/// (made by an older version) is scanned once, filled, and marked.
#[test]
fn derived_data_is_checked_by_a_flag_once_complete() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("feed.jsonl");
    std::fs::write(&f, JSONL).unwrap();
    let mut s = store_in(dir.path());
    run(&mut s, &[&f]);
    let flag = |s: &Store| -> Option<String> {
        s.conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'derived_complete'",
                [],
                |r| r.get(0),
            )
            .ok()
    };
    assert_eq!(
        flag(&s).as_deref(),
        Some("1"),
        "a fresh corpus starts complete"
    );
    let none = AtomicBool::new(false);
    assert_eq!(s.ensure_derived(&|_, _| {}, &none).unwrap(), 0);
    // As an older version would have left it: derived rows missing and no flag.
    s.conn
        .execute_batch(
            "DELETE FROM meta WHERE key = 'derived_complete';
             DELETE FROM article_terms WHERE article_id IN (SELECT min(id) FROM articles);",
        )
        .unwrap();
    assert_eq!(s.ensure_derived(&|_, _| {}, &none).unwrap(), 1);
    assert_eq!(flag(&s).as_deref(), Some("1"));
    let terms: i64 = s
        .conn
        .query_row("SELECT count(*) FROM article_terms", [], |r| r.get(0))
        .unwrap();
    let articles: i64 = s
        .conn
        .query_row("SELECT count(*) FROM articles", [], |r| r.get(0))
        .unwrap();
    assert_eq!(terms, articles);
    // A later import into it keeps it complete.
    let g = dir.path().join("more.jsonl");
    std::fs::write(
        &g,
        r#"{"headline": "New", "text": "Another story from Bishkek.", "date": "2017-05-01", "outlet": "Steppe Wire", "url": "https://steppe.example/new"}"#,
    )
    .unwrap();
    run(&mut s, &[&g]);
    assert_eq!(s.ensure_derived(&|_, _| {}, &none).unwrap(), 0);
    let terms: i64 = s
        .conn
        .query_row("SELECT count(*) FROM article_terms", [], |r| r.get(0))
        .unwrap();
    assert_eq!(terms, articles + 1);
}

/// Issue 19, item 9: `show` said "from: prov.zip, line 1" for the first record of both
/// `a.jsonl` and `b.jsonl` inside `prov.zip`, and duplicate notes named only the archive. An
/// article stored from an archive member names the member; one from a plain file is as before.
#[test]
fn provenance_of_archive_members_names_the_member() {
    use broadsheet_testdata::zipgen::zip_of;
    let dir = tempfile::tempdir().unwrap();
    let rec = |n: &str| {
        format!(
            r#"{{"title": "Article {n}", "text": "Text of {n}.", "outlet": "Wire", "url": "https://w.example/{n}"}}"#
        )
    };
    let prov = dir.path().join("prov.zip");
    std::fs::write(
        &prov,
        zip_of(&[
            (b"a.jsonl", rec("a").as_bytes(), None),
            (b"sub/b.jsonl", rec("b").as_bytes(), None),
            (
                b"c, line 2.txt",
                b"Whole file\n\nOne article per file.",
                None,
            ),
        ]),
    )
    .unwrap();
    let plain = dir.path().join("plain.jsonl");
    std::fs::write(&plain, format!("{}\n", rec("p"))).unwrap();
    let mut s = store_in(dir.path());
    let r = run(&mut s, &[&prov, &plain]);
    assert_eq!(r.stored, 4, "{:?}", r.diagnostics);
    let from = |id: i64| {
        let a = s.article(id).unwrap();
        (a.title, a.file, a.record)
    };
    let some = |x: &str| Some(x.to_string());
    assert_eq!(
        from(1),
        (
            "Article a".into(),
            some("prov.zip!/a.jsonl"),
            some("line 1")
        )
    );
    assert_eq!(
        from(2),
        (
            "Article b".into(),
            some("prov.zip!/sub/b.jsonl"),
            some("line 1")
        )
    );
    assert_eq!(
        from(3),
        ("Whole file".into(), some("prov.zip!/c, line 2.txt"), None)
    );
    assert_eq!(
        from(4),
        ("Article p".into(), some("plain.jsonl"), some("line 1"))
    );

    // A duplicate names the member the first copy came from.
    let dup = dir.path().join("dup.zip");
    std::fs::write(
        &dup,
        zip_of(&[(
            b"again.jsonl",
            format!("{}\n{}\n", rec("new"), rec("b")).as_bytes(),
            None,
        )]),
    )
    .unwrap();
    let r = run(&mut s, &[&dup]);
    assert_eq!((r.stored, r.duplicates), (1, 1));
    let d = &r.diagnostics[0];
    assert_eq!(
        (d.code, d.locator.to_string().as_str()),
        ("duplicate", "dup.zip!/again.jsonl: line 2")
    );
    assert!(
        d.message
            .ends_with("stored from prov.zip!/sub/b.jsonl, line 1"),
        "{}",
        d.message
    );
}

/// Issue 19, item 6: one unreadable file in a folder ended the import with "Permission denied
/// (os error 13): Permission denied (os error 13)"; a folder that cannot be listed ended it
/// before anything was read. Each is now one diagnostic naming it in plain words, and the
/// other files are stored.
#[cfg(target_os = "linux")]
#[test]
fn unreadable_files_and_folders_are_named_and_the_import_goes_on() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("corpus");
    std::fs::create_dir_all(root.join("locked")).unwrap();
    for (n, t) in [
        ("a.txt", "A"),
        ("b.txt", "B"),
        ("locked/c.txt", "C"),
        ("d.txt", "D"),
    ] {
        std::fs::write(root.join(n), format!("{t}\n\nText {t}.")).unwrap();
    }
    let deny = |p: &Path| std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o000));
    deny(&root.join("b.txt")).unwrap();
    deny(&root.join("locked")).unwrap();
    let store_path = dir.path().join("corpus.sqlite");
    let r = without_permission_override(|| {
        assert!(
            std::fs::read(root.join("b.txt")).is_err(),
            "reading should be denied on this thread"
        );
        let mut s = Store::open(&store_path).unwrap();
        let req = ImportRequest::new(vec![root.clone()], broadsheet_ingest::Recipe::default());
        import(&mut s, &req, &(), &AtomicBool::new(false))
    });
    std::fs::set_permissions(root.join("locked"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let r = r.expect("the import goes on past unreadable files");
    assert_eq!(r.status, ImportStatus::Completed);
    assert_eq!(r.stored, 2, "{:?}", r.diagnostics);
    let unreadable: Vec<String> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == "unreadable")
        .map(|d| d.to_string())
        .collect();
    assert_eq!(
        unreadable,
        vec![
            "corpus/locked: error: cannot list this folder: permission denied; the files in it were not imported [unreadable]",
            "corpus/b.txt: error: cannot read this file: permission denied [unreadable]",
        ]
    );
    let b = r.files.iter().find(|f| f.file == "corpus/b.txt").unwrap();
    assert_eq!(
        b.error.as_deref(),
        Some("cannot read this file: permission denied")
    );
}

/// Filters that name a source, language or place that matches nothing are errors listing the
/// closest values; a known place no article mentions is a real zero.
#[test]
fn an_unknown_filter_value_is_an_error_naming_the_closest() {
    let dir = tempfile::tempdir().unwrap();
    let s = demo_store(dir.path());
    let err = |f: Filters| match s.count(&Subcorpus {
        query: None,
        filters: f,
    }) {
        Err(StoreError::Unknown(u)) => u,
        other => panic!("{other:?}"),
    };
    let e = err(Filters {
        sources: vec!["Caspian Wir".into()],
        ..Filters::default()
    });
    assert_eq!(
        (e.field, e.closest[0].value.as_str()),
        (FilterField::Source, "Caspian Wire")
    );
    assert!(
        e.to_string()
            .starts_with("no source is named \"Caspian Wir\"; closest: \"Caspian Wire\""),
        "{e}"
    );
    let e = err(Filters {
        languages: vec!["ru".into()],
        ..Filters::default()
    });
    assert_eq!(
        e.to_string(),
        "no article is in language \"ru\"; closest: \"en\""
    );
    let e = err(Filters {
        places: vec!["Uzbekistn".into()],
        ..Filters::default()
    });
    assert_eq!(e.closest[0].value, "UZ", "{e}");
    // Normalised languages and known places are fine, even when they match nothing.
    let ok = |f: Filters| {
        s.count(&Subcorpus {
            query: None,
            filters: f,
        })
        .unwrap()
    };
    assert!(
        ok(Filters {
            languages: vec!["en-US".into(), "English".into()],
            ..Filters::default()
        }) > 0
    );
    assert_eq!(
        ok(Filters {
            places: vec!["AQ".into()],
            ..Filters::default()
        }),
        0
    );
    s.check_filters(&Filters {
        sources: vec!["Caspian Wire".into()],
        ..Filters::default()
    })
    .unwrap();
}

/// The metadata cache of the analyses trusts the generation: every writer of metadata must
/// advance it, or a command would read yesterday's metadata.
#[test]
fn every_writer_of_metadata_advances_the_generation() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store_in(dir.path());
    let mut last = s.metadata_key().unwrap().expect("a new corpus has a key");
    let mut changed = |s: &Store, what: &str| {
        let k = s.metadata_key().unwrap().unwrap();
        assert_ne!(k, last, "{what} left the generation as it was");
        last = k;
    };
    let f = dir.path().join("a.jsonl");
    std::fs::write(&f, JSONL).unwrap();
    run(&mut s, &[&f]);
    changed(&s, "an import");
    s.ensure_clusters(Some(0.3)).unwrap();
    changed(&s, "clustering");
    s.merge_sources(&["Caspian Post".to_string()], "Steppe Wire")
        .unwrap();
    changed(&s, "a source merge");
    s.merge_sources(&["Steppe Wire".to_string()], "Steppe Wire (renamed)")
        .unwrap();
    changed(&s, "a rename");
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../datasets/demo");
    run(&mut s, &[&demo.join("caspian_wire.csv")]);
    changed(&s, "a second import");
    // A raw edit made outside the store's writers is caught by the triggers.
    s.conn
        .execute("UPDATE articles SET language = 'ky' WHERE id = 1", [])
        .unwrap();
    changed(&s, "an edit of an article's language");
    // Reading changes nothing.
    let k = s.metadata_key().unwrap();
    s.corpus_meta().unwrap();
    s.term_dictionary().unwrap();
    assert_eq!(s.metadata_key().unwrap(), k);
}
