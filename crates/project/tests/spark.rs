//! The same project on Apache Spark: the example project's sources converted to shards, its
//! analyses run by `run_on_spark` in `local[2]`, and every table Spark computes equal to the
//! local engine's (counts and text exactly, shares and scores to 1e-12); the analyses Spark
//! does not compute are an error naming each. Needs Spark's Python (scripts/install-deps.sh
//! installs it); set BROADSHEET_SKIP_SPARK=1 to leave these tests out of a quick loop.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use broadsheet_project::convert::convert;
use broadsheet_project::spark::run_on_spark;
use broadsheet_project::{run, Project, RunOptions};

/// Analyses beyond the example project's, for the query language and the series kinds.
const MORE: &str = r#"
[[analyses]]
name = "phrase-by-country"
kind = "timeline"
match = '"border clash" OR title:Kyrgyz* OR (Taliban AND NOT Afghanistan)'
by = "country"
period = "week"

[[analyses]]
name = "concept-auto-period"
kind = "timeline"
concepts = ["regional security"]
by = "concept"

[[analyses]]
name = "russian-security"
kind = "timeline"
match = "lang:ru AND безопасност*"
by = "none"
period = "month"
subcorpus = { from = "2016", to = "2023-06" }

[[analyses]]
name = "words-all-languages"
kind = "terms"
stop_words = false
limit = 0
subcorpus = { query = "NOT security", places = ["KG"] }

[[analyses]]
name = "keyness-against-reference"
kind = "keyness"
subcorpus = { query = "Taliban", languages = ["en"] }
reference = { query = "trade OR economy", languages = ["en"] }
limit = 0
min_freq = 2
"#;

fn skip() -> bool {
    if std::env::var_os("BROADSHEET_SKIP_SPARK").is_some() {
        eprintln!("BROADSHEET_SKIP_SPARK is set: the Spark tests are left out");
        return true;
    }
    if let Err(e) = broadsheet_spark::python() {
        panic!("{e}\n(set BROADSHEET_SKIP_SPARK=1 to leave the Spark tests out)");
    }
    false
}

/// The example project and the demo corpus, copied to a temporary folder, with [`MORE`].
fn example() -> (tempfile::TempDir, PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../datasets");
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root.join("demo"), &dir.path().join("demo"));
    let proj = dir.path().join("regional-security");
    std::fs::create_dir_all(&proj).unwrap();
    let text = std::fs::read_to_string(root.join("regional-security/broadsheet.toml")).unwrap();
    std::fs::write(proj.join("broadsheet.toml"), text + MORE).unwrap();
    (dir, proj)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// Each source of the project converted to its shard, as a cluster would.
fn shards(p: &Project, out: &Path) {
    for s in &p.file.sources {
        let recipe = p.effective_recipe(s).unwrap();
        convert(
            &[p.source_path(s)],
            &recipe,
            out,
            &(),
            &AtomicBool::new(false),
        )
        .unwrap();
    }
}

/// A CSV output as rows of cells.
fn csv(path: &Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|l| split_csv(l))
        .collect()
}

fn split_csv(line: &str) -> Vec<String> {
    let (mut out, mut cell, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cell)),
            c => cell.push(c),
        }
    }
    out.push(cell);
    out
}

/// Two tables are equal: same shape, same text, numbers within 1e-12 (relative).
fn assert_same(name: &str, local: &[Vec<String>], spark: &[Vec<String>]) {
    assert_eq!(local.len(), spark.len(), "{name}: rows");
    for (i, (a, b)) in local.iter().zip(spark).enumerate() {
        assert_eq!(a.len(), b.len(), "{name}: row {i}");
        for (x, y) in a.iter().zip(b) {
            if x == y {
                continue;
            }
            let (fx, fy): (f64, f64) = match (x.parse(), y.parse()) {
                (Ok(fx), Ok(fy)) => (fx, fy),
                _ => panic!("{name}: row {i}: {x:?} (local) vs {y:?} (spark)\n{a:?}\n{b:?}"),
            };
            let scale = fx.abs().max(fy.abs()).max(1.0);
            assert!(
                (fx - fy).abs() <= 1e-12 * scale,
                "{name}: row {i}: {x} (local) vs {y} (spark)"
            );
        }
    }
}

#[test]
fn the_example_project_on_spark_gives_the_local_numbers() {
    if skip() {
        return;
    }
    let (dir, proj) = example();
    let mut p = Project::open(&proj).unwrap();
    run(&mut p, &RunOptions::default(), &|_| {}).unwrap();
    let local = dir.path().join("local");
    std::fs::rename(proj.join("outputs"), &local).unwrap();
    let data = dir.path().join("shards");
    shards(&p, &data);
    let err = run_on_spark(&p, "local[2]", &data, &|_| {})
        .unwrap_err()
        .to_string();
    // The kinds Spark does not compute are named, each, and nothing else failed.
    for name in [
        "kwic-daesh",
        "collocations-border",
        "dispersion-groups",
        "audit-regional-security",
    ] {
        assert!(err.contains(&format!("analysis `{name}`")), "{err}");
    }
    assert_eq!(err.matches("analysis `").count(), 4, "{err}");
    let mut compared = 0;
    for a in &p.file.analyses {
        let file = format!("{}.csv", a.name);
        let spark = proj.join("outputs").join(&file);
        if !spark.exists() {
            continue;
        }
        assert_same(&a.name, &csv(&local.join(&file)), &csv(&spark));
        compared += 1;
    }
    assert_eq!(compared, 9);
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(proj.join("outputs/manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["engine"]["name"], "spark");
    assert_eq!(manifest["engine"]["shards"].as_array().unwrap().len(), 5);
}

#[test]
fn converting_again_reuses_the_shards() {
    let (dir, proj) = example();
    let p = Project::open(&proj).unwrap();
    let data = dir.path().join("shards");
    let s = &p.file.sources[3];
    let recipe = p.effective_recipe(s).unwrap();
    let first = convert(
        &[p.source_path(s)],
        &recipe,
        &data,
        &(),
        &AtomicBool::new(false),
    )
    .unwrap();
    let again = convert(
        &[p.source_path(s)],
        &recipe,
        &data,
        &(),
        &AtomicBool::new(false),
    )
    .unwrap();
    assert!(!first[0].reused && again[0].reused);
    assert_eq!(first[0].shard, again[0].shard);
    assert_eq!(first[0].stored, 204);
    // Every file of the shard is named after it, in the four tables.
    for f in &first[0].files {
        assert!(
            f.ends_with(&format!("part-{}.parquet", first[0].shard)),
            "{f}"
        );
    }
    for table in ["articles", "term_counts", "places", "search_terms"] {
        assert!(
            first[0].files.iter().any(|f| f.starts_with(table)),
            "{table}"
        );
    }
    // Another recipe is another shard.
    let other = convert(
        &[p.source_path(s)],
        &Default::default(),
        &data,
        &(),
        &AtomicBool::new(false),
    )
    .unwrap();
    assert_ne!(other[0].shard, first[0].shard);
}

/// A standalone Spark cluster on loopback (scripts/spark-cluster.sh), stopped when dropped.
struct Cluster {
    dir: tempfile::TempDir,
    port: String,
}

impl Cluster {
    fn script() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/spark-cluster.sh")
    }

    fn start(port: u16) -> (Cluster, String) {
        let c = Cluster {
            dir: tempfile::tempdir().unwrap(),
            port: port.to_string(),
        };
        let out = std::process::Command::new(Self::script())
            .arg("start")
            .arg(c.dir.path())
            .env("SPARK_MASTER_PORT", &c.port)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(
            out.status.success(),
            "the cluster did not start: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let url = stdout.lines().last().unwrap_or_default().trim().to_string();
        (c, url)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = std::process::Command::new(Self::script())
            .arg("stop")
            .arg(self.dir.path())
            .env("SPARK_MASTER_PORT", &self.port)
            .status();
    }
}

#[test]
fn a_standalone_cluster_of_two_workers_gives_the_local_numbers() {
    if skip() {
        return;
    }
    let (dir, proj) = example();
    // Two analyses: a timeline and keyness (the other kinds are covered in local[2] above).
    let text = std::fs::read_to_string(proj.join("broadsheet.toml")).unwrap();
    let head = &text[..text.find("[[analyses]]").unwrap()];
    let analyses = r#"
[[analyses]]
name = "security-by-outlet"
kind = "timeline"
concepts = ["regional security"]
by = "source"
period = "month"

[[analyses]]
name = "keyness"
kind = "keyness"
subcorpus = { query = "Taliban OR Daesh", languages = ["en"] }
"#;
    std::fs::write(proj.join("broadsheet.toml"), format!("{head}{analyses}")).unwrap();
    let mut p = Project::open(&proj).unwrap();
    run(&mut p, &RunOptions::default(), &|_| {}).unwrap();
    let local = dir.path().join("local");
    std::fs::rename(proj.join("outputs"), &local).unwrap();
    let data = dir.path().join("shards");
    shards(&p, &data);
    let (_cluster, url) = Cluster::start(17_077);
    assert_eq!(url, "spark://127.0.0.1:17077");
    run_on_spark(&p, &url, &data, &|_| {}).unwrap();
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(proj.join("outputs/manifest.json")).unwrap())
            .unwrap();
    // The job ran on the two workers, not in the driver.
    assert_eq!(manifest["engine"]["spark"]["executors"], 2, "{manifest:#}");
    assert_eq!(manifest["engine"]["master"], url.as_str());
    for name in ["security-by-outlet", "keyness"] {
        let file = format!("{name}.csv");
        assert_same(
            name,
            &csv(&local.join(&file)),
            &csv(&proj.join("outputs").join(&file)),
        );
    }
}
