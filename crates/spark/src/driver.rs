//! One submission to Spark: the plan (queries in order, small views) written as JSON beside the
//! embedded PySpark driver (`driver.py`), run with Spark's Python, and the result rows read
//! back from the JSON Lines files it writes.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{json, Map, Value};

use crate::{Engine, Result, SparkError};

/// The PySpark driver, written next to each plan.
const DRIVER: &str = include_str!("../driver.py");

/// The Parquet tables a plan reads (folders of `broadsheet convert`'s layout).
const TABLES: [&str; 4] = ["articles", "term_counts", "places", "search_terms"];

/// The view every query reads instead of `articles`: one row per identity, as a project's
/// corpus stores an article once however many inputs hold it (the copy in the shard whose
/// name sorts first is kept).
const CORPUS_VIEW: &str = "CREATE OR REPLACE TEMPORARY VIEW corpus AS
SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY identity ORDER BY shard, id) AS copy_no FROM articles)
WHERE copy_no = 1";

/// A small table handed to Spark as JSON Lines with its schema.
pub struct View {
    pub name: String,
    pub schema: String,
    pub rows: Vec<Value>,
}

/// What one submission runs.
#[derive(Default)]
pub struct Plan {
    pub queries: Vec<(String, String)>,
    pub views: Vec<View>,
}

impl Plan {
    pub fn query(&mut self, name: impl Into<String>, sql: impl Into<String>) {
        self.queries.push((name.into(), sql.into()));
    }
}

/// Result rows by query name, and what the driver said about the run.
pub struct Results {
    pub rows: BTreeMap<String, Vec<Map<String, Value>>>,
    pub info: Value,
}

impl Results {
    /// The rows of a query (none when it was not in the plan).
    pub fn of(&self, name: &str) -> &[Map<String, Value>] {
        self.rows.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The first row of a query (a query of totals has one), empty when there is none.
    pub fn first(&self, name: &str) -> Map<String, Value> {
        self.of(name).first().cloned().unwrap_or_default()
    }
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> SparkError + '_ {
    move |source| SparkError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Submits a plan and reads its results. Lines the driver prints about its progress go to
/// `progress`.
pub fn submit(engine: &Engine, plan: Plan, progress: &dyn Fn(&str)) -> Result<Results> {
    let work = tempfile::tempdir().map_err(io(Path::new("a temporary folder")))?;
    let dir = work.path();
    let driver = dir.join("driver.py");
    std::fs::write(&driver, DRIVER).map_err(io(&driver))?;
    let mut views = Vec::new();
    for v in &plan.views {
        let path = dir.join(format!("{}.jsonl", v.name));
        let text: String = v.rows.iter().map(|r| format!("{r}\n")).collect();
        std::fs::write(&path, text).map_err(io(&path))?;
        views.push(json!({"name": v.name, "path": path, "schema": v.schema}));
    }
    let mut queries = vec![json!({"name": "corpus-view", "sql": CORPUS_VIEW})];
    queries.extend(
        plan.queries
            .iter()
            .map(|(name, sql)| json!({"name": name, "sql": sql})),
    );
    let out = dir.join("out");
    let plan_json = json!({
        "app_name": "broadsheet run",
        "master": engine.master,
        "data": engine.data,
        "tables": TABLES,
        "conf": engine.conf,
        "views": views,
        "queries": queries,
        "out": out,
    });
    let plan_path = dir.join("plan.json");
    std::fs::write(&plan_path, plan_json.to_string()).map_err(io(&plan_path))?;
    run_driver(engine, &driver, &plan_path, progress)?;
    let mut rows = BTreeMap::new();
    for (name, _) in &plan.queries {
        rows.insert(name.clone(), read_rows(&out.join(format!("{name}.jsonl")))?);
    }
    let info_path = out.join("_run.json");
    let info = std::fs::read_to_string(&info_path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(Value::Null);
    Ok(Results { rows, info })
}

fn run_driver(engine: &Engine, driver: &Path, plan: &Path, progress: &dyn Fn(&str)) -> Result<()> {
    let mut child = Command::new(&engine.python)
        .arg(driver)
        .arg(plan)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            SparkError::Setup(format!(
                "could not start Spark's Python ({}): {e}; run scripts/install-deps.sh or set BROADSHEET_PYTHON",
                engine.python.display()
            ))
        })?;
    let mut error = None;
    let mut tail: Vec<String> = Vec::new();
    if let Some(stderr) = child.stderr.take() {
        for line in BufReader::new(stderr)
            .lines()
            .map_while(std::result::Result::ok)
        {
            if let Some(e) = line.strip_prefix("error: ") {
                error = Some(e.to_string());
            } else if line.starts_with("query ") || line.starts_with("session") {
                progress(&line);
            }
            tail.push(line);
            if tail.len() > 20 {
                tail.remove(0);
            }
        }
    }
    let status = child
        .wait()
        .map_err(|e| SparkError::Driver(e.to_string()))?;
    if status.success() {
        return Ok(());
    }
    Err(SparkError::Driver(error.unwrap_or_else(|| {
        format!("the Spark driver failed ({status}):\n{}", tail.join("\n"))
    })))
}

fn read_rows(path: &PathBuf) -> Result<Vec<Map<String, Value>>> {
    let text = std::fs::read_to_string(path).map_err(io(path))?;
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| match serde_json::from_str::<Value>(l) {
            Ok(Value::Object(m)) => Ok(m),
            _ => Err(SparkError::Driver(format!(
                "{}: a result line is not a JSON object",
                path.display()
            ))),
        })
        .collect()
}

/// A column of a result row as an unsigned count (absent or null: 0).
pub fn u64_of(row: &Map<String, Value>, key: &str) -> u64 {
    row.get(key).and_then(Value::as_u64).unwrap_or(0)
}

/// A column as a string (absent or null: empty).
pub fn str_of<'a>(row: &'a Map<String, Value>, key: &str) -> &'a str {
    row.get(key).and_then(Value::as_str).unwrap_or("")
}
