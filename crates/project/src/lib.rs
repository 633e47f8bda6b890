//! A Broadsheet project: a folder holding `broadsheet.toml` (human-readable, diffable, with a
//! format version) and the SQLite corpus built from the sources it names.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use broadsheet_analysis::{AnalysisEntry, Concept, ConceptSet};

pub mod app;
pub mod convert;
pub mod methods;
pub mod run;
pub mod sources;
pub mod spark;

pub use app::{Analysed, ImportSpec, RecipeRef, Workbench};
use broadsheet_lexis::TextSettings;
use broadsheet_store::{Store, StoreError};
pub use run::{run, RunOptions, RunReport};
pub use sources::{InputChange, InputRecord, SourceEntry};

/// The project file's name inside a project folder.
pub const PROJECT_FILE: &str = "broadsheet.toml";
/// The corpus database's name inside a project folder.
pub const CORPUS_FILE: &str = "corpus.sqlite";
/// The version of the project file format this build writes. Version 2 nests an analysis's
/// subcorpus in a `subcorpus` table; version 1 files (flat `query`, `from`, … in each analysis)
/// are read and written back as version 2 when the project is next saved.
pub const FORMAT_VERSION: u32 = 2;

#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    #[error("{0}: not a Broadsheet project (there is no broadsheet.toml); create one with `broadsheet new {0}`")]
    NotAProject(String),
    #[error("{0}: a Broadsheet project is already there")]
    Exists(String),
    #[error("{path}: {message}")]
    BadFile { path: String, message: String },
    #[error("{path}: written by a newer Broadsheet (format version {found}; this one reads up to {FORMAT_VERSION})")]
    TooNew { path: String, found: u32 },
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Analysis(#[from] broadsheet_analysis::AnalysisError),
    /// The Spark engine could not run, or could not compute some analyses.
    #[error("{0}")]
    Engine(String),
    #[error("analysis `{analysis}`: a {kind} has no chart; write csv, json or parquet")]
    NoChart { analysis: String, kind: String },
    #[error("the inputs changed since the corpus was built:\n{}\nanalyses that would change: {}.\nNothing was recomputed; run again with --accept-changes to rebuild from the files as they are now", .changes.iter().map(|c| format!("  {c}")).collect::<Vec<_>>().join("\n"), .stale.join(", "))]
    InputsChanged {
        changes: Vec<InputChange>,
        stale: Vec<String>,
    },
}

/// The contents of `broadsheet.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectFile {
    pub format_version: u32,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// How tokens become counted words: stop words, stemming, numbers, n-grams.
    #[serde(default)]
    pub text: TextSettings,
    /// Near-duplicate clustering.
    #[serde(default)]
    pub duplicates: DuplicateSettings,
    /// Named queries usable in every analysis.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub concepts: Vec<Concept>,
    /// Sources renamed and merged (`broadsheet sources rename` and `merge`): the name a
    /// record or an import gives → the name the corpus keeps. Every import applies it.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub source_names: std::collections::BTreeMap<String, String>,
    /// What the corpus is built from, with every input file's expected hash.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<SourceEntry>,
    /// The analyses `broadsheet run` computes into `outputs/`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub analyses: Vec<AnalysisEntry>,
}

/// How near-duplicates are clustered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DuplicateSettings {
    /// Estimated Jaccard similarity of 5-word shingles at or above which two articles are
    /// near-duplicates.
    pub threshold: f64,
}

impl Default for DuplicateSettings {
    fn default() -> Self {
        DuplicateSettings {
            threshold: broadsheet_store::clusters::DEFAULT_THRESHOLD,
        }
    }
}

/// The keys of a version-1 analysis that form its subcorpus in version 2.
const V1_SUBCORPUS_KEYS: [&str; 7] = [
    "query",
    "from",
    "to",
    "sources",
    "languages",
    "places",
    "dedup",
];

/// Brings a version-1 project file to version 2: each analysis's flat subcorpus keys move
/// into its `subcorpus` table, and `by = "all"` becomes `"none"`.
fn upgrade_v1(t: &mut toml::Table) {
    if t.get("format_version").and_then(toml::Value::as_integer) != Some(1) {
        return;
    }
    t.insert(
        "format_version".into(),
        toml::Value::Integer(FORMAT_VERSION as i64),
    );
    let Some(toml::Value::Array(analyses)) = t.get_mut("analyses") else {
        return;
    };
    for a in analyses.iter_mut().filter_map(toml::Value::as_table_mut) {
        let mut sub = toml::Table::new();
        for k in V1_SUBCORPUS_KEYS {
            if let Some(v) = a.remove(k) {
                sub.insert(k.into(), v);
            }
        }
        if !sub.is_empty() {
            a.insert("subcorpus".into(), toml::Value::Table(sub));
        }
        if a.get("by").and_then(toml::Value::as_str) == Some("all") {
            a.insert("by".into(), toml::Value::String("none".into()));
        }
    }
}

/// An open project folder.
#[derive(Debug, Clone)]
pub struct Project {
    pub dir: PathBuf,
    pub file: ProjectFile,
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> ProjectError + '_ {
    move |source| ProjectError::Io {
        path: path.display().to_string(),
        source,
    }
}

impl Project {
    /// Creates a project folder (and the folder itself if needed), with an empty corpus.
    pub fn create(dir: &Path, name: Option<&str>) -> Result<Project, ProjectError> {
        let file_path = dir.join(PROJECT_FILE);
        if file_path.exists() {
            return Err(ProjectError::Exists(dir.display().to_string()));
        }
        std::fs::create_dir_all(dir).map_err(io_err(dir))?;
        let name = name.map(str::to_string).unwrap_or_else(|| {
            std::fs::canonicalize(dir)
                .ok()
                .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or_else(|| "Broadsheet project".into())
        });
        let p = Project {
            dir: dir.to_path_buf(),
            file: ProjectFile {
                format_version: FORMAT_VERSION,
                name,
                description: None,
                text: TextSettings::research_default(),
                duplicates: DuplicateSettings::default(),
                concepts: Vec::new(),
                source_names: Default::default(),
                sources: Vec::new(),
                analyses: Vec::new(),
            },
        };
        p.save()?;
        Store::open(&p.corpus_path())?;
        Ok(p)
    }

    /// Opens the project in `dir`.
    pub fn open(dir: &Path) -> Result<Project, ProjectError> {
        let file_path = dir.join(PROJECT_FILE);
        if !file_path.is_file() {
            return Err(ProjectError::NotAProject(dir.display().to_string()));
        }
        let text = std::fs::read_to_string(&file_path).map_err(io_err(&file_path))?;
        // Check the version first, so a newer file gets the right message, not a parse error.
        if let Ok(v) = text.parse::<toml::Table>() {
            if let Some(n) = v.get("format_version").and_then(|x| x.as_integer()) {
                if n > FORMAT_VERSION as i64 {
                    return Err(ProjectError::TooNew {
                        path: file_path.display().to_string(),
                        found: n as u32,
                    });
                }
            }
        }
        let bad = |message: String| ProjectError::BadFile {
            path: file_path.display().to_string(),
            message,
        };
        let mut table: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| bad(e.to_string()))?;
        upgrade_v1(&mut table);
        let file: ProjectFile = table
            .try_into()
            .map_err(|e: toml::de::Error| bad(e.to_string()))?;
        Ok(Project {
            dir: dir.to_path_buf(),
            file,
        })
    }

    pub fn corpus_path(&self) -> PathBuf {
        self.dir.join(CORPUS_FILE)
    }

    /// Opens the project's corpus to write to it (imports, derived data), with the project's
    /// concepts for `concept:` in queries. A project that lists sources must have its corpus: a
    /// missing, empty or damaged one is an error that says `broadsheet run --fresh` rebuilds it.
    pub fn store(&self) -> Result<Store, ProjectError> {
        let mut store = if self.file.sources.is_empty() {
            Store::open(&self.corpus_path())?
        } else {
            Store::open_existing(&self.corpus_path())?
        };
        store.set_concepts(self.concepts().definitions());
        Ok(store)
    }

    /// Opens the project's corpus for reading (listings, search, analyses): as [`store`] when
    /// it can be written, else read-only (a project on a read-only disk or copied without write
    /// permission can still be read).
    ///
    /// [`store`]: Project::store
    pub fn read_store(&self) -> Result<Store, ProjectError> {
        if self.file.sources.is_empty() && !self.corpus_path().exists() {
            return self.store();
        }
        let mut store = Store::open_for_reading(&self.corpus_path())?;
        store.set_concepts(self.concepts().definitions());
        Ok(store)
    }

    /// The project's concepts.
    pub fn concepts(&self) -> ConceptSet {
        ConceptSet(self.file.concepts.clone())
    }

    /// Adds or replaces a concept (checked first) and saves the project file.
    pub fn set_concept(&mut self, concept: Concept) -> Result<(), ProjectError> {
        concept.validate().map_err(|e| ProjectError::BadFile {
            path: self.dir.join(PROJECT_FILE).display().to_string(),
            message: e.to_string(),
        })?;
        let mut concepts = self.file.concepts.clone();
        match concepts.iter_mut().find(|c| c.name == concept.name) {
            Some(c) => *c = concept,
            None => concepts.push(concept),
        }
        // `concept:` references must name concepts of the project and form no cycle.
        ConceptSet(concepts.clone())
            .check_references()
            .map_err(|e| ProjectError::BadFile {
                path: self.dir.join(PROJECT_FILE).display().to_string(),
                message: e.to_string(),
            })?;
        self.file.concepts = concepts;
        self.save()
    }

    /// Removes a concept; `false` when there was none of that name.
    pub fn remove_concept(&mut self, name: &str) -> Result<bool, ProjectError> {
        let before = self.file.concepts.len();
        self.file.concepts.retain(|c| c.name != name);
        if self.file.concepts.len() == before {
            return Ok(false);
        }
        self.save()?;
        Ok(true)
    }

    /// Writes `broadsheet.toml` (atomically, through a temporary file).
    pub fn save(&self) -> Result<(), ProjectError> {
        let path = self.dir.join(PROJECT_FILE);
        let text = format!(
            "# A Broadsheet project. See docs/PROJECT.md for the format.\n{}",
            toml::to_string(&self.file).map_err(|e| ProjectError::BadFile {
                path: path.display().to_string(),
                message: e.to_string(),
            })?
        );
        // A temporary name of this process's own, so that two processes saving at once each
        // replace the file whole (the last one wins) rather than renaming each other's file.
        static SAVES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = SAVES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = self
            .dir
            .join(format!(".broadsheet.toml.{}.{n}.tmp", std::process::id()));
        std::fs::write(&tmp, text).map_err(io_err(&tmp))?;
        std::fs::rename(&tmp, &path).map_err(io_err(&path))?;
        Ok(())
    }

    /// An exclusive lock on the project file's updates, held until the returned file is
    /// dropped: read-modify-write of the project file by two processes happens one at a time.
    pub(crate) fn lock(&self) -> Result<std::fs::File, ProjectError> {
        let path = self.dir.join(".broadsheet.lock");
        let f = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io_err(&path))?;
        f.lock().map_err(io_err(&path))?;
        Ok(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concepts_are_saved_in_the_project_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut p = Project::create(dir.path(), Some("study")).unwrap();
        p.set_concept(Concept {
            name: "regional security".into(),
            query: "security OR militant* OR Daesh".into(),
            description: None,
            ..Default::default()
        })
        .unwrap();
        let again = Project::open(dir.path()).unwrap();
        assert_eq!(
            again.concepts().require("regional security").unwrap().query,
            "security OR militant* OR Daesh"
        );
        let text = std::fs::read_to_string(dir.path().join(PROJECT_FILE)).unwrap();
        assert!(text.contains("[[concepts]]"), "{text}");
        let bad = p.set_concept(Concept {
            name: "broken".into(),
            query: "(security".into(),
            description: None,
            ..Default::default()
        });
        assert!(bad.unwrap_err().to_string().contains("never closed"));
        assert!(p.remove_concept("regional security").unwrap());
        assert!(!p.remove_concept("regional security").unwrap());
    }

    #[test]
    fn create_open_and_refuse() {
        let dir = tempfile::tempdir().unwrap();
        let pdir = dir.path().join("study");
        let p = Project::create(&pdir, None).unwrap();
        assert_eq!(p.file.name, "study");
        assert!(p.corpus_path().exists());
        let again = Project::open(&pdir).unwrap();
        assert_eq!(again.file, p.file);
        assert!(matches!(
            Project::create(&pdir, None),
            Err(ProjectError::Exists(_))
        ));
        let err = Project::open(dir.path()).unwrap_err();
        assert!(err.to_string().contains("broadsheet new"), "{err}");
        std::fs::write(
            pdir.join(PROJECT_FILE),
            "format_version = 99\nname = \"x\"\n",
        )
        .unwrap();
        assert!(matches!(
            Project::open(&pdir),
            Err(ProjectError::TooNew { found: 99, .. })
        ));
        std::fs::write(pdir.join(PROJECT_FILE), "format_version = 1\nnam = \"x\"\n").unwrap();
        let err = Project::open(&pdir).unwrap_err();
        assert!(err.to_string().contains("broadsheet.toml"), "{err}");
    }
}
