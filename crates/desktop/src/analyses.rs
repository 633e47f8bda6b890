//! The Analyses area: the window sends the engine's own `AnalysisEntry` (its TypeScript type is
//! derived from it), which the project's application layer runs (`Workbench::analyse`: the
//! store prepared, what analyses load kept between calls), draws and writes exactly as the
//! `broadsheet` command and `broadsheet run` do; concepts and saved analyses are kept in
//! `broadsheet.toml` through the project crate.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use broadsheet_analysis::entry::OutputFormat;
use broadsheet_analysis::output::rows_json;
use broadsheet_analysis::{AnalysisEntry, Concept};
use broadsheet_project::{Analysed, Project, Workbench};

use crate::ipc::*;
use crate::session::lock;
use crate::{DesktopError, Result, Session};

/// Rows of a table sent to the window; exports write every row.
pub const MAX_ROWS: usize = 5000;

fn nonempty(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// The width, in logical pixels, of the charts shown on the analysis screens.
const PREVIEW_WIDTH: u32 = 820;

impl Session {
    /// Runs an analysis over the open project's corpus through the application layer, whose
    /// workbench (one connection, what analyses loaded) is kept between analyses.
    fn compute(&self, entry: &AnalysisEntry) -> Result<Analysed> {
        let entry = entry.clone().tidy();
        let dir = self.with_project(|p, _| Ok(p.dir.clone()))?;
        // The project file as it is now: concepts and settings may have changed since.
        let project = Project::open(&dir)?;
        let mut bench = lock(&self.bench);
        let reuse = matches!(bench.as_ref(), Some(b) if b.project().dir == project.dir);
        if !reuse {
            *bench = Some(Workbench::open(project.clone())?);
        }
        let b = bench.as_mut().ok_or(DesktopError::NoProject)?;
        b.set_project(project);
        Ok(b.analyse(&entry, None, &AtomicBool::new(false))?)
    }

    /// Runs an analysis: its table (the first [`MAX_ROWS`] rows), notes and chart.
    pub fn run_analysis(&self, entry: &AnalysisEntry) -> Result<AnalysisResult> {
        let done = self.compute(entry)?;
        // Drawn for the analysis pane (about 720 pixels on a 1280-pixel window), so that its
        // labels are read at their size; exports are drawn at publication size.
        let chart_svg = done
            .render_preview(PREVIEW_WIDTH)?
            .map(|b| String::from_utf8_lossy(&b).into_owned());
        let t = &done.table;
        let total = t.frame.height();
        let shown = if total > MAX_ROWS {
            t.frame.head(Some(MAX_ROWS))
        } else {
            t.frame.clone()
        };
        let columns: Vec<String> = shown
            .get_column_names()
            .iter()
            .map(|c| c.to_string())
            .collect();
        let rows = rows_json(&shown)
            .into_iter()
            .map(|r| {
                columns
                    .iter()
                    .map(|c| r.get(c).cloned().unwrap_or(serde_json::Value::Null))
                    .collect()
            })
            .collect();
        Ok(AnalysisResult {
            title: done.title(),
            columns,
            rows,
            total_rows: total as u64,
            notes: t.notes.clone(),
            chart_svg,
        })
    }

    /// Writes an analysis's table (CSV, JSON, Parquet) or chart (SVG, PNG) to `path`, which the
    /// user chose in a save dialog.
    pub fn export_analysis(
        &self,
        entry: &AnalysisEntry,
        format: OutputFormat,
        path: &str,
    ) -> Result<ExportResult> {
        let path = self.allowed(Path::new(path))?;
        let ext_ok = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case(format.extension()));
        if !ext_ok {
            return Err(DesktopError::Invalid(format!(
                "{}: the file name must end in .{}",
                path.display(),
                format.extension()
            )));
        }
        let done = self.compute(entry)?;
        done.write(&path, format, 1, Default::default())?;
        Ok(ExportResult {
            path: path.display().to_string(),
            rows: if format.is_chart() {
                0
            } else {
                done.table.frame.height() as u64
            },
        })
    }

    /// The file name a save dialog proposes for an export.
    pub fn export_file_name(entry: &AnalysisEntry, format: OutputFormat) -> String {
        format!(
            "{}.{}",
            broadsheet_analysis::entry::file_name_of(&entry.name, entry.kind),
            format.extension()
        )
    }

    // ---- concepts ----

    pub fn concepts(&self) -> Result<Vec<ConceptInfo>> {
        self.update_project(|p| Ok(concept_infos(p)))
    }

    /// Adds or replaces a concept (its query is checked first); `previous` is the name it had
    /// when it is renamed. Saved in `broadsheet.toml`.
    pub fn save_concept(
        &self,
        concept: &ConceptInfo,
        previous: Option<&str>,
    ) -> Result<Vec<ConceptInfo>> {
        let name = concept.name.trim().to_string();
        if name.is_empty() {
            return Err(DesktopError::Invalid("a concept needs a name".into()));
        }
        if concept.query.trim().is_empty() {
            return Err(DesktopError::Invalid("a concept needs a query".into()));
        }
        let c = concept_of(concept, name.clone())?;
        c.validate()?;
        self.update_project(|p| {
            if let Some(old) = previous.map(str::trim).filter(|o| *o != name) {
                if p.file.concepts.iter().any(|x| x.name == name) {
                    return Err(DesktopError::Invalid(format!(
                        "there is already a concept `{name}`"
                    )));
                }
                if let Some(x) = p.file.concepts.iter_mut().find(|x| x.name == old) {
                    x.name = name.clone();
                }
            }
            p.set_concept(c)?;
            Ok(concept_infos(p))
        })
    }

    pub fn delete_concept(&self, name: &str) -> Result<Vec<ConceptInfo>> {
        self.update_project(|p| {
            if !p.remove_concept(name)? {
                return Err(DesktopError::Invalid(format!("no concept `{name}`")));
            }
            Ok(concept_infos(p))
        })
    }

    // ---- saved analyses ----

    /// Saves the analysis in the project file (replacing one of the same name), so that
    /// `broadsheet run` computes it into `outputs/`.
    pub fn save_analysis(&self, entry: &AnalysisEntry) -> Result<Vec<SavedAnalysis>> {
        self.update_project(|p| {
            p.save_analysis(entry)?;
            Ok(saved(p))
        })
    }

    pub fn saved_analyses(&self) -> Result<Vec<SavedAnalysis>> {
        self.update_project(|p| Ok(saved(p)))
    }
}

fn concept_infos(p: &Project) -> Vec<ConceptInfo> {
    p.file.concepts.iter().map(concept_info).collect()
}

/// A concept as the Concepts screen shows it, its terms per language included.
fn concept_info(c: &Concept) -> ConceptInfo {
    ConceptInfo {
        name: c.name.clone(),
        query: c.query.clone(),
        description: c.description.clone(),
        languages: c
            .languages
            .iter()
            .map(|(language, query)| LanguageTerms {
                language: language.clone(),
                query: query.clone(),
            })
            .collect(),
    }
}

/// The concept a screen sent: names trimmed, blank per-language rows left out, and language
/// names (`Russian`, `ru-RU`) made ISO codes as the filters read them.
fn concept_of(info: &ConceptInfo, name: String) -> Result<Concept> {
    let mut languages = std::collections::BTreeMap::new();
    for t in &info.languages {
        let (lang, query) = (t.language.trim(), t.query.trim());
        if lang.is_empty() && query.is_empty() {
            continue;
        }
        let code = broadsheet_text::language_code(lang).ok_or_else(|| {
            DesktopError::Invalid(format!("`{lang}` is not a language Broadsheet knows"))
        })?;
        if query.is_empty() {
            return Err(DesktopError::Invalid(format!(
                "the terms for `{code}` are empty"
            )));
        }
        if languages
            .insert(code.to_string(), query.to_string())
            .is_some()
        {
            return Err(DesktopError::Invalid(format!(
                "the language `{code}` is given twice"
            )));
        }
    }
    Ok(Concept {
        name,
        query: info.query.trim().to_string(),
        description: nonempty(&info.description),
        languages,
    })
}

/// The built-in lexicon's entries, as concepts to copy.
pub fn lexicon() -> Vec<LexiconInfo> {
    broadsheet_analysis::concepts::lexicon::entries()
        .iter()
        .map(|e| LexiconInfo {
            id: e.id.clone(),
            concept: concept_info(&e.to_concept(None)),
        })
        .collect()
}

fn saved(p: &Project) -> Vec<SavedAnalysis> {
    p.file
        .analyses
        .iter()
        .map(|a| SavedAnalysis {
            name: a.name.clone(),
            kind: a.kind.name().to_string(),
            title: a.title(),
            entry: a.clone(),
        })
        .collect()
}
