//! The Analyses area as the app drives it, over a small project made in a temporary folder:
//! concepts saved in broadsheet.toml, a timeline by source with its chart, the drill-down from a
//! timeline row to a KWIC, exports of the table and the chart, saving the analysis to the
//! project, and the other analyses' tables.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use broadsheet_desktop::ipc::*;
use broadsheet_desktop::{DesktopError, Session};

fn demo(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../datasets/demo")
        .join(name)
}

const SECURITY: &str = "security OR militant* OR terror* OR border*";

fn project(tmp: &Path) -> Session {
    let s = Session::new(&tmp.join("config"));
    let dir = s.grant(vec![tmp.join("study")]).remove(0);
    s.create_project(&dir, Some("study")).unwrap();
    let paths = s.grant(vec![demo("steppe_herald.jsonl"), demo("caspian_wire.csv")]);
    let events = Arc::new(Mutex::new(Vec::new()));
    let e = events.clone();
    let job = s
        .start_import(
            &ImportOptions {
                paths,
                ..ImportOptions::default()
            },
            Arc::new(move |ev| e.lock().unwrap().push(ev)),
        )
        .unwrap();
    s.jobs().wait(job);
    assert!(s.project().unwrap().unwrap().articles > 100);
    s
}

fn col(r: &AnalysisResult, name: &str) -> usize {
    r.columns
        .iter()
        .position(|c| c == name)
        .unwrap_or_else(|| panic!("no column {name} in {:?}", r.columns))
}

#[test]
fn concepts_timeline_drill_down_export_and_save() {
    let tmp = tempfile::tempdir().unwrap();
    let s = project(tmp.path());

    // Concepts: create, refuse a bad query, rename, and they are in broadsheet.toml.
    assert!(s.concepts().unwrap().is_empty());
    let bad = s.save_concept(
        &ConceptInfo {
            name: "broken".into(),
            query: "(security".into(),
            description: None,
            languages: Vec::new(),
        },
        None,
    );
    assert!(bad.is_err());
    s.save_concept(
        &ConceptInfo {
            name: "security".into(),
            query: SECURITY.into(),
            description: None,
            languages: Vec::new(),
        },
        None,
    )
    .unwrap();
    let list = s
        .save_concept(
            &ConceptInfo {
                name: "regional security".into(),
                query: SECURITY.into(),
                description: Some("borders and militancy".into()),
                languages: Vec::new(),
            },
            Some("security"),
        )
        .unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].name, "regional security");
    let toml = std::fs::read_to_string(tmp.path().join("study/broadsheet.toml")).unwrap();
    assert!(toml.contains("name = \"regional security\""), "{toml}");

    // A concept's terms per language survive the round trip through the screen (they were
    // dropped on save), language names become codes, and the lexicon's entries come with
    // theirs.
    let lexicon = broadsheet_desktop::analyses::lexicon();
    let csto = lexicon.iter().find(|l| l.id == "csto").unwrap();
    assert!(csto.concept.languages.len() >= 5, "{:?}", csto.concept);
    let mut copied = csto.concept.clone();
    copied.name = "csto".into();
    let ru = copied
        .languages
        .iter()
        .position(|t| t.language == "ru")
        .unwrap();
    copied.languages[ru].language = "Русский".into();
    let first_query = copied.languages[ru].query.clone();
    let list = s.save_concept(&copied, None).unwrap();
    let saved = list.iter().find(|c| c.name == "csto").unwrap();
    assert_eq!(saved.languages.len(), csto.concept.languages.len());
    assert!(saved
        .languages
        .iter()
        .any(|t| t.language == "ru" && t.query == first_query));
    copied.languages.push(LanguageTerms {
        language: "Klingon".into(),
        query: "x".into(),
    });
    let err = s
        .save_concept(&copied, Some("csto"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("Klingon"), "{err}");
    s.delete_concept("csto").unwrap();

    // A timeline of the concept by source, monthly, with its chart.
    let req = AnalysisEntry {
        name: "security by outlet".into(),
        kind: Kind::Timeline,
        concepts: vec!["regional security".into()],
        by: Some(By::Source),
        period: Some(Period::Year),
        ..Default::default()
    };
    let t = s.run_analysis(&req).unwrap();
    for c in [
        "period",
        "start",
        "group",
        "count",
        "total",
        "share",
        "low_total",
    ] {
        col(&t, c);
    }
    assert!(t.total_rows > 0 && t.rows.len() as u64 == t.total_rows);
    let svg = t.chart_svg.as_deref().unwrap();
    assert!(
        svg.starts_with("<svg") || svg.starts_with("<?xml"),
        "{}",
        &svg[..40]
    );
    // Drawn for the analysis pane, so its 12-pixel labels are not shown at 7 pixels.
    assert!(
        svg.contains("width=\"820\""),
        "{}",
        &svg[..200.min(svg.len())]
    );
    assert!(t.title.contains("regional security"), "{}", t.title);
    let counts_svg = s
        .run_analysis(&AnalysisEntry {
            chart: ChartEntry {
                counts: true,
                ..Default::default()
            },
            ..req.clone()
        })
        .unwrap()
        .chart_svg
        .unwrap();
    assert_ne!(counts_svg, svg, "absolute counts draw another chart");

    // The busiest dated row, drilled down to a KWIC of that year and source.
    let (ci, gi, pi) = (col(&t, "count"), col(&t, "group"), col(&t, "period"));
    let row = t
        .rows
        .iter()
        .filter(|r| r[pi].as_str().is_some_and(|p| p.len() == 4))
        .max_by_key(|r| r[ci].as_u64().unwrap())
        .unwrap();
    let (year, source) = (row[pi].as_str().unwrap(), row[gi].as_str().unwrap());
    let kwic = s
        .run_analysis(&AnalysisEntry {
            kind: Kind::Kwic,
            node: Some(SECURITY.into()),
            subcorpus: SubcorpusEntry {
                from: Some(year.into()),
                to: Some(year.into()),
                sources: vec![source.into()],
                ..Default::default()
            },
            ..Default::default()
        })
        .unwrap();
    assert!(kwic.total_rows >= row[ci].as_u64().unwrap());
    let (idi, si, di) = (col(&kwic, "id"), col(&kwic, "source"), col(&kwic, "date"));
    let articles: std::collections::BTreeSet<i64> = kwic
        .rows
        .iter()
        .map(|r| {
            assert_eq!(r[si].as_str(), Some(source));
            assert!(r[di].as_str().unwrap().starts_with(year));
            r[idi].as_i64().unwrap()
        })
        .collect();
    assert_eq!(articles.len() as u64, row[ci].as_u64().unwrap());
    // A line opens its article.
    let a = s
        .article(&ArticleRequest {
            id: *articles.iter().next().unwrap(),
            query: Some(SECURITY.into()),
        })
        .unwrap();
    assert!(a.hits > 0);

    // Exports: only to a path a save dialog granted; CSV rows match the table.
    let out = tmp.path().join("exports");
    std::fs::create_dir_all(&out).unwrap();
    let csv = out.join("timeline.csv");
    let refused = s.export_analysis(&req, OutputFormat::Csv, &csv.display().to_string());
    assert!(matches!(refused, Err(DesktopError::NotAllowed(_))));
    let granted = s.grant(vec![csv.clone()]).remove(0);
    assert!(s
        .export_analysis(&req, OutputFormat::Json, &granted)
        .is_err());
    let r = s
        .export_analysis(&req, OutputFormat::Csv, &granted)
        .unwrap();
    assert_eq!(r.rows, t.total_rows);
    let text = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(text.lines().count() as u64, t.total_rows + 1);
    assert!(text.starts_with("period,start,group,count,total,share,low_total"));
    let png = s.grant(vec![out.join("timeline.png")]).remove(0);
    s.export_analysis(&req, OutputFormat::Png, &png).unwrap();
    assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));
    let pq = s.grant(vec![out.join("t.parquet")]).remove(0);
    s.export_analysis(&req, OutputFormat::Parquet, &pq).unwrap();
    assert!(std::fs::read(&pq).unwrap().starts_with(b"PAR1"));
    let kwic_svg = s.grant(vec![out.join("k.svg")]).remove(0);
    let no_chart = s.export_analysis(
        &AnalysisEntry {
            kind: Kind::Kwic,
            node: Some("security".into()),
            ..Default::default()
        },
        OutputFormat::Svg,
        &kwic_svg,
    );
    assert!(no_chart.unwrap_err().to_string().contains("no chart"));

    // Saved to the project: `broadsheet run` reads the same entry.
    let saved = s.save_analysis(&req).unwrap();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].name, "security-by-outlet");
    let again = s.save_analysis(&req).unwrap();
    assert_eq!(again.len(), 1, "the same name replaces");
    let p = broadsheet_project::Project::open(&tmp.path().join("study")).unwrap();
    let e = &p.file.analyses[0];
    assert_eq!(e.kind, broadsheet_analysis::Kind::Timeline);
    assert_eq!(e.concepts, vec!["regional security".to_string()]);
    assert_eq!(e.by, Some(By::Source));
    assert_eq!(e.formats, vec![OutputFormat::Csv, OutputFormat::Svg]);
    assert_eq!(p.file.concepts.len(), 1, "the concepts are kept");
    assert!(s
        .save_analysis(&AnalysisEntry {
            concepts: vec!["nothing".into()],
            ..req.clone()
        })
        .is_err());

    // The precision audit of the concept.
    let audit = s
        .run_analysis(&AnalysisEntry {
            kind: Kind::Audit,
            concepts: vec!["regional security".into()],
            sample: Some(5),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(audit.total_rows, 5);

    // Deleting a concept.
    assert!(s.delete_concept("regional security").unwrap().is_empty());
    assert!(s.delete_concept("regional security").is_err());
}

#[test]
fn terms_keyness_collocations_and_regions() {
    let tmp = tempfile::tempdir().unwrap();
    let s = project(tmp.path());
    let terms = s
        .run_analysis(&AnalysisEntry {
            kind: Kind::Terms,
            n: Some(2),
            limit: Some(20),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(terms.total_rows, 20);
    assert!(terms.chart_svg.is_some());
    let ti = col(&terms, "term");
    assert!(terms.rows[0][ti].as_str().unwrap().contains(' '));

    let key = s
        .run_analysis(&AnalysisEntry {
            kind: Kind::Keyness,
            subcorpus: SubcorpusEntry {
                sources: vec!["Steppe Herald".into()],
                ..Default::default()
            },
            reference: Some(SubcorpusEntry {
                sources: vec!["Caspian Wire".into()],
                ..Default::default()
            }),
            limit: Some(10),
            ..Default::default()
        })
        .unwrap();
    assert!(key.total_rows > 0);
    assert!(key.chart_svg.is_some());

    let coll = s
        .run_analysis(&AnalysisEntry {
            kind: Kind::Collocations,
            node: Some("security".into()),
            ..Default::default()
        })
        .unwrap();
    assert!(coll.total_rows > 0);
    assert!(coll.chart_svg.is_none());

    let regions = s
        .run_analysis(&AnalysisEntry {
            kind: Kind::Regions,
            period: Some(Period::Year),
            ..Default::default()
        })
        .unwrap();
    assert!(regions.total_rows > 0);
    assert!(regions.chart_svg.unwrap().contains("<svg"));

    // Errors are for people.
    let e = s
        .run_analysis(&AnalysisEntry {
            kind: Kind::Kwic,
            node: Some("(security".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(e.reply().kind, "query");
}

/// The session keeps what analyses loaded (metadata, dictionary, word maps) between analyses;
/// an import must make the next analysis see the new articles, not the kept metadata.
#[test]
fn analyses_after_an_import_see_the_new_articles() {
    let tmp = tempfile::tempdir().unwrap();
    let s = project(tmp.path());
    let words = |s: &Session| -> (u64, u64) {
        let r = s
            .run_analysis(&AnalysisEntry {
                kind: Kind::Terms,
                limit: Some(0),
                ..Default::default()
            })
            .unwrap();
        let (ti, fi) = (col(&r, "term"), col(&r, "freq"));
        let freq = |w: &str| {
            r.rows
                .iter()
                .find(|row| row[ti].as_str() == Some(w))
                .and_then(|row| row[fi].as_u64())
                .unwrap_or(0)
        };
        (freq("zzqx"), freq("security"))
    };
    let before = words(&s);
    assert_eq!(before.0, 0);
    // Twice, so the second analysis runs on what the first one loaded.
    assert_eq!(words(&s), before);
    let f = tmp.path().join("more.jsonl");
    std::fs::write(
        &f,
        r#"{"headline": "Zzqx zzqx", "text": "Zzqx security zzqx.", "date": "2020-01-02", "outlet": "Steppe Herald", "url": "https://steppe.example/zzqx"}"#,
    )
    .unwrap();
    let paths = s.grant(vec![f]);
    let job = s
        .start_import(
            &ImportOptions {
                paths,
                ..ImportOptions::default()
            },
            Arc::new(|_| {}),
        )
        .unwrap();
    s.jobs().wait(job);
    assert_eq!(words(&s), (4, before.1 + 1));
}
