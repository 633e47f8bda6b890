//! A project's sources: the paths it imports (relative to the project folder), the recipe that
//! reads each, and the expected size and BLAKE3 hash of every input file, so that a changed,
//! missing or extra file is detected before anything is recomputed from different data.

use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use broadsheet_ingest::{discover, recipe, Recipe};

use crate::{Project, ProjectError};

/// One input file as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputRecord {
    /// Relative to the project folder.
    pub path: String,
    pub size: u64,
    pub blake3: String,
}

/// One source of the project: a file or folder, and how to read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceEntry {
    /// A file or folder, relative to the project folder (or absolute).
    pub path: String,
    /// A built-in recipe's name, or a recipe file relative to the project folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipe: Option<String>,
    /// Options that override the recipe (what `--source`, `--map`, `--format` … said).
    #[serde(default, skip_serializing_if = "is_default_recipe")]
    pub options: Recipe,
    /// Every input file with its size and hash, as last imported.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<InputRecord>,
    /// False while the source is being imported, and after an import that did not finish
    /// (cancelled, killed, a full disk): the corpus may hold only part of it, and `broadsheet
    /// run` imports it again (an import is idempotent: what is stored is counted as duplicates).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub complete: bool,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

fn is_default_recipe(r: &Recipe) -> bool {
    *r == Recipe::default()
}

/// How an input differs from what the project recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "change")]
pub enum InputChange {
    /// The file's bytes differ from the recorded hash.
    Changed { path: String },
    /// A recorded file is not there.
    Missing { path: String },
    /// A file is there that was not recorded (a folder source gained a file).
    Extra { path: String },
}

impl std::fmt::Display for InputChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InputChange::Changed { path } => write!(f, "changed: {path}"),
            InputChange::Missing { path } => write!(f, "missing: {path}"),
            InputChange::Extra { path } => write!(f, "new file: {path}"),
        }
    }
}

/// `path` relative to `base` when it is inside it, with `/` separators.
pub fn relative(path: &Path, base: &Path) -> String {
    let p = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let b = std::fs::canonicalize(base).unwrap_or_else(|_| base.to_path_buf());
    let pc: Vec<Component> = p.components().collect();
    let bc: Vec<Component> = b.components().collect();
    let common = pc.iter().zip(&bc).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return p.to_string_lossy().replace('\\', "/");
    }
    let mut out = PathBuf::new();
    for _ in common..bc.len() {
        out.push("..");
    }
    for c in &pc[common..] {
        out.push(c.as_os_str());
    }
    out.to_string_lossy().replace('\\', "/")
}

/// The hash recorded for an input file that could not be read.
pub const UNREADABLE: &str = "unreadable";

fn hash_file(path: &Path) -> Result<(u64, String), ProjectError> {
    let mut f = std::fs::File::open(path).map_err(|source| ProjectError::Io {
        path: path.display().to_string(),
        source,
    })?;
    let mut h = blake3::Hasher::new();
    let n = std::io::copy(&mut f, &mut h).map_err(|source| ProjectError::Io {
        path: path.display().to_string(),
        source,
    })?;
    Ok((n, h.finalize().to_hex().to_string()))
}

impl Project {
    /// The absolute path of a source.
    pub fn source_path(&self, s: &SourceEntry) -> PathBuf {
        let p = Path::new(&s.path);
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.dir.join(p)
        }
    }

    /// The recipe a source is read with: its named or file recipe, with its options applied.
    pub fn effective_recipe(&self, s: &SourceEntry) -> Result<Recipe, ProjectError> {
        let bad = |message: String| ProjectError::BadFile {
            path: self.dir.join(crate::PROJECT_FILE).display().to_string(),
            message,
        };
        let r = match &s.recipe {
            None => Recipe::default(),
            Some(name) if recipe::BUILTIN.iter().any(|(n, _)| n == name) => {
                recipe::builtin(name).map_err(|e| bad(e.to_string()))?
            }
            Some(file) => {
                let path = self.dir.join(file);
                let text = std::fs::read_to_string(&path).map_err(|source| ProjectError::Io {
                    path: path.display().to_string(),
                    source,
                })?;
                Recipe::from_toml(&text).map_err(|e| bad(format!("{}: {e}", path.display())))?
            }
        };
        let r = r.overridden_by(&s.options);
        Ok(r)
    }

    /// The input files of a source as they are now: path relative to the project, size, hash.
    pub fn scan_source(&self, s: &SourceEntry) -> Result<Vec<InputRecord>, ProjectError> {
        let recipe = self.effective_recipe(s)?;
        let (files, _) =
            discover(&[self.source_path(s)], recipe.format, &recipe.include).map_err(|e| {
                ProjectError::Io {
                    path: s.path.clone(),
                    source: std::io::Error::new(std::io::ErrorKind::NotFound, e.to_string()),
                }
            })?;
        let mut out = Vec::with_capacity(files.len());
        for f in files {
            // A file that cannot be read (the import named it in its report) is recorded as
            // such, so that it shows as changed once it can be read.
            let (size, hash) = hash_file(&f.path).unwrap_or((f.size, UNREADABLE.into()));
            out.push(InputRecord {
                path: relative(&f.path, &self.dir),
                size,
                blake3: hash,
            });
        }
        Ok(out)
    }

    /// Compares every source's files with what was recorded. Sources never recorded report
    /// nothing (their files are recorded at the next import or run).
    pub fn check_inputs(&self) -> Result<Vec<InputChange>, ProjectError> {
        let mut changes = Vec::new();
        for s in &self.file.sources {
            if s.files.is_empty() {
                continue;
            }
            let now = match self.scan_source(s) {
                Ok(n) => n,
                Err(_) => {
                    // The source itself is gone: every recorded file is missing.
                    changes.extend(s.files.iter().map(|f| InputChange::Missing {
                        path: f.path.clone(),
                    }));
                    continue;
                }
            };
            for rec in &s.files {
                match now.iter().find(|n| n.path == rec.path) {
                    None => changes.push(InputChange::Missing {
                        path: rec.path.clone(),
                    }),
                    Some(n) if n.blake3 != rec.blake3 || n.size != rec.size => {
                        changes.push(InputChange::Changed {
                            path: rec.path.clone(),
                        })
                    }
                    Some(_) => {}
                }
            }
            for n in &now {
                if !s.files.iter().any(|r| r.path == n.path) {
                    changes.push(InputChange::Extra {
                        path: n.path.clone(),
                    });
                }
            }
        }
        Ok(changes)
    }

    /// Records (or re-records) the current files of every source.
    pub fn record_inputs(&mut self) -> Result<(), ProjectError> {
        let mut scanned = Vec::new();
        for s in &self.file.sources {
            scanned.push(self.scan_source(s)?);
        }
        for (s, files) in self.file.sources.iter_mut().zip(scanned) {
            s.files = files;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        let d = tempfile::tempdir().unwrap();
        let proj = d.path().join("proj");
        let data = d.path().join("data");
        std::fs::create_dir_all(&proj).unwrap();
        std::fs::create_dir_all(data.join("sub")).unwrap();
        std::fs::write(data.join("sub/a.csv"), "x").unwrap();
        assert_eq!(
            relative(&data.join("sub/a.csv"), &proj),
            "../data/sub/a.csv"
        );
        assert_eq!(relative(&proj.join("x.json"), &proj), "x.json");
    }
}
