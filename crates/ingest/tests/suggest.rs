//! Recipe suggestions on real collections: each shared corpus imported without a recipe gets
//! its own built-in recipe suggested, and only that one (a corpus no recipe changes gets none);
//! the API-shaped fixtures in `tests/fixtures/api/` (NewsAPI, the Guardian, the NYT, GDELT, …)
//! get none. The corpora are found by `broadsheet-testdata` (`$BROADSHEET_CORPORA`).

use std::path::PathBuf;
use std::time::Instant;

use broadsheet_ingest::suggest::suggest_recipes;

/// Each shared corpus and the recipe it must be told about (`None`: no suggestion).
const CORPORA: &[(&str, Option<&str>)] = &[
    ("bbc_news", Some("bbc_news")),
    ("farsnews_persian", Some("farsnews_persian")),
    ("huffpost_news_category", Some("huffpost_news_category")),
    ("presstv_seed", Some("presstv")),
    ("readability_news_html", Some("readability_html")),
    ("reuters21578", Some("reuters21578")),
    // The feeds are read the same with the `rss` recipe as without: nothing to suggest.
    ("rss_xml_feeds", None),
    ("ru_telegram_news", Some("ru_telegram_news")),
];

#[test]
fn each_shared_corpus_is_told_its_own_recipe_and_no_other() {
    let mut failures = Vec::new();
    for (corpus, want) in CORPORA {
        let Some(path) = broadsheet_testdata::corpus(corpus) else {
            return;
        };
        let got = suggest_recipes(&[path]);
        let names: Vec<&str> = got.iter().map(|s| s.name.as_str()).collect();
        let expected: Vec<&str> = want.iter().copied().collect();
        if names != expected {
            failures.push(format!("{corpus}: expected {expected:?}, got {got:#?}"));
        } else if let Some(s) = got.first() {
            println!("{corpus}: {s:#?}");
            if s.changes.is_empty() || s.matched_fields.is_empty() {
                failures.push(format!("{corpus}: a thin suggestion: {s:#?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The complaint, pinned: HuffPost without a recipe gets several sources and many
/// languages, and the suggestion says the recipe names one source and declares English.
#[test]
fn huffpost_suggestion_names_one_source_and_the_language() {
    let Some(path) = broadsheet_testdata::corpus("huffpost_news_category") else {
        return;
    };
    let got = suggest_recipes(&[path]);
    let s = &got[0];
    assert!(
        s.changes
            .iter()
            .any(|c| c.starts_with("sets the source to “HuffPost”")),
        "{s:#?}"
    );
    assert!(
        s.changes
            .iter()
            .any(|c| c.starts_with("declares the language en")),
        "{s:#?}"
    );
}

#[test]
fn api_exports_get_no_suggestion() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/api");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 10, "{files:?}");
    for f in files {
        let got = suggest_recipes(std::slice::from_ref(&f));
        assert!(got.is_empty(), "{}: {got:#?}", f.display());
    }
}

/// The cost of a suggestion on the largest file of the shared corpora (median of 5 runs).
/// Run with `cargo test -p broadsheet-ingest --release --test suggest -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement: run it by name"]
fn measure_suggest_cost_on_the_largest_shared_file() {
    let Ok(root) = broadsheet_testdata::locate() else {
        eprintln!("SKIPPED: the shared corpora are missing");
        return;
    };
    let largest = walk(&root)
        .into_iter()
        .max_by_key(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .unwrap();
    let size = std::fs::metadata(&largest).unwrap().len();
    let mut runs = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let got = suggest_recipes(std::slice::from_ref(&largest));
        runs.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(!got.is_empty());
    }
    runs.sort_by(f64::total_cmp);
    println!(
        "suggest_recipes on {} ({size} bytes): median {:.1} ms of 5 runs {runs:.1?}",
        largest.display(),
        runs[2]
    );
    let corpus = root.join("reuters21578");
    let t = Instant::now();
    suggest_recipes(&[corpus]);
    println!(
        "suggest_recipes on reuters21578 (27 MB folder): {:.1} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
}

fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
