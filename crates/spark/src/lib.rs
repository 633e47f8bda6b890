//! A project's analyses on Apache Spark, over the Parquet shards `broadsheet convert` writes.
//!
//! Spark does what grows with the corpus — selecting subcorpora, joining term counts, grouping
//! and counting — in Spark SQL compiled here ([`sql`], [`jobs`]); the small tables it returns
//! are finished by the same functions the desktop engine ends in (the timeline's grid and
//! shares, the word list's statistics, keyness's join and scores), so both give the same
//! numbers. What Spark cannot compute yet is an error naming the analysis, never another number.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use broadsheet_analysis::{AnalysisEntry, AnalysisError, ConceptSet, Table};
use broadsheet_lexis::TextSettings;

mod driver;
pub mod jobs;
pub mod sql;

/// Why the Spark engine could not compute something.
#[derive(Debug, thiserror::Error)]
pub enum SparkError {
    /// The analysis (or part of its query) is one the Spark engine does not compute.
    #[error("{0}")]
    Unsupported(String),
    /// The analysis's query or filters are wrong.
    #[error("{0}")]
    Query(String),
    /// Spark reported an error, or the driver failed.
    #[error("Spark: {0}")]
    Driver(String),
    /// Spark's Python or the data is missing.
    #[error("{0}")]
    Setup(String),
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Analysis(#[from] AnalysisError),
}

pub type Result<T> = std::result::Result<T, SparkError>;

/// Where and how analyses run: Spark's Python (with pyspark), the master (`local[2]`,
/// `spark://host:7077`), the folder of shards, and Spark settings.
#[derive(Debug, Clone)]
pub struct Engine {
    pub python: PathBuf,
    pub master: String,
    pub data: PathBuf,
    pub conf: BTreeMap<String, String>,
}

impl Engine {
    /// An engine on `master` over the shards in `data`, with the Python that
    /// `scripts/install-deps.sh` installs pyspark into (or `BROADSHEET_PYTHON`).
    pub fn new(master: &str, data: &Path) -> Result<Engine> {
        if !data.join("articles").is_dir() {
            return Err(SparkError::Setup(format!(
                "{}: no shards here (an `articles` folder); write them with `broadsheet convert INPUT… --out {}`",
                data.display(),
                data.display()
            )));
        }
        let data = data.canonicalize().map_err(|source| SparkError::Io {
            path: data.display().to_string(),
            source,
        })?;
        let mut conf = BTreeMap::new();
        conf.insert("spark.sql.shuffle.partitions".into(), "8".into());
        if master.starts_with("local") {
            // In local mode the executors are the driver's threads: give them room.
            conf.insert("spark.driver.memory".into(), "4g".into());
        }
        if master.starts_with("spark://") {
            // A cluster's executors register after the session starts: wait for all of them
            // (a minute at most) so that the first queries already run on every worker.
            conf.insert(
                "spark.scheduler.minRegisteredResourcesRatio".into(),
                "1.0".into(),
            );
            conf.insert(
                "spark.scheduler.maxRegisteredResourcesWaitingTime".into(),
                "60s".into(),
            );
        }
        Ok(Engine {
            python: python()?,
            master: master.to_string(),
            data,
            conf,
        })
    }
}

/// Spark's Python: `BROADSHEET_PYTHON`, else the venv `scripts/install-deps.sh` makes
/// (`BROADSHEET_SPARK_VENV`, default `~/.cache/broadsheet/spark-venv`).
pub fn python() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os("BROADSHEET_PYTHON") {
        return Ok(PathBuf::from(p));
    }
    let venv = std::env::var_os("BROADSHEET_SPARK_VENV")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/broadsheet/spark-venv"))
        })
        .unwrap_or_default();
    let python = venv.join("bin/python");
    if python.is_file() {
        Ok(python)
    } else {
        Err(SparkError::Setup(format!(
            "Spark's Python is not installed ({} is missing): run scripts/install-deps.sh, or set BROADSHEET_PYTHON to a Python with pyspark",
            python.display()
        )))
    }
}

/// One analysis to compute: the entry, its text settings before `auto` stop words are
/// resolved (they are resolved to the languages of the shards), and the project's concepts.
pub struct Job {
    pub entry: AnalysisEntry,
    pub settings: TextSettings,
    pub concepts: ConceptSet,
}

/// What a run computed: each job's table (or why not) with the settings it ran with, the
/// languages of the shards, and what Spark said about the run (master, version, executors).
pub struct Computed {
    pub tables: Vec<(Result<Table>, TextSettings)>,
    pub languages: Vec<String>,
    pub spark: serde_json::Value,
}

pub use jobs::compute;
