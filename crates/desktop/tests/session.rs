//! A whole session as the app drives it: create a project in a granted folder, preview and
//! import the demo corpus on a background job, page through the library, search, read an
//! article with its hits, cancel an import, and refuse paths no dialog granted.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use broadsheet_desktop::ipc::*;
use broadsheet_desktop::{DesktopError, Session};

fn demo(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../datasets/demo")
        .join(name)
}

fn collect() -> (Arc<Mutex<Vec<JobEvent>>>, broadsheet_desktop::jobs::Emit) {
    let events = Arc::new(Mutex::new(Vec::new()));
    let e = events.clone();
    (events, Arc::new(move |ev| e.lock().unwrap().push(ev)))
}

fn options(paths: Vec<String>) -> ImportOptions {
    ImportOptions {
        paths,
        ..ImportOptions::default()
    }
}

fn import(s: &Session, opts: &ImportOptions) -> (Vec<JobEvent>, ImportReportInfo) {
    let (events, emit) = collect();
    let job = s.start_import(opts, emit).unwrap();
    s.jobs().wait(job);
    let events = events.lock().unwrap().clone();
    let report = match events.last() {
        Some(JobEvent::Finished {
            output: JobOutput::Import { report },
            ..
        }) => report.clone(),
        other => panic!("the last event is {other:?}"),
    };
    (events, report)
}

#[test]
fn a_session_from_new_project_to_reading_an_article() {
    let tmp = tempfile::tempdir().unwrap();
    let s = Session::new(&tmp.path().join("config"));
    let dir = tmp.path().join("study");

    // Nothing is readable before a dialog grants it.
    let err = s
        .create_project(&dir.display().to_string(), None)
        .unwrap_err();
    assert!(matches!(err, DesktopError::NotAllowed(_)), "{err}");
    assert!(matches!(
        s.list_articles(&PageRequest {
            filters: FilterSet::default(),
            query: None,
            sort: SortOrder::Date,
            offset: 0,
            limit: 10
        }),
        Err(DesktopError::NoProject)
    ));

    let granted = s.grant(vec![dir.clone()]);
    let info = s
        .create_project(&granted[0], Some("Central Asia study"))
        .unwrap();
    assert_eq!(info.name, "Central Asia study");
    assert_eq!(info.articles, 0);
    assert_eq!(s.recent()[0].name, "Central Asia study");

    // Import paths must come from a dialog too.
    let files = vec![
        demo("steppe_herald.jsonl"),
        demo("caspian_wire.csv"),
        demo("novosti_evrazii.json"),
    ];
    let refused = s.preview_import(&PreviewRequest {
        options: options(files.iter().map(|p| p.display().to_string()).collect()),
        records: None,
        files: None,
    });
    assert!(matches!(refused, Err(DesktopError::NotAllowed(_))));
    let paths = s.grant(files);
    let preview = s
        .preview_import(&PreviewRequest {
            options: options(paths.clone()),
            records: Some(4),
            files: None,
        })
        .unwrap();
    assert_eq!(preview.files_total, 3);
    assert_eq!(
        preview.files.iter().map(|f| f.records.len()).sum::<usize>(),
        4
    );
    assert_eq!(
        s.project().unwrap().unwrap().articles,
        0,
        "a preview stores nothing"
    );

    let (events, report) = import(&s, &options(paths.clone()));
    assert!(events
        .iter()
        .any(|e| matches!(e, JobEvent::Progress { .. })));
    assert_eq!(report.status, "completed");
    assert!(report.stored > 100, "{}", report.stored);
    let info = s.project().unwrap().unwrap();
    assert_eq!(info.articles, report.stored);

    // Importing the same files again adds nothing.
    let (_, again) = import(&s, &options(paths));
    assert_eq!(again.stored, 0);
    assert_eq!(again.duplicates, report.stored);
    assert_eq!(s.imports().unwrap().len(), 2);
    assert_eq!(s.import_report(1).unwrap().stored, report.stored);

    // Pages by offset agree with one big page.
    let page = |offset: u64, limit: u32, sort: SortOrder| {
        s.list_articles(&PageRequest {
            filters: FilterSet::default(),
            query: None,
            sort,
            offset,
            limit,
        })
        .unwrap()
    };
    let all = page(0, 40, SortOrder::Date);
    assert_eq!(all.total, report.stored);
    let a = page(0, 20, SortOrder::Date);
    let b = page(20, 20, SortOrder::Date);
    assert_eq!(
        all.rows,
        a.rows
            .iter()
            .chain(b.rows.iter())
            .cloned()
            .collect::<Vec<_>>()
    );
    let newest = page(0, 1, SortOrder::Newest);
    assert!(newest.rows[0].date >= all.rows[0].date);

    // Filters.
    let opts = s.filter_options().unwrap();
    assert_eq!(opts.sources.len(), 3);
    let caspian = s
        .list_articles(&PageRequest {
            filters: FilterSet {
                sources: vec!["Caspian Wire".into()],
                from: Some("2015".into()),
                to: Some("2015".into()),
                ..FilterSet::default()
            },
            query: None,
            sort: SortOrder::Date,
            offset: 0,
            limit: 1000,
        })
        .unwrap();
    assert!(caspian.total > 0 && caspian.total < all.total);
    assert!(caspian
        .rows
        .iter()
        .all(|r| r.source == "Caspian Wire"
            && r.date.as_deref().is_some_and(|d| d.starts_with("2015"))));

    // Search, with snippets marked, and the Reader.
    let res = s
        .search(&SearchQuery {
            query: "Kyrgyz* AND (security OR militant*)".into(),
            filters: FilterSet::default(),
            sort: SortOrder::Relevance,
            offset: 0,
            limit: 10,
        })
        .unwrap();
    assert!(res.total > 0);
    let hit = &res.hits[0];
    assert!(hit.snippet.iter().any(|seg| seg.hit));
    let art = s
        .article(&ArticleRequest {
            id: hit.id,
            query: Some("Kyrgyz* AND (security OR militant*)".into()),
        })
        .unwrap();
    assert_eq!(art.title_text, hit.title);
    assert!(art.hits > 0);
    let marked: Vec<&str> = art
        .paragraphs
        .iter()
        .flatten()
        .chain(art.title.iter())
        .filter(|s| s.hit)
        .map(|s| s.text.as_str())
        .collect();
    assert!(marked.iter().all(|m| {
        let l = m.to_lowercase();
        l.starts_with("kyrgyz") || l == "security" || l.starts_with("militant")
    }));
    assert!(!art.date_origin.is_empty());

    // Query errors carry their span.
    let p = s.check_query("(security OR").unwrap();
    assert_eq!((p.start, p.end), (10, 12));
    assert!(s.check_query("security").is_none());
    let err = s
        .search(&SearchQuery {
            query: "(security OR".into(),
            filters: FilterSet::default(),
            sort: SortOrder::Relevance,
            offset: 0,
            limit: 10,
        })
        .unwrap_err();
    let reply = err.reply();
    assert_eq!(reply.kind, "query");
    assert_eq!(reply.query.unwrap().start, 10);

    // Statistics.
    let st = s.stats().unwrap();
    assert_eq!(st.articles, report.stored);
    assert_eq!(st.by_source.len(), 3);
    assert_eq!(
        st.by_source.iter().map(|b| b.total).sum::<u64>(),
        st.articles
    );

    // A reopened session finds the project on the recent list and may open it.
    let s2 = Session::new(&tmp.path().join("config"));
    let reopened = s2.open_project(&s2.recent()[0].dir).unwrap();
    assert_eq!(reopened.articles, report.stored);
}

#[test]
fn an_import_can_be_cancelled_and_keeps_what_it_stored() {
    let tmp = tempfile::tempdir().unwrap();
    let s = Session::new(&tmp.path().join("config"));
    let dir = s.grant(vec![tmp.path().join("p")]);
    s.create_project(&dir[0], None).unwrap();
    let big = tmp.path().join("big.jsonl");
    let mut text = String::new();
    for i in 0..40_000 {
        text.push_str(&format!(
            "{{\"id\":\"{i}\",\"title\":\"Report {i}\",\"text\":\"Security talks in Bishkek, part {i}, with many words to normalise and index.\",\"date\":\"2015-01-02\"}}\n"
        ));
    }
    std::fs::write(&big, text).unwrap();
    let paths = s.grant(vec![big]);
    let (events, emit) = collect();
    let job = s.start_import(&options(paths.clone()), emit).unwrap();
    // A second import of the same project waits its turn.
    let (_, emit2) = collect();
    assert!(matches!(
        s.start_import(&options(paths), emit2),
        Err(DesktopError::ImportRunning)
    ));
    assert!(s.cancel_job(job));
    s.jobs().wait(job);
    let events = events.lock().unwrap();
    match events.last() {
        Some(JobEvent::Finished {
            output: JobOutput::Import { report },
            ..
        }) => {
            assert_eq!(report.status, "cancelled");
            assert!(report.stored < 40_000);
            assert_eq!(s.project().unwrap().unwrap().articles, report.stored);
        }
        other => panic!("{other:?}"),
    }
}

/// The Library's Rename and Merge go through the application layer: the corpus and
/// broadsheet.toml change, the filter panel lists the new names at once, and a filter still
/// naming an old one gets the engine's error with the closest names.
#[test]
fn sources_are_renamed_and_merged_from_the_library() {
    let tmp = tempfile::tempdir().unwrap();
    let s = Session::new(&tmp.path().join("config"));
    let dir = s.grant(vec![tmp.path().join("study")]);
    s.create_project(&dir[0], None).unwrap();
    let paths = s.grant(vec![demo("steppe_herald.jsonl"), demo("caspian_wire.csv")]);
    let (_, report) = import(&s, &options(paths));
    let names = |s: &Session| -> Vec<(String, u64)> {
        let o = s.filter_options().unwrap();
        o.sources
            .into_iter()
            .map(|x| (x.name, x.articles))
            .collect()
    };
    let before = names(&s);
    assert_eq!(before.len(), 2, "{before:?}");
    let rename = |from: &[&str], into: &str| SourceRename {
        from: from.iter().map(|f| f.to_string()).collect(),
        into: into.into(),
    };
    let page = |s: &Session, source: &str| {
        s.list_articles(&PageRequest {
            filters: FilterSet {
                sources: vec![source.into()],
                ..FilterSet::default()
            },
            query: None,
            sort: SortOrder::Date,
            offset: 0,
            limit: 10,
        })
    };
    page(&s, "Caspian Wire").unwrap();
    let r = s
        .rename_sources(&rename(&["Caspian Wire"], "Caspian Wire (EN)"))
        .unwrap();
    assert_eq!((r.gone, r.moved), (vec!["Caspian Wire".to_string()], 0));
    let err = page(&s, "Caspian Wire").unwrap_err().to_string();
    assert!(err.contains("closest: \"Caspian Wire (EN)\""), "{err}");
    let a = before
        .iter()
        .find(|(n, _)| n != "Caspian Wire")
        .unwrap()
        .0
        .clone();
    let b = "Caspian Wire (EN)";
    let r = s.rename_sources(&rename(&[&a, b], "Eurasia Desk")).unwrap();
    assert_eq!(names(&s), [("Eurasia Desk".to_string(), report.stored)]);
    assert_eq!(r.gone.len(), 2);
    assert_eq!(page(&s, "Eurasia Desk").unwrap().total, report.stored);
    let toml = std::fs::read_to_string(tmp.path().join("study/broadsheet.toml")).unwrap();
    assert!(
        toml.contains("\"Caspian Wire\" = \"Eurasia Desk\""),
        "{toml}"
    );
}

/// A known export imported with the automatic recipe: the preview names the built-in recipe
/// that fits and what it would change; with a recipe chosen it suggests nothing.
#[test]
fn import_preview_names_the_recipe_a_known_export_fits() {
    let tmp = tempfile::tempdir().unwrap();
    let s = Session::new(&tmp.path().join("config"));
    let dir = s.grant(vec![tmp.path().join("study")]).remove(0);
    s.create_project(&dir, Some("HuffPost study")).unwrap();
    let file = tmp.path().join("News_Category.json");
    let lines: Vec<String> = (1..=8)
        .map(|i| {
            serde_json::json!({
                "link": format!("https://www.huffpost.com/entry/story-{i}_n_632d719ee4b087fae6feaac9"),
                "headline": format!("Over {i} million Americans roll up their sleeves"),
                "category": "U.S. NEWS",
                "short_description": "Health experts said it is too early to predict how many people will want the new vaccine this autumn.",
                "authors": "Jane Doe, AP",
                "date": "2022-09-23",
            })
            .to_string()
        })
        .collect();
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let paths = s.grant(vec![file]);
    let preview = |recipe: RecipeChoice| {
        s.preview_import(&PreviewRequest {
            options: ImportOptions {
                recipe,
                ..options(paths.clone())
            },
            records: Some(3),
            files: None,
        })
        .unwrap()
    };
    let auto = preview(RecipeChoice::Auto);
    let names: Vec<&str> = auto.suggestions.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["huffpost_news_category"]);
    assert!(!auto.suggestions[0].changes.is_empty());
    let chosen = preview(RecipeChoice::Builtin {
        name: "huffpost_news_category".into(),
    });
    assert!(chosen.suggestions.is_empty());
}
