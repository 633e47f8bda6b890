//! What the Spark tests share: the example project with more analyses, its sources converted
//! to shards, CSV tables compared with a tolerance for floats, and a standalone cluster.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use broadsheet_project::convert::convert;
use broadsheet_project::Project;

/// Analyses beyond the example project's, for the query language and the series kinds.
pub const MORE: &str = r#"
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
name = "dated-and-named-sources"
kind = "timeline"
match = 'date:2016..2021-06 AND (source:"steppe herald" OR section:World OR Taliban)'
by = "source"
period = "year"

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

pub fn skip() -> bool {
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
pub fn example() -> (tempfile::TempDir, PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../datasets");
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root.join("demo"), &dir.path().join("demo"));
    let proj = dir.path().join("regional-security");
    std::fs::create_dir_all(&proj).unwrap();
    let text = std::fs::read_to_string(root.join("regional-security/broadsheet.toml")).unwrap();
    std::fs::write(proj.join("broadsheet.toml"), text + MORE).unwrap();
    (dir, proj)
}

pub fn copy_dir(from: &Path, to: &Path) {
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
pub fn shards(p: &Project, out: &Path) {
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
pub fn csv(path: &Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(split_csv)
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
pub fn assert_same(name: &str, local: &[Vec<String>], spark: &[Vec<String>]) {
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

/// A standalone Spark cluster on loopback (scripts/spark-cluster.sh), stopped when dropped.
pub struct Cluster {
    dir: tempfile::TempDir,
    port: String,
}

impl Cluster {
    fn script() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/spark-cluster.sh")
    }

    pub fn start(port: u16) -> (Cluster, String) {
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
