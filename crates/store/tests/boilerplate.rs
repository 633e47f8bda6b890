//! Source boilerplate: a footer, a subscription line and an "Advertisement" insert repeated in a
//! source's articles are found after the import, listed with their counts, and left out of
//! search, term vectors, place tags and the text analyses read; the stored body keeps them, and
//! the project's settings turn the rule off, keep lines or add lines.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use broadsheet_lexis::BoilerplateSettings;
use broadsheet_store::{
    import, ImportReport, ImportRequest, SearchRequest, Sort, Store, Subcorpus,
};

const SUBSCRIBE: &str = "Steppe Times is on Telegram: t.me/steppetimes";
const ADDRESS: &str = "Contact the newsroom at 12 Abai Avenue, Almaty, Kazakhstan";

/// Twelve articles of one outlet, each ending with the same two footer lines; five carry an
/// "Advertisement" line inside; one is about Telegram, two are about Kazakhstan.
fn steppe_times(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let topics = [
        "Kyrgyz border guards reported a shooting near Batken on Monday.",
        "Telegram was blocked in Tajikistan for a week, users said.",
        "Kazakhstan raised fuel prices in the west of the country.",
        "Uzbek officials met their Afghan counterparts in Termez.",
        "A Kazakhstan court sentenced two activists on Friday.",
        "Tajik and Kyrgyz delegations resumed talks on the border.",
        "Turkmen gas exports to China rose in the first quarter.",
        "The CSTO held exercises in the Pamir mountains.",
        "Floods damaged roads in the Fergana valley.",
        "Uzbekistan opened a new railway to the Afghan border.",
        "The SCO summit ended with a joint statement on security.",
        "Bishkek hosted a conference on water management.",
    ];
    for (i, t) in topics.iter().enumerate() {
        let ad = if i % 2 == 0 && i < 10 {
            "\nAdvertisement\n"
        } else {
            "\n"
        };
        let text = format!(
            "Story number {i}\n\n{t}\n{ad}\nOfficials gave no further details on day {i}.\n\n{SUBSCRIBE}\n{ADDRESS}\n"
        );
        std::fs::write(dir.join(format!("story-{i:02}.txt")), text).unwrap();
    }
}

struct Fixture {
    _tmp: tempfile::TempDir,
    dir: std::path::PathBuf,
    store: Store,
    report: ImportReport,
}

fn fixture(settings: BoilerplateSettings) -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("steppe_times");
    steppe_times(&dir);
    let mut store = Store::open(&tmp.path().join("corpus.sqlite")).unwrap();
    let req = ImportRequest {
        boilerplate: settings,
        ..ImportRequest::new(vec![dir.clone()], Default::default())
    };
    let report = import(&mut store, &req, &(), &AtomicBool::new(false)).unwrap();
    Fixture {
        _tmp: tmp,
        dir,
        store,
        report,
    }
}

fn hits(store: &Store, q: &str) -> u64 {
    store
        .search(&SearchRequest {
            subcorpus: Subcorpus::query_only(q),
            sort: Sort::Date,
            limit: 100,
            offset: 0,
        })
        .unwrap()
        .total
}

fn tagged(store: &Store, place: &str) -> i64 {
    store
        .connection()
        .query_row(
            "SELECT count(*) FROM article_places WHERE place = ?1",
            [place],
            |r| r.get(0),
        )
        .unwrap()
}

/// How many articles count `term` in their term vectors.
fn counted(store: &Store, term: &str) -> usize {
    let dict = store.term_dictionary().unwrap();
    let Some(id) = dict.iter().position(|t| t == term) else {
        return 0;
    };
    let mut n = 0;
    store
        .for_each_term_vector(None, |_, _, blob| {
            let mut has = false;
            broadsheet_store::derive::decode_terms(blob, |t, _| has |= t as usize == id);
            n += usize::from(has);
        })
        .unwrap();
    n
}

fn set(store: &mut Store, s: &BoilerplateSettings) -> u64 {
    store
        .ensure_boilerplate(s, &|_, _| {}, &AtomicBool::new(false))
        .unwrap()
        .rederived
}

#[test]
fn site_footer_is_detected_and_left_out_of_search_and_counts() {
    let f = fixture(BoilerplateSettings::default());
    let lines: Vec<(String, u64, u64)> = f
        .report
        .boilerplate
        .iter()
        .map(|l| (l.line.clone(), l.articles, l.source_articles))
        .collect();
    assert_eq!(
        lines,
        [
            (ADDRESS.to_string(), 12, 12),
            (SUBSCRIBE.to_string(), 12, 12),
            ("Advertisement".to_string(), 5, 12),
        ]
    );
    assert_eq!(f.report.boilerplate_rederived, 12);
    // Search, counts and places see the articles' own text only.
    assert_eq!(hits(&f.store, "telegram"), 1);
    assert_eq!(hits(&f.store, "abai"), 0);
    assert_eq!(hits(&f.store, "advertisement"), 0);
    assert_eq!(counted(&f.store, "abai"), 0);
    assert_eq!(counted(&f.store, "telegram"), 1);
    assert_eq!(
        tagged(&f.store, "KZ"),
        2,
        "the address named Kazakhstan in every article"
    );
    // The stored body keeps the lines; the text analyses read has none.
    let id: i64 = f
        .store
        .connection()
        .query_row(
            "SELECT id FROM articles WHERE title = 'Story number 0'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let detail = f.store.article(id).unwrap();
    assert!(detail.body.ends_with(ADDRESS));
    assert_eq!(detail.boilerplate, ["Advertisement", SUBSCRIBE, ADDRESS]);
    let (_, body, _) = f.store.article_text(id).unwrap();
    assert_eq!(
        body,
        "Kyrgyz border guards reported a shooting near Batken on Monday.\n\nOfficials gave no further details on day 0."
    );
    f.store.check_integrity().unwrap();
}

#[test]
fn the_project_settings_turn_the_rule_off_keep_and_add_lines() {
    let mut f = fixture(BoilerplateSettings::default());
    let off = BoilerplateSettings {
        detect: false,
        ..BoilerplateSettings::default()
    };
    assert_eq!(set(&mut f.store, &off), 12);
    assert_eq!(hits(&f.store, "telegram"), 12);
    assert_eq!(tagged(&f.store, "KZ"), 12);
    assert!(f.store.boilerplate_lines().unwrap().is_empty());
    // Nothing changed: nothing to do.
    assert_eq!(set(&mut f.store, &off), 0);

    let keep = BoilerplateSettings {
        keep: vec![format!("  {SUBSCRIBE} ")],
        ..BoilerplateSettings::default()
    };
    assert_eq!(set(&mut f.store, &keep), 12);
    assert_eq!(
        hits(&f.store, "telegram"),
        12,
        "the kept line is searchable"
    );
    assert_eq!(hits(&f.store, "abai"), 0);
    let origins: Vec<_> = f
        .store
        .boilerplate_lines()
        .unwrap()
        .iter()
        .map(|l| format!("{:?} {}", l.origin, l.line))
        .collect();
    assert!(
        origins.contains(&format!("Kept {SUBSCRIBE}")),
        "{origins:?}"
    );

    let add = BoilerplateSettings {
        detect: false,
        add: vec!["Officials gave no further details on day 3.".into()],
        ..BoilerplateSettings::default()
    };
    assert_eq!(set(&mut f.store, &add), 12);
    assert_eq!(
        hits(&f.store, "further"),
        11,
        "the added line is left out of its article"
    );
    assert_eq!(hits(&f.store, "telegram"), 12);
    f.store.check_integrity().unwrap();
}

#[test]
fn a_later_import_uses_the_known_lines_without_rederiving() {
    let mut f = fixture(BoilerplateSettings::default());
    let more = f.dir.join("story-99.txt");
    std::fs::write(
        &more,
        format!("Story number 99\n\nA new story from Osh.\n\n{SUBSCRIBE}\n{ADDRESS}\n"),
    )
    .unwrap();
    let recipe = broadsheet_ingest::Recipe {
        source: Some("steppe_times".into()),
        ..Default::default()
    };
    let req = ImportRequest::new(vec![more], recipe);
    let r = import(&mut f.store, &req, &(), &AtomicBool::new(false)).unwrap();
    assert_eq!(r.stored, 1);
    // The new article was indexed without the lines at once; the set did not change.
    assert_eq!(r.boilerplate_rederived, 0);
    assert_eq!(hits(&f.store, "abai"), 0);
    assert_eq!(hits(&f.store, "osh"), 1);
    // Counts moved from 12 to 13 of 13.
    assert!(r
        .boilerplate
        .iter()
        .any(|l| l.line == ADDRESS && l.articles == 13));
}

/// A source too large to count every line exactly is sampled first: the footer is still found,
/// with its exact count, and the outcome is the same on every run.
#[test]
fn large_sources_are_sampled_then_counted_exactly() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("wire.jsonl");
    let mut lines = String::new();
    for i in 0..6_000 {
        let footer = if i % 3 == 0 {
            ""
        } else {
            "\\nDistributed by Wire Service"
        };
        lines.push_str(&format!(
            "{{\"title\": \"Item {i}\", \"text\": \"Report number {i} on the markets.{footer}\", \"source\": \"Wire\"}}\n"
        ));
    }
    std::fs::write(&path, lines).unwrap();
    let run = || {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("c.sqlite")).unwrap();
        let req = ImportRequest::new(vec![path.clone()], Default::default());
        let r = import(&mut store, &req, &(), &AtomicBool::new(false)).unwrap();
        let got: Vec<_> = r
            .boilerplate
            .iter()
            .map(|l| (l.line.clone(), l.articles))
            .collect();
        (got, hits(&store, "distributed"))
    };
    let first = run();
    assert_eq!(
        first.0,
        [("Distributed by Wire Service".to_string(), 4_000)]
    );
    assert_eq!(first.1, 0);
    assert_eq!(run(), first);
}

/// A corpus derived by an earlier Broadsheet (derivation 4, before line keys) has no keys of
/// its articles' lines after the migration to schema 5: unless the derivation is redone, source
/// boilerplate is never found in it. Simulated by removing the keys and the lines and marking
/// the corpus as derived by version 4.
#[test]
fn a_corpus_derived_before_line_keys_gets_them_and_its_boilerplate() {
    let f = fixture(BoilerplateSettings::default());
    let path = f.dir.parent().unwrap().join("corpus.sqlite");
    drop(f.store);
    let count = |c: &rusqlite::Connection, table: &str| -> i64 {
        c.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    };
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(
            "DELETE FROM article_lines; DELETE FROM boilerplate;
             UPDATE meta SET value = '4' WHERE key = 'derived_version';",
        )
        .unwrap();
        assert_eq!(count(&c, "article_lines"), 0);
    }
    let mut store = Store::open(&path).unwrap();
    let n = store
        .ensure_derived(&|_, _| {}, &AtomicBool::new(false))
        .unwrap();
    assert_eq!(n, 12, "every article derived again");
    assert_eq!(count(store.connection(), "article_lines"), 12);
    set(&mut store, &BoilerplateSettings::default());
    assert_eq!(count(store.connection(), "boilerplate"), 3);
    assert_eq!(hits(&store, "abai"), 0);
}
