//! Renaming and merging sources: every article kept, the index and derived rows computed from
//! the merged source's boilerplate, and imports under an old name stored under the new one.

use std::sync::atomic::AtomicBool;

use broadsheet_lexis::BoilerplateSettings;

use super::*;

/// Six articles of `http://` carrying one footer, four of `https://` carrying another.
fn feeds(dir: &Path) -> std::path::PathBuf {
    let mut lines = Vec::new();
    for i in 0..6 {
        lines.push(serde_json::json!({"outlet": "http://kg.example/feed", "title": format!("Flood {i}"),
            "url": format!("http://kg.example/a{i}"),
            "text": format!("Water rose in Osh, report {i}.\nRescuers worked all night, team {i}.\nFollow us on Telegram")}));
    }
    for i in 0..4 {
        lines.push(serde_json::json!({"outlet": "https://kg.example/feed", "title": format!("Snow {i}"),
            "url": format!("https://kg.example/b{i}"),
            "text": format!("Snow closed the pass, report {i}.\nDrivers waited {i} hours.\nSubscribe to our newsletter")}));
    }
    let f = dir.join("feeds.jsonl");
    let text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    std::fs::write(&f, text.join("\n")).unwrap();
    f
}

/// A line is boilerplate in 60% (and 3) of a source's articles: each footer is, in its own
/// source; in the merged source only the footer of six of ten articles still is.
fn settings() -> BoilerplateSettings {
    BoilerplateSettings {
        min_percent: 60,
        min_articles: 3,
        ..BoilerplateSettings::default()
    }
}

fn hits(s: &Store, q: &str) -> u64 {
    s.count(&Subcorpus::query_only(q)).unwrap()
}

#[test]
fn a_merge_keeps_every_article_and_finds_the_merged_sources_boilerplate_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store_in(dir.path());
    let req = ImportRequest {
        boilerplate: settings(),
        ..ImportRequest::new(vec![feeds(dir.path())], Default::default())
    };
    import(&mut s, &req, &(), &AtomicBool::new(false)).unwrap();
    assert_eq!((hits(&s, "Telegram"), hits(&s, "newsletter")), (0, 0));
    let from = ["http://kg.example/feed", "https://kg.example/feed"].map(String::from);
    let m = s.merge_sources(&from, "KG Example").unwrap();
    assert_eq!((m.moved, m.rederived), (4, 10), "{m:?}");
    assert_eq!(m.gone, from.to_vec());
    // Before detection runs again the merged source has no boilerplate, and its articles'
    // index rows say so.
    assert_eq!((hits(&s, "Telegram"), hits(&s, "newsletter")), (6, 4));
    s.ensure_boilerplate(&settings(), &|_, _| {}, &AtomicBool::new(false))
        .unwrap();
    let rows = s.sources().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].name.as_str(), rows[0].articles),
        ("KG Example", 10)
    );
    let lines = s.boilerplate_lines().unwrap();
    let got: Vec<(&str, &str, u64, u64)> = lines
        .iter()
        .map(|l| {
            (
                l.source.as_str(),
                l.line.as_str(),
                l.articles,
                l.source_articles,
            )
        })
        .collect();
    assert_eq!(got, [("KG Example", "Follow us on Telegram", 6, 10)]);
    assert_eq!((hits(&s, "Telegram"), hits(&s, "newsletter")), (0, 4));
    s.check_integrity().unwrap();
    // An import naming an old source stores under the new name, and finds the stored records.
    let req = ImportRequest {
        boilerplate: settings(),
        source_names: from
            .iter()
            .map(|f| (f.clone(), "KG Example".into()))
            .collect(),
        ..ImportRequest::new(vec![feeds(dir.path())], Default::default())
    };
    let r = import(&mut s, &req, &(), &AtomicBool::new(false)).unwrap();
    assert_eq!((r.stored, r.duplicates), (0, 10));
    assert_eq!(s.sources().unwrap().len(), 1);
}

#[test]
fn a_rename_keeps_the_source_row_and_an_unknown_name_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store_in(dir.path());
    let req = ImportRequest {
        boilerplate: settings(),
        ..ImportRequest::new(vec![feeds(dir.path())], Default::default())
    };
    import(&mut s, &req, &(), &AtomicBool::new(false)).unwrap();
    let before = s.boilerplate_lines().unwrap().len();
    let m = s
        .merge_sources(&["https://kg.example/feed".into()], "KG Example")
        .unwrap();
    assert_eq!((m.moved, m.rederived), (0, 0));
    let names: Vec<String> = s.sources().unwrap().into_iter().map(|r| r.name).collect();
    assert_eq!(names, ["KG Example", "http://kg.example/feed"]);
    // Its boilerplate stays (it is the same source row), and nothing is stale.
    assert_eq!(s.boilerplate_lines().unwrap().len(), before);
    let r = s
        .ensure_boilerplate(&settings(), &|_, _| {}, &AtomicBool::new(false))
        .unwrap();
    assert_eq!(r.rederived, 0);
    match s.merge_sources(&["https://kg.example/feed".into()], "X") {
        Err(StoreError::Unknown(u)) => assert_eq!(u.closest[0].value, "http://kg.example/feed"),
        other => panic!("{other:?}"),
    }
}
