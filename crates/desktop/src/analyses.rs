//! The Analyses area: every analysis runs through the engine's `AnalysisEntry` (the description
//! a project file's `[[analyses]]` holds, and `broadsheet run` computes), its chart is drawn by
//! the same call the `broadsheet` command uses, exports are written by the engine's writers, and
//! concepts and saved analyses are kept in `broadsheet.toml` through the project crate.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use broadsheet_analysis::charts::{chart_of, render_chart, ChartFormat, Labels, Scale};
use broadsheet_analysis::entry::SubcorpusEntry;
use broadsheet_analysis::output::{rows_json, write_table};
use broadsheet_analysis::{AnalysisEntry, Analyzer, Concept, Kind, Loaded, Period, Table};
use broadsheet_project::Project;

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

fn clean_list(v: &[String]) -> Vec<String> {
    v.iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn subcorpus_entry(s: &SubcorpusSpec) -> SubcorpusEntry {
    SubcorpusEntry {
        query: nonempty(&s.query),
        from: nonempty(&s.from),
        to: nonempty(&s.to),
        sources: clean_list(&s.sources),
        languages: clean_list(&s.languages),
        places: clean_list(&s.places),
        dedup: s.dedup,
    }
}

fn kind_of(k: AnalysisKind) -> Kind {
    match k {
        AnalysisKind::Timeline => Kind::Timeline,
        AnalysisKind::Regions => Kind::Regions,
        AnalysisKind::Terms => Kind::Terms,
        AnalysisKind::Keyness => Kind::Keyness,
        AnalysisKind::Kwic => Kind::Kwic,
        AnalysisKind::Collocations => Kind::Collocations,
        AnalysisKind::Dispersion => Kind::Dispersion,
        AnalysisKind::Audit => Kind::Audit,
    }
}

/// A name usable as an output file name: letters, digits, `-` and `_`; spaces become `-`.
pub fn entry_name(name: &str, kind: AnalysisKind) -> String {
    let mut out = String::new();
    for c in name.trim().chars() {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            out.push(c);
        } else if (c.is_whitespace() || c == '.' || c == '/') && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        kind_of(kind).name().to_string()
    } else {
        out
    }
}

/// The engine's description of the analysis a request asks for.
pub fn entry_of(req: &AnalysisRequest) -> Result<AnalysisEntry> {
    let sc = subcorpus_entry(&req.subcorpus);
    let period = match nonempty(&req.period) {
        Some(p) => Some(p.parse::<Period>().map_err(DesktopError::Invalid)?),
        None => None,
    };
    let kind = kind_of(req.kind);
    let reference = req
        .reference
        .as_ref()
        .map(subcorpus_entry)
        .map(|mut r| {
            r.dedup = sc.dedup;
            r
        })
        .filter(|r| {
            !SubcorpusEntry {
                dedup: false,
                ..r.clone()
            }
            .is_empty()
        });
    Ok(AnalysisEntry {
        name: entry_name(&req.name, req.kind),
        kind,
        query: sc.query,
        from: sc.from,
        to: sc.to,
        sources: sc.sources,
        languages: sc.languages,
        places: sc.places,
        dedup: sc.dedup,
        reference: if kind == Kind::Keyness {
            reference
        } else {
            None
        },
        node: nonempty(&req.node),
        terms: clean_list(&req.terms),
        concepts: clean_list(&req.concepts),
        match_query: nonempty(&req.match_query),
        by: nonempty(&req.by),
        regions: clean_list(&req.regions),
        period,
        min_total: req.min_total,
        n: req.n,
        min_freq: req.min_freq,
        limit: req.limit.map(|l| l as usize),
        width: req.width.map(|w| w as usize),
        sort: nonempty(&req.sort),
        left: req.left.map(|l| l as usize),
        right: req.right.map(|r| r as usize),
        measure: nonempty(&req.measure),
        sample: req.sample.map(|s| s as usize),
        seed: req.seed,
        formats: Vec::new(),
    })
}

/// The chart of a finished analysis, drawn as the `broadsheet` command draws it (`--out
/// FILE.svg`): the same title, the same notes under it. `absolute` draws counts for timelines
/// and regions.
fn draw(
    e: &AnalysisEntry,
    t: &Table,
    absolute: bool,
    format: ChartFormat,
    scale: u32,
) -> Result<Option<Vec<u8>>> {
    let chart = if absolute && matches!(e.kind, Kind::Timeline | Kind::Regions) {
        chart_of(
            e.kind,
            t,
            Scale::Count,
            e.min_total.or(Some(5)),
            &Labels::default(),
        )?
    } else {
        e.chart(t)?
    };
    let Some(chart) = chart else {
        return Ok(None);
    };
    let notes: Vec<String> = t
        .notes
        .iter()
        .filter(|(k, _)| k == "articles" || k == "matching" || k == "tokens")
        .map(|(k, v)| format!("{k}: {v}"))
        .collect();
    Ok(Some(render_chart(
        &chart,
        &e.title(),
        (!notes.is_empty()).then(|| notes.join(" · ")),
        scale,
        format,
    )?))
}

impl Session {
    /// Fills the corpus's derived data (term vectors, place tags, duplicate clusters) when
    /// articles were added since the last time. Cheap when nothing changed.
    fn prepare(&self, project: &Project) -> Result<(PathBuf, i64, i64)> {
        let mut prepared = lock(&self.prepared);
        let mut store = project.store()?;
        let key: (i64, i64) = store
            .connection()
            .query_row(
                "SELECT count(*), COALESCE(max(id), 0) FROM articles",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| DesktopError::Store(e.into()))?;
        let path = project.corpus_path();
        let prepared_key = (path, key.0, key.1);
        if prepared.as_ref() == Some(&prepared_key) {
            return Ok(prepared_key);
        }
        store.prepare(
            &project.file.text.boilerplate,
            Some(project.file.duplicates.threshold),
            &|_, _| {},
            &AtomicBool::new(false),
        )?;
        *prepared = Some(prepared_key.clone());
        Ok(prepared_key)
    }

    /// What the previous analysis loaded, when it was over the same corpus, threshold and text
    /// settings; otherwise a fresh one, kept for the next.
    fn loaded_for(&self, project: &Project, corpus: &(PathBuf, i64, i64)) -> Arc<Loaded> {
        let key = format!(
            "{}\n{}\n{}\n{}\n{:?}",
            corpus.0.display(),
            corpus.1,
            corpus.2,
            project.file.duplicates.threshold,
            project.file.text
        );
        let mut g = lock(&self.loaded);
        match g.as_ref() {
            Some((k, l)) if *k == key => l.clone(),
            _ => {
                let l = Arc::new(Loaded::default());
                *g = Some((key, l.clone()));
                l
            }
        }
    }

    /// Computes an analysis over the open project's corpus.
    fn compute(&self, req: &AnalysisRequest) -> Result<(AnalysisEntry, Table)> {
        let entry = entry_of(req)?;
        self.with_project(|project, store| {
            let corpus = self.prepare(project)?;
            let loaded = self.loaded_for(project, &corpus);
            let a = Analyzer::with_loaded(store, &project.file.text, loaded)?;
            let t = entry.compute(&a, &project.concepts())?;
            Ok((entry, t))
        })
    }

    /// Runs an analysis: its table (the first [`MAX_ROWS`] rows), notes and chart.
    pub fn run_analysis(&self, req: &AnalysisRequest) -> Result<AnalysisResult> {
        let (entry, t) = self.compute(req)?;
        let chart_svg = draw(&entry, &t, req.absolute, ChartFormat::Svg, 1)?
            .map(|b| String::from_utf8_lossy(&b).into_owned());
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
            title: entry.title(),
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
        req: &AnalysisRequest,
        format: ExportFormat,
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
        let (entry, t) = self.compute(req)?;
        if format.is_chart() {
            let f = if format == ExportFormat::Svg {
                ChartFormat::Svg
            } else {
                ChartFormat::Png
            };
            let bytes = draw(&entry, &t, req.absolute, f, 1)?.ok_or_else(|| {
                DesktopError::Invalid(format!(
                    "a {} has no chart; export its table instead",
                    entry.kind.name()
                ))
            })?;
            std::fs::write(&path, bytes).map_err(|source| DesktopError::Io {
                path: path.display().to_string(),
                source,
            })?;
            return Ok(ExportResult {
                path: path.display().to_string(),
                rows: 0,
            });
        }
        write_table(&t, &path, false)?;
        Ok(ExportResult {
            path: path.display().to_string(),
            rows: t.frame.height() as u64,
        })
    }

    /// The file name a save dialog proposes for an export.
    pub fn export_file_name(req: &AnalysisRequest, format: ExportFormat) -> String {
        format!("{}.{}", entry_name(&req.name, req.kind), format.extension())
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
        let c = Concept {
            name: name.clone(),
            query: concept.query.trim().to_string(),
            description: nonempty(&concept.description),
        };
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

    /// Appends the analysis to the project file's `analyses` (replacing one of the same name),
    /// so that `broadsheet run` computes it into `outputs/`.
    pub fn save_analysis(&self, req: &AnalysisRequest) -> Result<Vec<SavedAnalysis>> {
        let mut entry = entry_of(req)?;
        entry.formats = if entry.has_chart() {
            vec!["csv".into(), "svg".into()]
        } else {
            vec!["csv".into()]
        };
        self.update_project(|p| {
            if entry.concepts.iter().any(|c| p.concepts().get(c).is_none()) {
                return Err(DesktopError::Invalid(format!(
                    "the analysis names a concept the project does not have: {}",
                    entry.concepts.join(", ")
                )));
            }
            match p.file.analyses.iter_mut().find(|a| a.name == entry.name) {
                Some(a) => *a = entry,
                None => p.file.analyses.push(entry),
            }
            p.save()?;
            Ok(saved(p))
        })
    }

    pub fn saved_analyses(&self) -> Result<Vec<SavedAnalysis>> {
        self.update_project(|p| Ok(saved(p)))
    }
}

fn concept_infos(p: &Project) -> Vec<ConceptInfo> {
    p.file
        .concepts
        .iter()
        .map(|c| ConceptInfo {
            name: c.name.clone(),
            query: c.query.clone(),
            description: c.description.clone(),
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
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_file_names() {
        assert_eq!(
            entry_name(" Security by outlet ", AnalysisKind::Timeline),
            "Security-by-outlet"
        );
        assert_eq!(entry_name("../../etc", AnalysisKind::Terms), "etc");
        assert_eq!(entry_name("", AnalysisKind::Kwic), "kwic");
    }

    #[test]
    fn requests_become_entries() {
        let e = entry_of(&AnalysisRequest {
            name: "t".into(),
            kind: AnalysisKind::Keyness,
            subcorpus: SubcorpusSpec {
                query: Some("  ".into()),
                sources: vec!["Steppe Herald".into(), " ".into()],
                dedup: true,
                ..Default::default()
            },
            reference: Some(SubcorpusSpec::default()),
            period: Some("quarter".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(e.query, None);
        assert_eq!(e.sources, vec!["Steppe Herald".to_string()]);
        assert!(e.dedup);
        assert_eq!(e.reference, None, "an empty reference is the rest");
        assert_eq!(e.period, Some(Period::Quarter));
        assert!(entry_of(&AnalysisRequest {
            period: Some("fortnight".into()),
            ..Default::default()
        })
        .is_err());
    }
}
