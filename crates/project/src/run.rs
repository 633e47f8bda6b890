//! `broadsheet run`: checks every input against its recorded hash, rebuilds the corpus when the
//! project's sources changed (only when told to accept the changes), computes every analysis
//! into `outputs/`, and writes `outputs/manifest.json` (versions, inputs, parameters, row counts,
//! output hashes), `outputs/METHODS.md` and an RO-Crate description. Two runs from scratch give
//! byte-identical outputs: nothing written depends on the time or the machine.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use serde::Serialize;
use serde_json::{json, Value};

use broadsheet_analysis::entry::OutputFormat;
use broadsheet_store::{import, ImportRequest, Store};

use crate::app::{output_path, Analysed, Workbench};
use crate::sources::{InputChange, SourceEntry};
use crate::{Project, ProjectError, FORMAT_VERSION};

/// How to run.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Inputs changed since they were recorded: rebuild from them as they are now (and record
    /// them), instead of refusing.
    pub accept_changes: bool,
    /// Rebuild the corpus from the sources even when nothing changed.
    pub fresh: bool,
}

/// One written output.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OutputRecord {
    pub path: String,
    pub bytes: u64,
    pub blake3: String,
}

/// What a run did.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RunReport {
    pub rebuilt_corpus: bool,
    pub changes: Vec<InputChange>,
    pub analyses: Vec<String>,
    pub outputs: Vec<OutputRecord>,
}

/// The outputs folder of a project.
pub fn outputs_dir(p: &Project) -> PathBuf {
    p.dir.join("outputs")
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> ProjectError + '_ {
    move |source| ProjectError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// What the corpus is built from, hashed: sources, recipes, options and every input's hash.
pub(crate) fn corpus_fingerprint(p: &Project) -> Result<String, ProjectError> {
    let mut h = blake3::Hasher::new();
    h.update(b"broadsheet-corpus-v1\0");
    for s in &p.file.sources {
        let mut recipe = p.effective_recipe(s)?;
        // What suggests a recipe does not change what it reads: left out, so that projects
        // made before recipes had signals keep their print.
        recipe.signals = Default::default();
        h.update(s.path.as_bytes());
        h.update(b"\0");
        h.update(recipe.to_toml().as_bytes());
        h.update(b"\0");
        for f in &s.files {
            h.update(f.path.as_bytes());
            h.update(f.blake3.as_bytes());
        }
    }
    // Only when there are any, so that a project without renamed sources keeps its print.
    for (from, to) in &p.file.source_names {
        h.update(b"\0source_name\0");
        h.update(from.as_bytes());
        h.update(b"\0");
        h.update(to.as_bytes());
    }
    Ok(h.finalize().to_hex().to_string())
}

pub(crate) fn stored_fingerprint(store: &Store) -> Option<String> {
    store
        .connection()
        .query_row(
            "SELECT value FROM meta WHERE key = 'project_fingerprint'",
            [],
            |r| r.get(0),
        )
        .ok()
}

/// Rebuilds the corpus from the sources, in order, into a fresh database.
fn rebuild(p: &Project, fingerprint: &str, progress: &dyn Fn(&str)) -> Result<Store, ProjectError> {
    let db = p.corpus_path();
    for suffix in ["", "-wal", "-shm"] {
        let f = PathBuf::from(format!("{}{suffix}", db.display()));
        if f.exists() {
            std::fs::remove_file(&f).map_err(io(&f))?;
        }
    }
    let mut store = Store::open(&db)?;
    store.set_concepts(p.concepts().definitions());
    for s in &p.file.sources {
        import_source(p, &mut store, s, progress)?;
    }
    set_fingerprint(&store, fingerprint)?;
    Ok(store)
}

/// Imports one recorded source into `store`, as `broadsheet import` did.
fn import_source(
    p: &Project,
    store: &mut Store,
    s: &SourceEntry,
    progress: &dyn Fn(&str),
) -> Result<(), ProjectError> {
    progress(&format!("importing {}", s.path));
    let req = ImportRequest {
        boilerplate: p.file.text.boilerplate.clone(),
        source_names: p.file.source_names.clone(),
        ..ImportRequest::new(vec![p.source_path(s)], p.effective_recipe(s)?)
    };
    let r = import(store, &req, &(), &AtomicBool::new(false))?;
    progress(&format!(
        "  {} stored, {} duplicates, {} skipped",
        r.stored, r.duplicates, r.skipped
    ));
    Ok(())
}

/// Records that the corpus is built from exactly the project's sources as they are now.
pub(crate) fn set_fingerprint(store: &Store, fingerprint: &str) -> Result<(), ProjectError> {
    store
        .connection()
        .execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('project_fingerprint', ?1)",
            [fingerprint],
        )
        .map_err(broadsheet_store::StoreError::from)?;
    Ok(())
}

/// Finishes the imports that were cut short (sources still marked incomplete): importing a
/// source again stores what is missing and counts the rest as duplicates.
fn complete_sources(p: &mut Project, progress: &dyn Fn(&str)) -> Result<bool, ProjectError> {
    let incomplete: Vec<usize> = (0..p.file.sources.len())
        .filter(|i| !p.file.sources[*i].complete)
        .collect();
    if incomplete.is_empty() || !p.corpus_path().exists() {
        return Ok(false);
    }
    let mut store = p.store()?;
    let consistent = stored_fingerprint(&store).is_some();
    for i in incomplete {
        let s = p.file.sources[i].clone();
        progress(&format!(
            "the import of {} did not finish last time: completing it",
            s.path
        ));
        import_source(p, &mut store, &s, progress)?;
        let files = p.scan_source(&s)?;
        let entry = &mut p.file.sources[i];
        entry.files = files;
        entry.complete = true;
    }
    p.save()?;
    if consistent {
        set_fingerprint(&store, &corpus_fingerprint(p)?)?;
    }
    Ok(true)
}

fn hash_bytes(path: &Path) -> Result<OutputRecord, ProjectError> {
    let data = std::fs::read(path).map_err(io(path))?;
    Ok(OutputRecord {
        path: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        bytes: data.len() as u64,
        blake3: blake3::hash(&data).to_hex().to_string(),
    })
}

/// Why an analysis name cannot name its output files, if it cannot: outputs are
/// `outputs/NAME.EXT`, so a name must be one plain file name that is not one of the run's own
/// files (`manifest`, `METHODS`, `ro-crate-metadata`).
pub fn output_name_problem(name: &str) -> Option<String> {
    if name.is_empty() || name.len() > 100 {
        return Some("a name has 1 to 100 characters".into());
    }
    if name.starts_with('.')
        || !name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Some(
            "a name uses letters, digits, '-', '_' and '.', and does not start with '.'".into(),
        );
    }
    let lower = name.to_lowercase();
    if ["manifest", "methods", "ro-crate-metadata"].contains(&lower.as_str()) {
        return Some("this name is taken by the run's own files".into());
    }
    None
}

/// Writes the table and, for analyses with a chart, the requested chart formats.
pub(crate) fn write_outputs(dir: &Path, a: &Analysed) -> Result<Vec<OutputRecord>, ProjectError> {
    let formats = if a.entry.formats.is_empty() {
        vec![OutputFormat::Csv]
    } else {
        a.entry.formats.clone()
    };
    let mut out = Vec::new();
    for f in formats {
        let path = output_path(dir, &a.entry.name, f);
        a.write(&path, f, 1, Default::default())?;
        out.push(hash_bytes(&path)?);
    }
    Ok(out)
}

/// An analysis as the manifest records it: parameters, rows, notes and outputs.
pub(crate) fn manifest_entry(done: &Analysed, outs: &[OutputRecord]) -> Value {
    let notes: serde_json::Map<String, Value> = done
        .table
        .notes
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    json!({
        "name": done.entry.name,
        "kind": done.entry.kind.name(),
        "parameters": done.entry,
        "rows": done.table.frame.height(),
        "notes": notes,
        "outputs": outs,
    })
}

/// Runs the project: checks inputs, rebuilds what is stale, writes every output.
pub fn run(
    p: &mut Project,
    opts: &RunOptions,
    progress: &dyn Fn(&str),
) -> Result<RunReport, ProjectError> {
    if p.file.sources.is_empty() {
        return Err(ProjectError::BadFile {
            path: p.dir.join(crate::PROJECT_FILE).display().to_string(),
            message: "the project has no sources yet: import files (`broadsheet import`) or list them under [[sources]]".into(),
        });
    }
    let mut names = std::collections::BTreeSet::new();
    for a in &p.file.analyses {
        // Case folded: `Terms` and `terms` are one file on macOS and Windows.
        if !names.insert(a.name.to_lowercase()) {
            return Err(ProjectError::BadFile {
                path: p.dir.join(crate::PROJECT_FILE).display().to_string(),
                message: format!("two analyses are named `{}`", a.name),
            });
        }
        if let Some(problem) = output_name_problem(&a.name) {
            return Err(ProjectError::BadFile {
                path: p.dir.join(crate::PROJECT_FILE).display().to_string(),
                message: format!("analysis `{}`: {problem}", a.name),
            });
        }
    }
    // 1. Inputs (imports cut short finished first).
    complete_sources(p, progress)?;
    let never_recorded = p.file.sources.iter().any(|s| s.files.is_empty());
    let changes = p.check_inputs()?;
    if !changes.is_empty() && !opts.accept_changes {
        return Err(ProjectError::InputsChanged {
            changes,
            stale: p.file.analyses.iter().map(|a| a.name.clone()).collect(),
        });
    }
    if !changes.is_empty() || never_recorded {
        p.record_inputs()?;
        p.save()?;
    }
    // 2. The corpus.
    let fingerprint = corpus_fingerprint(p)?;
    let existing = match (p.corpus_path().exists() && !opts.fresh).then(|| p.store()) {
        None => None,
        // An empty corpus file (a lost copy, a full disk): rebuilt from the sources.
        Some(Err(ProjectError::Store(broadsheet_store::StoreError::Missing { .. }))) => None,
        Some(r) => Some(r?),
    };
    let rebuilt = existing
        .as_ref()
        .is_none_or(|s| stored_fingerprint(s).as_deref() != Some(fingerprint.as_str()));
    let store = match (existing, rebuilt) {
        (Some(s), false) => s,
        (s, _) => {
            drop(s);
            progress("building the corpus from the sources");
            rebuild(p, &fingerprint, progress)?
        }
    };
    drop(store);
    let cancel = AtomicBool::new(false);
    let mut bench = Workbench::open(p.clone())?;
    bench.prepare(&|_, _| {}, &cancel)?;
    // 3. Analyses.
    let out_dir = outputs_dir(p);
    std::fs::create_dir_all(&out_dir).map_err(io(&out_dir))?;
    let previous: Vec<String> = std::fs::read_to_string(out_dir.join("manifest.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<Value>(&t).ok())
        .map(|m| {
            m["analyses"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|a| a["outputs"].as_array().cloned().unwrap_or_default())
                .filter_map(|o| o["path"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let mut report = RunReport {
        rebuilt_corpus: rebuilt,
        changes,
        analyses: Vec::new(),
        outputs: Vec::new(),
    };
    let mut manifest_analyses = Vec::new();
    for a in &p.file.analyses {
        progress(&format!("analysis {} ({})", a.name, a.kind.name()));
        let done = bench.analyse(a, None, &cancel)?;
        let outs = write_outputs(&out_dir, &done)?;
        manifest_analyses.push(manifest_entry(&done, &outs));
        report.analyses.push(a.name.clone());
        report.outputs.extend(outs);
    }
    // Outputs of analyses no longer in the project are removed (outputs/ is Broadsheet's).
    for old in previous {
        if !report.outputs.iter().any(|o| o.path == old) {
            let _ = std::fs::remove_file(out_dir.join(&old));
        }
    }
    // 4. Manifest, methods, RO-Crate.
    let mut store = p.store()?;
    let stats = store.stats()?;
    let clusters = store.ensure_clusters(Some(p.file.duplicates.threshold))?;
    let inputs: Vec<Value> = p
        .file
        .sources
        .iter()
        .flat_map(|s| {
            s.files.iter().map(move |f| {
                json!({ "source": s.path, "path": f.path, "size": f.size, "blake3": f.blake3 })
            })
        })
        .collect();
    let manifest = json!({
        "broadsheet_version": broadsheet_store::VERSION,
        "format_version": FORMAT_VERSION,
        "schema_version": store.schema_version()?,
        "project": p.file.name,
        "corpus_fingerprint": fingerprint,
        "inputs": inputs,
        "sources": p.file.sources.iter().map(|s| json!({
            "path": s.path,
            "recipe": s.recipe,
            "options": s.options,
        })).collect::<Vec<_>>(),
        "text": p.file.text,
        "duplicates": { "threshold": p.file.duplicates.threshold, "clusters": clusters.clusters, "articles_in_clusters": clusters.articles_in_clusters },
        "concepts": p.file.concepts,
        "corpus": {
            "articles": stats.articles,
            "sources": stats.sources,
            "dated": stats.dated,
            "undated": stats.undated,
            "first_date": stats.first_date,
            "last_date": stats.last_date,
            "dates_by_origin": stats.dates_by_origin,
            "languages": stats.languages,
        },
        "analyses": manifest_analyses,
    });
    let methods = crate::methods::methods(p, &store, &stats, &clusters)?;
    let methods_path = out_dir.join("METHODS.md");
    std::fs::write(&methods_path, methods).map_err(io(&methods_path))?;
    let manifest_path = out_dir.join("manifest.json");
    let mut text = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    text.push('\n');
    std::fs::write(&manifest_path, text).map_err(io(&manifest_path))?;
    let crate_path = out_dir.join("ro-crate-metadata.json");
    let mut crate_text =
        serde_json::to_string_pretty(&ro_crate(p, &report.outputs)).unwrap_or_default();
    crate_text.push('\n');
    std::fs::write(&crate_path, crate_text).map_err(io(&crate_path))?;
    Ok(report)
}

/// A minimal RO-Crate 1.1 description of the outputs folder.
fn ro_crate(p: &Project, outputs: &[OutputRecord]) -> Value {
    let parts: Vec<Value> = ["manifest.json", "METHODS.md"]
        .iter()
        .map(|f| json!({ "@id": f }))
        .chain(outputs.iter().map(|o| json!({ "@id": o.path })))
        .collect();
    let mut graph = vec![
        json!({
            "@id": "ro-crate-metadata.json",
            "@type": "CreativeWork",
            "conformsTo": { "@id": "https://w3id.org/ro/crate/1.1" },
            "about": { "@id": "./" }
        }),
        json!({
            "@id": "./",
            "@type": "Dataset",
            "name": p.file.name,
            "description": p.file.description.clone().unwrap_or_else(|| format!("Outputs of the Broadsheet project \"{}\"", p.file.name)),
            "hasPart": parts,
        }),
        json!({ "@id": "manifest.json", "@type": "File", "name": "Run manifest: inputs, parameters, output hashes" }),
        json!({ "@id": "METHODS.md", "@type": "File", "name": "Methods appendix", "encodingFormat": "text/markdown" }),
    ];
    for o in outputs {
        let fmt = match o.path.rsplit('.').next() {
            Some("csv") => "text/csv",
            Some("json") => "application/json",
            Some("parquet") => "application/vnd.apache.parquet",
            Some("svg") => "image/svg+xml",
            Some("png") => "image/png",
            _ => "application/octet-stream",
        };
        graph.push(json!({ "@id": o.path, "@type": "File", "contentSize": o.bytes.to_string(), "encodingFormat": fmt, "identifier": format!("blake3:{}", o.blake3) }));
    }
    json!({ "@context": "https://w3id.org/ro/crate/1.1/context", "@graph": graph })
}

#[cfg(test)]
mod tests {
    use super::output_name_problem;

    #[test]
    fn output_names_that_would_escape_or_clash_are_refused() {
        for bad in [
            "",
            "../x",
            "a/b",
            "a\\b",
            ".hidden",
            "manifest",
            "METHODS",
            "ro-crate-metadata",
            "a b",
        ] {
            assert!(output_name_problem(bad).is_some(), "{bad:?} was accepted");
        }
        for good in ["security-by-outlet", "top_terms.v2", "таймлайн", "x"] {
            assert_eq!(output_name_problem(good), None, "{good:?} was refused");
        }
    }
}
