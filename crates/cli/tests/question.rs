//! Issue 16: the project's question asked in one command — the share of each outlet's articles
//! per month that match the regional-security concept *and* mention a Central Asian country —
//! on the demo corpus and on a generated multi-outlet corpus, each cell checked against an
//! independent count (the same articles listed through the filters instead of the query's
//! metadata terms — `list --source S --place central-asia --query Q` — and counted by month
//! here), and the chart written with
//! its counts, source names, title and coverage.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const CONCEPT: &str = "regional security";
const QUERY: &str = "security OR militant* OR border* OR CSTO";
const MATCH: &str = "concept:\"regional security\" AND place:central-asia";

fn ok(project: &Path, args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .arg("-p")
        .arg(project)
        .args(args)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

fn project_of(inputs: &[PathBuf], dir: &Path) -> PathBuf {
    let p = dir.join("study");
    let o = Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .arg("new")
        .arg(&p)
        .output()
        .unwrap();
    assert!(o.status.success());
    let mut args = vec!["import".to_string()];
    args.extend(inputs.iter().map(|i| i.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    ok(&p, &args);
    ok(&p, &["concepts", "add", CONCEPT, QUERY]);
    p
}

/// The articles `list` finds with these arguments, counted by month (dated to the month or
/// the day; articles dated only to the year have no month).
fn by_month(p: &Path, args: &[&str]) -> BTreeMap<String, u64> {
    let mut all = vec!["list", "--json", "--limit", "1000000"];
    all.extend_from_slice(args);
    let v: serde_json::Value = serde_json::from_str(&ok(p, &all)).unwrap();
    let mut months = BTreeMap::new();
    for a in v["articles"].as_array().unwrap() {
        if let Some(d) = a["date"].as_str().filter(|d| d.len() >= 7) {
            *months.entry(d[..7].to_string()).or_default() += 1;
        }
    }
    months
}

/// Answers the question, checks every dated cell against the filters, and draws the chart.
fn answer_and_check(p: &Path, out: &Path) -> usize {
    let v: serde_json::Value = serde_json::from_str(&ok(
        p,
        &[
            "timeline", "--match", MATCH, "--by", "source", "--period", "month", "--json",
        ],
    ))
    .unwrap();
    let share = v["notes"]["share"].as_str().unwrap();
    assert_eq!(
        share,
        format!("articles matching «{MATCH}» among all articles of the source in the month")
    );
    let rows = v["rows"].as_array().unwrap();
    let sources: Vec<String> = rows
        .iter()
        .map(|r| r["group"].as_str().unwrap().to_string())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut checked = 0;
    let mut matched_total = 0;
    for source in &sources {
        let totals = by_month(p, &["--source", source]);
        let counts = by_month(
            p,
            &[
                "--source",
                source,
                "--place",
                "central-asia",
                "--query",
                QUERY,
            ],
        );
        let cells: BTreeMap<String, (u64, u64)> = rows
            .iter()
            .filter(|r| r["group"] == source.as_str())
            .filter_map(|r| {
                let start = r["start"].as_str().filter(|s| !s.is_empty())?;
                let n = |k: &str| r[k].as_u64().unwrap();
                // Months without articles are on the grid too, at 0 of 0.
                (n("total") > 0).then(|| (start[..7].to_string(), (n("count"), n("total"))))
            })
            .collect();
        for (month, total) in &totals {
            let count = counts.get(month).copied().unwrap_or(0);
            assert_eq!(
                cells.get(month),
                Some(&(count, *total)),
                "{source} {month}: (count, total)"
            );
            matched_total += count;
            checked += 1;
        }
        assert_eq!(
            cells.len(),
            totals.len(),
            "{source}: no other months with articles"
        );
    }
    assert!(matched_total > 0, "the question matches something");
    let svg = out.with_extension("svg");
    ok(
        p,
        &[
            "timeline",
            "--match",
            MATCH,
            "--by",
            "source",
            "--period",
            "month",
            "--show-n",
            "table",
            "--title",
            "Regional security in Central Asia, by outlet",
            "--out",
            svg.to_str().unwrap(),
        ],
    );
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.contains("Regional security in Central Asia, by outlet"));
    for s in &sources {
        assert!(text.contains(s.as_str()), "the chart names {s}");
    }
    checked
}

#[test]
fn the_question_in_one_command_on_the_demo_corpus() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../datasets/demo");
    let inputs: Vec<PathBuf> = std::fs::read_dir(&demo)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.ends_with("README.md"))
        .collect();
    let tmp = tempfile::tempdir().unwrap();
    let p = project_of(&inputs, tmp.path());
    let cells = answer_and_check(&p, &tmp.path().join("demo"));
    assert!(cells > 20, "{cells} cells");
}

#[test]
fn the_question_in_one_command_on_a_generated_corpus() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("synth");
    broadsheet_gen::write_synth(&corpus, 1500, 7).unwrap();
    let p = project_of(&[corpus], tmp.path());
    let cells = answer_and_check(&p, &tmp.path().join("synth"));
    assert!(cells > 20, "{cells} cells");
}

/// Issue 16: a concept across languages copied from the built-in lexicon, from the command line.
#[test]
fn a_concept_copied_from_the_lexicon_keeps_its_terms_per_language() {
    let tmp = tempfile::tempdir().unwrap();
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../datasets/demo/caspian_wire.csv");
    let p = project_of(&[demo], tmp.path());
    let entries: serde_json::Value =
        serde_json::from_str(&ok(&p, &["concepts", "lexicon", "--json"])).unwrap();
    let entries = entries.as_array().unwrap();
    assert!(entries.len() >= 10, "{} entries", entries.len());
    let csto = entries.iter().find(|e| e["id"] == "csto").unwrap();
    ok(&p, &["concepts", "add", "the CSTO", "--lexicon", "csto"]);
    let file = broadsheet_project::Project::open(&p).unwrap().file;
    let c = file.concepts.iter().find(|c| c.name == "the CSTO").unwrap();
    assert_eq!(c.query, csto["query"].as_str().unwrap());
    for (lang, q) in csto["languages"].as_object().unwrap() {
        assert_eq!(
            c.languages.get(lang).map(String::as_str),
            q.as_str(),
            "{lang}"
        );
    }
    // An unknown entry names the ones there are.
    let o = Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .arg("-p")
        .arg(&p)
        .args(["concepts", "add", "x", "--lexicon", "nope"])
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("csto"));
}
