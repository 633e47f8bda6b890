//! Imports of the real collections in `../shared/corpora/`, with exact expectations.
//!
//! The corpora are research-only and are never copied into the project; `broadsheet-testdata`
//! finds them, or fails the test saying where it looked (`BROADSHEET_SKIP_SHARED=1` skips).

use std::sync::atomic::AtomicBool;

use broadsheet_store::{import, ImportReport, ImportRequest, Store, Subcorpus};

struct Imported {
    _dir: tempfile::TempDir,
    store: Store,
    first: ImportReport,
    second: ImportReport,
}

/// Imports `rel` twice into a fresh store.
fn import_twice(rel: &str, source: Option<&str>) -> Option<Imported> {
    let path = broadsheet_testdata::corpus(rel)?;
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("corpus.sqlite")).unwrap();
    let req = ImportRequest {
        paths: vec![path],
        source: source.map(str::to_string),
        ..ImportRequest::default()
    };
    let first = import(&mut store, &req, &(), &AtomicBool::new(false)).unwrap();
    let second = import(&mut store, &req, &(), &AtomicBool::new(false)).unwrap();
    store.check_integrity().unwrap();
    Some(Imported {
        _dir: dir,
        store,
        first,
        second,
    })
}

fn assert_second_adds_nothing(i: &Imported) {
    assert_eq!(i.second.stored, 0, "a second import stores nothing");
    assert_eq!(i.second.duplicates, i.first.stored + i.first.duplicates);
    assert_eq!(i.store.stats().unwrap().articles, i.first.stored);
}

#[test]
fn huffpost_news_category() {
    let Some(i) = import_twice("huffpost_news_category", None) else {
        return;
    };
    assert_eq!(
        (i.first.records_read, i.first.stored, i.first.skipped),
        (9_999, 9_999, 0)
    );
    let s = i.store.stats().unwrap();
    assert_eq!((s.dated, s.undated), (9_999, 0));
    assert_eq!(s.first_date.as_deref(), Some("2018-05-01"));
    assert_eq!(s.last_date.as_deref(), Some("2022-09-23"));
    assert_eq!(s.dates_by_precision.get("day"), Some(&9_999));
    // 821 records have empty authors: no byline, not an empty one.
    let no_byline: i64 = i
        .store
        .connection()
        .query_row(
            "SELECT count(*) FROM articles WHERE byline IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(no_byline, 821);
    assert_second_adds_nothing(&i);
}

#[test]
fn bbc_news() {
    let Some(i) = import_twice("bbc_news", None) else {
        return;
    };
    let r = &i.first;
    assert_eq!(r.files_seen, 2_225);
    assert_eq!((r.stored, r.duplicates, r.skipped), (2_127, 98, 0));
    assert_eq!(r.diagnostic_counts.get("duplicate"), Some(&98));
    // The Latin-1 file keeps its pound sign.
    let sport199 = r
        .files
        .iter()
        .find(|f| f.file.ends_with("sport/199.txt"))
        .unwrap();
    assert_eq!(sport199.stored, 1);
    let body: String = i
        .store
        .connection()
        .query_row(
            "SELECT a.body FROM articles a JOIN import_files f ON f.id = a.file_id WHERE f.display LIKE '%sport/199.txt'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(body.contains("£15.8m"), "{}", &body[..300]);
    // The category folder is a field.
    let sections: Vec<(String, i64)> = {
        let c = i.store.connection();
        let mut st = c
            .prepare("SELECT json_extract(extra, '$.folder'), count(*) FROM articles GROUP BY 1 ORDER BY 1")
            .unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let names: Vec<&str> = sections.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(
        names,
        vec!["business", "entertainment", "politics", "sport", "tech"]
    );
    assert_eq!(sections.iter().map(|(_, n)| n).sum::<i64>(), 2_127);
    let s = i.store.stats().unwrap();
    assert_eq!((s.dated, s.undated), (0, 2_127), "no date is invented");
    assert_second_adds_nothing(&i);
}

#[test]
fn ru_telegram_news() {
    let Some(i) = import_twice("ru_telegram_news", None) else {
        return;
    };
    assert_eq!(
        (i.first.stored, i.first.duplicates, i.first.skipped),
        (6_210, 0, 0)
    );
    let sources = i.store.sources().unwrap();
    assert_eq!(sources.len(), 7);
    assert!(sources.iter().any(|s| s.name == "РИА Новости"));
    let s = i.store.stats().unwrap();
    assert_eq!(s.dated, 6_210);
    assert_eq!(s.first_date.as_deref(), Some("2024-05-19"));
    assert_eq!(s.last_date.as_deref(), Some("2024-12-04"));
    assert!(*s.languages.get("ru").unwrap() > 5_500, "{:?}", s.languages);
    assert_second_adds_nothing(&i);
}

#[test]
fn farsnews_persian() {
    let Some(i) = import_twice("farsnews_persian", None) else {
        return;
    };
    assert_eq!(i.first.records_read, 1_500);
    assert_eq!((i.first.stored, i.first.duplicates), (1_491, 9));
    // Paragraphs are joined with blank lines.
    let joined: i64 = i
        .store
        .connection()
        .query_row(
            "SELECT count(*) FROM articles WHERE instr(body, char(10, 10)) > 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(joined > 1_000, "{joined}");
    // Searching the Persian spelling finds articles written with Arabic ي/ك.
    let persian = i.store.count(&Subcorpus::query_only("رییس")).unwrap();
    let arabic = i.store.count(&Subcorpus::query_only("رئيس")).unwrap();
    assert_eq!(persian, arabic);
    assert!(persian > 100, "{persian}");
    assert!(*i.store.stats().unwrap().languages.get("fa").unwrap() > 1_400);
    assert_second_adds_nothing(&i);
}

#[test]
fn presstv_seed() {
    let Some(i) = import_twice("presstv_seed", None) else {
        return;
    };
    assert_eq!(i.first.stored, 1);
    let a = i.store.article(1).unwrap();
    assert_eq!(a.section.as_deref(), Some("News / Russia"));
    assert_eq!(
        a.title,
        "Moscow re-equips Bishkek to counter Daesh: Russian defense minister"
    );
    assert!(a
        .body
        .starts_with("Russian Defense Minister Sergei Shoigu says"));
    assert!(
        a.body.ends_with("according to the United Nations."),
        "{}",
        a.body
    );
    for gone in [
        "(© AFP)",
        "SHARE THIS ARTICLE",
        "alternate addresses",
        "presstv.co.uk",
    ] {
        assert!(!a.body.contains(gone), "`{gone}` is still in the body");
    }
    assert_eq!(a.extra["captions"].as_array().unwrap().len(), 2);
    assert!(a.extra["footer"]
        .as_str()
        .unwrap()
        .contains("SHARE THIS ARTICLE"));
    assert_eq!(
        (a.date, a.date_origin.as_str()),
        (None, "none"),
        "the date stays unknown"
    );
    assert_second_adds_nothing(&i);
}
