//! `broadsheet convert`: an import without a project. Each input (a file or a folder) goes
//! through the same readers, normalizer and derivations as `broadsheet import`, and comes out
//! as one Parquet shard in the export's layout (with the index's tokens in `search_terms`), so
//! that a cluster can convert its partitions independently and analyse them with Spark.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use broadsheet_analysis::export::{export_corpus_with, ExportOptions};
use broadsheet_ingest::Recipe;
use broadsheet_store::{import, ImportProgress, ImportRequest, ProgressSnapshot, Store};

use crate::ProjectError;

/// What converting one input wrote (also kept as `_shards/<shard>.json` in the output).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ShardReport {
    /// The input as given.
    pub input: String,
    /// The shard's name: a hash of the input's files, the recipe and this Broadsheet's version.
    pub shard: String,
    /// Already converted by an earlier run: nothing was written.
    pub reused: bool,
    pub records_read: u64,
    pub stored: u64,
    /// Records that were the same article as one before them in this input (by identity).
    pub duplicates: u64,
    pub skipped: u64,
    /// Diagnostics by code, and the first of them in full (`file: record: message [code]`).
    pub diagnostic_counts: std::collections::BTreeMap<String, u64>,
    pub diagnostics: Vec<String>,
    pub files: Vec<String>,
    /// Seconds spent importing, preparing (derived data, boilerplate, clusters) and exporting.
    #[serde(default)]
    pub seconds: BTreeMap<String, f64>,
}

/// The recipe an import spec names, with its options over it (as `broadsheet import` reads).
pub fn recipe_of(spec: &crate::app::ImportSpec) -> Result<Recipe, ProjectError> {
    let bad = |path: &Path, message: String| ProjectError::BadFile {
        path: path.display().to_string(),
        message,
    };
    let base = match &spec.recipe {
        crate::RecipeRef::Auto => Recipe::default(),
        crate::RecipeRef::Builtin { name } => broadsheet_ingest::recipe::builtin(name)
            .map_err(|e| bad(Path::new(name), e.to_string()))?,
        crate::RecipeRef::File { path } => {
            let text = std::fs::read_to_string(path).map_err(io(path))?;
            Recipe::from_toml(&text).map_err(|e| bad(path, e.to_string()))?
        }
    };
    Ok(base.overridden_by(&spec.options))
}

/// How many diagnostics a shard's report keeps in full.
const DIAGNOSTICS_KEPT: usize = 200;

/// Converts each input into a shard of `out`, as many at a time as there are cores (one input:
/// its import's progress is shown; several: how many inputs are done). An input whose shard is
/// already there is not read again: re-running after an interruption or a failure finishes the
/// rest. The reports come in the order of the inputs; the first failure is the error, after
/// every other input is done.
pub fn convert(
    inputs: &[PathBuf],
    recipe: &Recipe,
    out: &Path,
    progress: &dyn ImportProgress,
    cancel: &AtomicBool,
) -> Result<Vec<ShardReport>, ProjectError> {
    std::fs::create_dir_all(out.join("_shards")).map_err(io(out))?;
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(inputs.len());
    if workers <= 1 {
        return inputs
            .iter()
            .map(|input| convert_one(input, recipe, out, progress, cancel))
            .collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<std::sync::Mutex<Option<Result<ShardReport, ProjectError>>>> =
        inputs.iter().map(|_| Default::default()).collect();
    let done = std::sync::Mutex::new(ProgressSnapshot {
        phase: "convert".into(),
        files_total: inputs.len() as u64,
        ..Default::default()
    });
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(input) = inputs.get(i) else { break };
                let r = convert_one(input, recipe, out, &(), cancel);
                if let Ok(report) = &r {
                    let mut d = done.lock().unwrap_or_else(|e| e.into_inner());
                    d.files_done += 1;
                    d.stored += report.stored;
                    d.duplicates += report.duplicates;
                    d.skipped += report.skipped;
                    progress.update(&d);
                }
                *results[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
            });
        }
    });
    results
        .into_iter()
        .map(|m| {
            m.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .unwrap_or_else(|| Err(broadsheet_analysis::AnalysisError::Cancelled.into()))
        })
        .collect()
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> ProjectError + '_ {
    move |source| ProjectError::Io {
        path: path.display().to_string(),
        source,
    }
}

fn convert_one(
    input: &Path,
    recipe: &Recipe,
    out: &Path,
    progress: &dyn ImportProgress,
    cancel: &AtomicBool,
) -> Result<ShardReport, ProjectError> {
    let shard = shard_name(input, recipe)?;
    let marker = out.join("_shards").join(format!("{shard}.json"));
    if let Ok(text) = std::fs::read_to_string(&marker) {
        if let Ok(mut r) = serde_json::from_str::<ShardReport>(&text) {
            r.reused = true;
            return Ok(r);
        }
    }
    let work = out.join(format!(".work-{shard}"));
    if work.exists() {
        std::fs::remove_dir_all(&work).map_err(io(&work))?;
    }
    std::fs::create_dir_all(&work).map_err(io(&work))?;
    let mut seconds = BTreeMap::new();
    let mut clock = Instant::now();
    let mut lap = |name: &str| {
        let s = clock.elapsed().as_secs_f64();
        seconds.insert(name.to_string(), (s * 1000.0).round() / 1000.0);
        clock = Instant::now();
    };
    let mut store = Store::open(&work.join("corpus.sqlite"))?;
    let req = ImportRequest::new(vec![input.to_path_buf()], recipe.clone());
    let r = import(&mut store, &req, progress, cancel)?;
    if cancel.load(std::sync::atomic::Ordering::Relaxed) {
        return Err(broadsheet_analysis::AnalysisError::Cancelled.into());
    }
    lap("import");
    store.prepare(&Default::default(), None, &|_, _| {}, cancel)?;
    lap("prepare");
    let opts = ExportOptions {
        part: shard.clone(),
        search_terms: true,
    };
    let staged = work.join("out");
    let e = export_corpus_with(&store, &staged, &opts, &|_, _| {}, cancel)?;
    drop(store);
    lap("export");
    // Files move into place one by one and the marker comes last: an interrupted shard has no
    // marker, and the next run writes it again over its partial files.
    for f in &e.files {
        let to = out.join(f);
        std::fs::create_dir_all(to.parent().unwrap_or(out)).map_err(io(&to))?;
        std::fs::rename(staged.join(f), &to).map_err(io(&to))?;
    }
    let report = ShardReport {
        input: input.display().to_string(),
        shard,
        reused: false,
        records_read: r.records_read,
        stored: r.stored,
        duplicates: r.duplicates,
        skipped: r.skipped,
        diagnostic_counts: r.diagnostic_counts.clone(),
        diagnostics: r
            .diagnostics
            .iter()
            .take(DIAGNOSTICS_KEPT)
            .map(|d| d.to_string())
            .collect(),
        files: e.files,
        seconds,
    };
    let json = serde_json::to_string_pretty(&report).unwrap_or_default();
    std::fs::write(&marker, json).map_err(io(&marker))?;
    std::fs::remove_dir_all(&work).map_err(io(&work))?;
    Ok(report)
}

/// The shard's name: 16 hex digits of a BLAKE3 hash over the input's files (relative path and
/// bytes, in path order), the recipe and Broadsheet's version.
pub fn shard_name(input: &Path, recipe: &Recipe) -> Result<String, ProjectError> {
    let mut h = blake3::Hasher::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(recipe.to_toml().as_bytes());
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(input)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    if files.is_empty() && !input.exists() {
        return Err(ProjectError::Io {
            path: input.display().to_string(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or folder"),
        });
    }
    files.sort();
    for f in files {
        let rel = f.strip_prefix(input).unwrap_or(&f);
        h.update(rel.to_string_lossy().as_bytes());
        h.update(&[0]);
        let mut file = std::fs::File::open(&f).map_err(io(&f))?;
        h.update_reader(&mut file).map_err(io(&f))?;
    }
    Ok(h.finalize().to_hex()[..16].to_string())
}
