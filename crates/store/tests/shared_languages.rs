//! Language counts per shared corpus (`../shared/corpora/`), exact, by language and by where the
//! language came from (field, detected, source prior, unknown). The corpora are research-only and
//! never copied here; `broadsheet-testdata` finds them or fails saying where it looked
//! (`BROADSHEET_SKIP_SHARED=1` skips).

use std::sync::atomic::AtomicBool;

use broadsheet_store::{import, ImportReport, ImportRequest, Store, Subcorpus};

/// (language or `-`, origin or `-`, articles), most frequent first.
type Counts = Vec<(String, String, i64)>;

/// A store and its temporary folder, removed after the store is closed (fields drop in order).
struct Imported {
    store: Store,
    _dir: tempfile::TempDir,
}

impl std::ops::Deref for Imported {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.store
    }
}

fn import_counts(rel: &str, recipe: Option<&str>) -> Option<(Imported, ImportReport, Counts)> {
    let path = broadsheet_testdata::corpus(rel)?;
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("corpus.sqlite")).unwrap();
    let recipe = recipe
        .map(|r| broadsheet_ingest::recipe::builtin(r).unwrap())
        .unwrap_or_default();
    let req = ImportRequest::new(vec![path], recipe);
    let report = import(&mut store, &req, &(), &AtomicBool::new(false)).unwrap();
    let counts: Counts = {
        let mut st = store
            .connection()
            .prepare(
                "SELECT coalesce(language, '-'), coalesce(language_origin, '-'), count(*) FROM articles
                 GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2",
            )
            .unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    Some((Imported { store, _dir: dir }, report, counts))
}

fn expect(rel: &str, recipe: Option<&str>, want: &[(&str, &str, i64)]) -> Option<Imported> {
    let (store, report, got) = import_counts(rel, recipe)?;
    let want: Counts = want
        .iter()
        .map(|(l, o, n)| (l.to_string(), o.to_string(), *n))
        .collect();
    assert_eq!(got, want, "{rel}");
    // The report counts the same origins.
    let by_origin = |o: &str| -> u64 {
        got.iter()
            .filter(|(_, origin, _)| origin == o)
            .map(|(_, _, n)| *n as u64)
            .sum()
    };
    for (origin, key) in [
        ("field", "field"),
        ("detected", "detected"),
        ("source", "source"),
        ("-", "unknown"),
    ] {
        assert_eq!(
            report.language_origins.get(key).copied().unwrap_or(0),
            by_origin(origin),
            "{rel}: {key}"
        );
    }
    Some(store)
}

#[test]
fn reuters21578_generic_import_is_english() {
    // Without its recipe (which declares `en`): the SGML preset, detection and source priors.
    // 21,584 articles: the 21,577 records with text (the 736 UNPROC ones included) and the
    // folder's 7 category lists (.txt).
    let Some(store) = expect(
        "reuters21578",
        None,
        &[
            ("en", "detected", 16_598),
            ("en", "source", 4_935),
            ("fr", "detected", 42),
            ("-", "-", 5),
            ("ca", "detected", 1),
            ("de", "detected", 1),
            ("it", "detected", 1),
            ("pt", "detected", 1),
        ],
    ) else {
        return;
    };
    let s = store.stats().unwrap();
    let en = s.languages.get("en").copied().unwrap_or(0);
    assert!(
        en as f64 >= 0.995 * s.articles as f64,
        "{en} of {} English: {:?}",
        s.articles,
        s.languages
    );
}

#[test]
fn bbc_news_languages() {
    expect(
        "bbc_news",
        None,
        &[("en", "detected", 2_126), ("en", "source", 1)],
    );
}

#[test]
fn huffpost_languages() {
    expect(
        "huffpost_news_category",
        None,
        &[
            ("en", "detected", 9_499),
            ("en", "source", 498),
            ("ca", "detected", 1),
            ("tl", "detected", 1),
        ],
    );
}

#[test]
fn ru_telegram_news_languages() {
    expect(
        "ru_telegram_news",
        None,
        &[
            ("ru", "detected", 5_947),
            ("ru", "source", 246),
            ("bg", "detected", 4),
            ("it", "detected", 3),
            ("fr", "detected", 2),
            ("hr", "detected", 2),
            ("uk", "detected", 2),
            ("ca", "detected", 1),
            ("ko", "detected", 1),
            ("la", "detected", 1),
            ("nb", "detected", 1),
        ],
    );
}

#[test]
fn farsnews_persian_languages() {
    expect(
        "farsnews_persian",
        None,
        &[("fa", "detected", 1_095), ("fa", "source", 396)],
    );
}

#[test]
fn rss_xml_feeds_languages() {
    // Feed tags `en-gb`, `pt-pt`, `zh-cn` are stored as `en`, `pt`, `zh`, raw tags kept.
    let Some(store) = expect(
        "rss_xml_feeds",
        Some("rss"),
        &[
            ("en", "field", 55),
            ("pt", "field", 40),
            ("zh", "field", 20),
            ("de", "detected", 15),
            ("pt", "detected", 11),
            ("pt", "source", 4),
            // A feed with one detected item lends its language to none (fewer than three).
            ("-", "-", 1),
            ("en", "detected", 1),
        ],
    ) else {
        return;
    };
    let raw: i64 = store
        .connection()
        .query_row(
            "SELECT count(*) FROM articles WHERE json_extract(extra, '$.language_raw') IN ('en-gb', 'pt-pt', 'zh-cn')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(raw, 115);
}

#[test]
fn readability_news_html_languages() {
    let Some(store) = expect(
        "readability_news_html",
        Some("readability_html"),
        &[
            ("en", "field", 18),
            ("en", "detected", 4),
            ("fr", "field", 2),
            ("zh", "detected", 2),
            ("cs", "field", 1),
            ("de", "field", 1),
            ("es", "detected", 1),
            ("es", "field", 1),
            ("ja", "field", 1),
            ("pt", "field", 1),
        ],
    ) else {
        return;
    };
    // `en-US`, `en-GB`, `en-AU` pages are all found by `--language en`.
    let mut sc = Subcorpus::default();
    sc.filters.languages = vec!["English".into()];
    let en = store.count(&sc).unwrap();
    sc.filters.languages = vec!["en-US".into()];
    assert_eq!(store.count(&sc).unwrap(), en);
}
