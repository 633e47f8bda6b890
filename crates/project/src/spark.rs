//! `broadsheet run --engine spark`: the project's analyses computed by Apache Spark over the
//! shards `broadsheet convert` wrote, written to `outputs/` in the same formats as a local run,
//! with a `manifest.json` that names the engine, the master and the shards. The local corpus is
//! not read: the shards are the data.

use std::path::Path;

use serde_json::{json, Value};

use broadsheet_spark::{Engine, Job};

use crate::app::{entry_settings, stop_word_note, Analysed};
use crate::run::{manifest_entry, outputs_dir, write_outputs, RunReport};
use crate::{Project, ProjectError, FORMAT_VERSION};

/// Runs every analysis of the project on Spark (`master`: `local[2]`, `spark://host:7077`)
/// over the shards in `data`. Analyses Spark does not compute are an error naming each, after
/// the others are written.
pub fn run_on_spark(
    p: &Project,
    master: &str,
    data: &Path,
    progress: &dyn Fn(&str),
) -> Result<RunReport, ProjectError> {
    let engine = Engine::new(master, data).map_err(spark)?;
    let concepts = p.concepts();
    let jobs: Vec<Job> = p
        .file
        .analyses
        .iter()
        .map(|a| Job {
            entry: a.clone(),
            settings: entry_settings(&p.file.text, a),
            concepts: concepts.clone(),
        })
        .collect();
    let computed = broadsheet_spark::compute(&engine, &jobs, progress).map_err(spark)?;
    let out_dir = outputs_dir(p);
    std::fs::create_dir_all(&out_dir).map_err(|source| ProjectError::Io {
        path: out_dir.display().to_string(),
        source,
    })?;
    let mut report = RunReport {
        rebuilt_corpus: false,
        changes: Vec::new(),
        analyses: Vec::new(),
        outputs: Vec::new(),
    };
    let mut manifest_analyses = Vec::new();
    let mut failed = Vec::new();
    for (job, (table, settings)) in jobs.iter().zip(computed.tables) {
        let a = &job.entry;
        let mut table = match table {
            Ok(t) => t,
            Err(e) => {
                failed.push(e.to_string());
                continue;
            }
        };
        if a.kind.counts_words() {
            table = table.note("stop_words", stop_word_note(&settings));
        }
        let done = Analysed {
            entry: a.clone(),
            table,
        };
        let outs = write_outputs(&out_dir, &done)?;
        manifest_analyses.push(manifest_entry(&done, &outs));
        report.analyses.push(a.name.clone());
        report.outputs.extend(outs);
    }
    let manifest = json!({
        "broadsheet_version": broadsheet_store::VERSION,
        "format_version": FORMAT_VERSION,
        "project": p.file.name,
        "engine": {
            "name": "spark",
            "master": master,
            "data": engine.data,
            "shards": shards(&engine.data),
            "spark": computed.spark,
        },
        "text": p.file.text,
        "concepts": p.file.concepts,
        "corpus": { "languages": computed.languages },
        "analyses": manifest_analyses,
    });
    let path = out_dir.join("manifest.json");
    let mut text = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    text.push('\n');
    std::fs::write(&path, text).map_err(|source| ProjectError::Io {
        path: path.display().to_string(),
        source,
    })?;
    if !failed.is_empty() {
        return Err(ProjectError::Engine(format!(
            "not computed on Spark (the other analyses are written):\n  {}",
            failed.join("\n  ")
        )));
    }
    Ok(report)
}

fn spark(e: broadsheet_spark::SparkError) -> ProjectError {
    ProjectError::Engine(e.to_string())
}

/// The shards in `data`, from the reports `broadsheet convert` left in `_shards/`, by name.
fn shards(data: &Path) -> Vec<Value> {
    let mut out: Vec<Value> = std::fs::read_dir(data.join("_shards"))
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .filter_map(|t| serde_json::from_str::<Value>(&t).ok())
        .map(|r| json!({"shard": r["shard"], "input": r["input"], "stored": r["stored"], "skipped": r["skipped"]}))
        .collect();
    out.sort_by(|a, b| a["shard"].as_str().cmp(&b["shard"].as_str()));
    out
}
