//! Source names on the command line: filters that name a source, language or place that
//! matches nothing are errors listing the closest values, and sources can be renamed and merged
//! (kept in broadsheet.toml, so `run --fresh` reproduces them). Over a tiny fixture of our own.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(project: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .arg("-p")
        .arg(project)
        .args(args)
        .output()
        .unwrap()
}

fn ok(project: &Path, args: &[&str]) -> String {
    let o = run(project, args);
    assert!(
        o.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

fn json(project: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(project, args)).unwrap()
}

/// The one-line error of a command that must fail.
fn fails(project: &Path, args: &[&str]) -> String {
    let o = run(project, args);
    assert!(!o.status.success(), "{args:?} succeeded");
    String::from_utf8(o.stderr).unwrap().trim().to_string()
}

/// Six articles from five sources: one outlet in two languages, one feed under both schemes.
const CSV: &str = "\
source,title,date,language,body
Moscow Times,Border talks,2020-01-05,en,Kyrgyzstan and Tajikistan held border talks in Bishkek.
Moscow Times,Gas prices,2020-02-07,en,Kazakhstan raised gas prices in Almaty.
Moscow Times (Russian),Переговоры,2020-01-06,ru,Кыргызстан и Таджикистан провели переговоры о границе.
Caspian Wire,Caviar,2020-03-02,en,Caviar exports from Baku grew this spring.
http://feeds.kg.example/news,Flood,2020-02-01,en,A flood hit Osh in Kyrgyzstan on Monday.
https://feeds.kg.example/news,Snow,2020-03-01,en,Snow closed the road from Bishkek to Osh in Kyrgyzstan.
";

fn project() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("proj");
    let data = dir.path().join("news.csv");
    std::fs::write(&data, CSV).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .arg("new")
        .arg(&p)
        .output()
        .unwrap();
    assert!(o.status.success());
    let r = json(&p, &["import", data.to_str().unwrap(), "--json"]);
    assert_eq!(r["stored"], 6, "{r}");
    (dir, p)
}

#[test]
fn an_unknown_source_is_an_error_naming_the_closest() {
    let (_d, p) = project();
    for cmd in [
        &["list", "--source", "Moscow Tims"][..],
        &["search", "Kyrgyzstan", "--source", "Moscow Tims"],
        &["terms", "--source", "Moscow Tims"],
        &["timeline", "--source", "Moscow Tims"],
    ] {
        assert_eq!(
            fails(&p, cmd),
            "broadsheet: no source is named \"Moscow Tims\"; closest: \"Moscow Times\", \"Moscow Times (Russian)\"",
            "{cmd:?}"
        );
    }
    let total = json(&p, &["list", "--source", "Moscow Times", "--json"]);
    assert_eq!(total["total"], 2);
}

#[test]
fn an_unknown_language_is_an_error_naming_the_languages_there_are() {
    let (_d, p) = project();
    let e = fails(&p, &["terms", "--language", "German"]);
    assert_eq!(
        e,
        "broadsheet: no article is in language \"German\" (de); closest: \"en\", \"ru\""
    );
    assert!(fails(&p, &["list", "--language", "xx-nonsense"]).contains("closest: \"en\""));
    // Tags and names are normalised before they are compared.
    for l in ["en-US", "English", "en"] {
        assert_eq!(
            json(&p, &["list", "--language", l, "--json"])["total"],
            5,
            "{l}"
        );
    }
}

#[test]
fn an_unknown_place_is_an_error_but_a_place_nobody_mentions_is_zero() {
    let (_d, p) = project();
    let e = fails(&p, &["list", "--place", "Kyrgyzstn"]);
    assert!(
        e.starts_with("broadsheet: no place is named \"Kyrgyzstn\"")
            && e.contains("closest: \"KG\" (Kyrgyzstan)"),
        "{e}"
    );
    assert!(fails(&p, &["timeline", "--place", "centrl-asia"]).contains("\"central-asia\""));
    assert_eq!(json(&p, &["list", "--place", "AQ", "--json"])["total"], 0);
    assert_eq!(json(&p, &["list", "--place", "KG", "--json"])["total"], 4);
}

/// The sources as `broadsheet sources --json` lists them: (name, articles).
fn sources(p: &Path) -> Vec<(String, u64)> {
    json(p, &["sources", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_string(),
                s["articles"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// The series of a timeline by source, with their article totals.
fn timeline_series(p: &Path) -> Vec<(String, u64)> {
    let t = json(
        p,
        &["timeline", "--by", "source", "--period", "year", "--json"],
    );
    let mut out: std::collections::BTreeMap<String, u64> = Default::default();
    for r in t["rows"].as_array().unwrap() {
        *out.entry(r["group"].as_str().unwrap().to_string())
            .or_default() += r["total"].as_u64().unwrap();
    }
    out.into_iter().collect()
}

#[test]
fn sources_renamed_and_merged_stay_so_after_run_fresh() {
    let (_d, p) = project();
    let out = ok(
        &p,
        &[
            "sources",
            "merge",
            "http://feeds.kg.example/news",
            "https://feeds.kg.example/news",
            "--into",
            "KG News",
        ],
    );
    assert!(out.starts_with("Merged \"http://feeds.kg.example/news\", \"https://feeds.kg.example/news\" into \"KG News\": 1 articles moved"), "{out}");
    ok(
        &p,
        &[
            "sources",
            "rename",
            "Moscow Times (Russian)",
            "Moscow Times RU",
        ],
    );
    let want = |kg: &str| {
        vec![
            ("Caspian Wire".to_string(), 1),
            (kg.to_string(), 2),
            ("Moscow Times".to_string(), 2),
            ("Moscow Times RU".to_string(), 1),
        ]
    };
    assert_eq!(sources(&p), want("KG News"));
    assert_eq!(timeline_series(&p), want("KG News"));
    // The old names are gone from filters, and the file says what became of them.
    let e = fails(&p, &["list", "--source", "Moscow Times (Russian)"]);
    assert!(e.contains("closest: \"Moscow Times RU\""), "{e}");
    let toml = std::fs::read_to_string(p.join("broadsheet.toml")).unwrap();
    assert!(
        toml.contains("[source_names]\n")
            && toml.contains("\n\"http://feeds.kg.example/news\" = \"KG News\"\n"),
        "{toml}"
    );
    // A second rename leads every old name to the newest.
    ok(&p, &["sources", "rename", "KG News", "Kyrgyz News"]);
    assert_eq!(sources(&p), want("Kyrgyz News"));
    // `run --fresh` rebuilds the corpus from the inputs and gives the same names, and a saved
    // timeline by source has their series.
    ok(
        &p,
        &[
            "timeline",
            "--by",
            "source",
            "--period",
            "year",
            "--save",
            "by-source",
        ],
    );
    ok(&p, &["run", "--fresh"]);
    assert_eq!(sources(&p), want("Kyrgyz News"));
    assert_eq!(timeline_series(&p), want("Kyrgyz News"));
    let csv = std::fs::read_to_string(p.join("outputs/by-source.csv")).unwrap();
    assert!(
        csv.contains("Kyrgyz News") && !csv.contains("feeds.kg.example"),
        "{csv}"
    );
    // Renaming an unknown source is an error naming the closest.
    let e = fails(&p, &["sources", "rename", "Kyrgyz Nws", "X"]);
    assert!(
        e.contains("no source is named \"Kyrgyz Nws\"; closest: \"Kyrgyz News\""),
        "{e}"
    );
}

/// Issue 16: an outlet whose coverage stops and starts again looks like a change of coverage in
/// a timeline; `sources` says when each source's coverage begins and ends, and its gaps.
#[test]
fn sources_list_their_coverage_and_gaps() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("proj");
    let data = dir.path().join("gaps.csv");
    std::fs::write(
        &data,
        "source,title,date,body\n\
         Aral Review,One,2019-01-10,Text one.\n\
         Aral Review,Two,2019-02-10,Text two.\n\
         Aral Review,Three,2019-07-01,Text three.\n\
         Aral Review,Four,2019-08,Text four.\n\
         Aral Review,Five,2019,Text five.\n\
         Osh Daily,Six,2019-03-03,Text six.\n",
    )
    .unwrap();
    assert!(Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .arg("new")
        .arg(&p)
        .status()
        .unwrap()
        .success());
    ok(&p, &["import", data.to_str().unwrap()]);
    let v = json(&p, &["sources", "--json"]);
    let aral = &v[0];
    assert_eq!(aral["name"], "Aral Review");
    assert_eq!(aral["first_date"], "2019-01-01");
    assert_eq!(aral["last_date"], "2019-08-01");
    // March to June have no article; the year-only article does not fill January.
    assert_eq!(aral["gaps"], serde_json::json!([["2019-03", "2019-06"]]));
    assert_eq!(v[1]["gaps"], serde_json::json!([]));
    let table = ok(&p, &["sources"]);
    assert!(table.contains("2019-03..2019-06"), "{table}");
}
