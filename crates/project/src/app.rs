//! The application layer: what the `broadsheet` command and the desktop app do with a project,
//! one call each. [`Project::import`] resolves the recipe, records the source before the import
//! (marked incomplete) and its files after, and imports with the project's settings;
//! [`Workbench::analyse`] prepares the store, keeps what the analyzer loaded while the corpus
//! and the settings stay the same, and returns the table with its chart. The front ends parse
//! their input and show the result; nothing else.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use broadsheet_analysis::charts::{render_chart, ChartFormat};
use broadsheet_analysis::entry::OutputFormat;
use broadsheet_analysis::output::{write_table, CsvOptions};
use broadsheet_analysis::{AnalysisEntry, Analyzer, Loaded, Table};
use broadsheet_ingest::{recipe, Recipe};
use broadsheet_lexis::TextSettings;
use broadsheet_store::{
    ImportProgress, ImportReport, ImportRequest, ImportStatus, SourceMerge, Store,
};

use crate::run::{corpus_fingerprint, set_fingerprint, stored_fingerprint};
use crate::sources::{relative, SourceEntry};
use crate::{Project, ProjectError};

/// Which recipe reads an import.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum RecipeRef {
    /// No recipe: formats detected, common field names mapped, dates inferred.
    #[default]
    Auto,
    /// A built-in recipe by name (`broadsheet recipes` lists them).
    Builtin { name: String },
    /// A recipe file; it is copied into the project's `recipes/` folder, so that the project
    /// folder holds everything `broadsheet run` needs.
    File { path: PathBuf },
}

/// What to import: the paths, the recipe, and what the command line or the import screen set
/// beyond it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportSpec {
    pub paths: Vec<PathBuf>,
    pub recipe: RecipeRef,
    pub options: Recipe,
}

impl Project {
    /// The recipe an import with `r` reads with, and how the project names it (a built-in
    /// name, or `recipes/<file>` after copying the file in).
    fn adopt_recipe(&self, r: &RecipeRef) -> Result<Option<String>, ProjectError> {
        match r {
            RecipeRef::Auto => Ok(None),
            RecipeRef::Builtin { name } => {
                recipe::builtin(name).map_err(|e| self.bad(e.to_string()))?;
                Ok(Some(name.clone()))
            }
            RecipeRef::File { path } => {
                let text = std::fs::read_to_string(path).map_err(|source| ProjectError::Io {
                    path: path.display().to_string(),
                    source,
                })?;
                Recipe::from_toml(&text)
                    .map_err(|e| self.bad(format!("recipe {}: {e}", path.display())))?;
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "recipe.toml".into());
                let dir = self.dir.join("recipes");
                let dst = dir.join(&name);
                let io = |p: &Path| {
                    let p = p.display().to_string();
                    move |source| ProjectError::Io { path: p, source }
                };
                std::fs::create_dir_all(&dir).map_err(io(&dir))?;
                if std::fs::canonicalize(path).ok() != std::fs::canonicalize(&dst).ok() {
                    std::fs::copy(path, &dst).map_err(io(&dst))?;
                }
                Ok(Some(format!("recipes/{name}")))
            }
        }
    }

    /// Imports into the project's corpus. Each path is recorded as a source *before* the
    /// import, marked incomplete, so that an import cut short (Ctrl-C, a kill, a full disk)
    /// leaves the project knowing what it was building; when the import completes, the
    /// sources' files are recorded with their hashes and the mark is removed. A source already
    /// recorded with the same path, recipe and options is updated, not repeated.
    pub fn import(
        &mut self,
        spec: &ImportSpec,
        progress: &dyn ImportProgress,
        cancel: &AtomicBool,
    ) -> Result<ImportReport, ProjectError> {
        if spec.paths.is_empty() {
            return Err(self.bad("nothing to import: name files or folders".into()));
        }
        let recipe_name = self.adopt_recipe(&spec.recipe)?;
        let entries: Vec<SourceEntry> = spec
            .paths
            .iter()
            .map(|p| SourceEntry {
                path: relative(p, &self.dir),
                recipe: recipe_name.clone(),
                options: spec.options.clone(),
                files: Vec::new(),
                complete: false,
            })
            .collect();
        let recipe = self.effective_recipe(&entries[0])?;
        let mut store = self.store()?;
        // Whether the corpus is built from exactly the recorded sources (then `broadsheet run`
        // uses it as it is; otherwise it rebuilds the corpus from them).
        let consistent = store.stats()?.articles == 0
            || stored_fingerprint(&store).as_deref() == Some(corpus_fingerprint(self)?.as_str());
        self.record_sources(entries.clone())?;
        let req = ImportRequest {
            boilerplate: self.file.text.boilerplate.clone(),
            source_names: self.file.source_names.clone(),
            ..ImportRequest::new(spec.paths.clone(), recipe)
        };
        let report = broadsheet_store::import(&mut store, &req, progress, cancel)?;
        if report.status == ImportStatus::Completed {
            let mut done = Vec::with_capacity(entries.len());
            for mut e in entries {
                e.files = self.scan_source(&e)?;
                e.complete = true;
                done.push(e);
            }
            self.record_sources(done)?;
            if consistent {
                set_fingerprint(&store, &corpus_fingerprint(self)?)?;
            }
        }
        Ok(report)
    }

    /// Saves an analysis in the project file (replacing one of the same name), so that
    /// `broadsheet run` computes it into `outputs/`: tidied as forms are, written as its table
    /// and, when it has one, its chart. The concepts it counts must exist.
    pub fn save_analysis(&mut self, entry: &AnalysisEntry) -> Result<(), ProjectError> {
        let mut entry = entry.clone().tidy();
        if entry.formats.is_empty() {
            entry.formats = if entry.has_chart() {
                vec![OutputFormat::Csv, OutputFormat::Svg]
            } else {
                vec![OutputFormat::Csv]
            };
        }
        let concepts = self.concepts();
        if let Some(c) = entry.concepts.iter().find(|c| concepts.get(c).is_none()) {
            return Err(self.bad(format!(
                "analysis `{}` counts the concept `{c}`, which the project does not have",
                entry.name
            )));
        }
        if let Some(problem) = crate::run::output_name_problem(&entry.name) {
            return Err(self.bad(format!("analysis `{}`: {problem}", entry.name)));
        }
        match self.file.analyses.iter_mut().find(|a| a.name == entry.name) {
            Some(a) => *a = entry,
            None => self.file.analyses.push(entry),
        }
        self.save()
    }

    /// Renames a source (`from` one name, `into` a new one) or merges sources into one (`into`
    /// may be one of them or another source): at once in the corpus, with the merged source's
    /// boilerplate found again under the project's settings, and in the project file's
    /// `[source_names]`, so that later imports and `broadsheet run --fresh` give the same names.
    pub fn rename_sources(
        &mut self,
        from: &[String],
        into: &str,
    ) -> Result<SourceMerge, ProjectError> {
        let mut store = self.store()?;
        let consistent =
            stored_fingerprint(&store).as_deref() == Some(corpus_fingerprint(self)?.as_str());
        let merge = store.merge_sources(from, into)?;
        self.record_source_names(&merge.gone, &merge.into)?;
        let cancel = AtomicBool::new(false);
        store.ensure_boilerplate(&self.file.text.boilerplate, &|_, _| {}, &cancel)?;
        if consistent {
            set_fingerprint(&store, &corpus_fingerprint(self)?)?;
        }
        Ok(merge)
    }

    /// Records in `[source_names]` that the names `gone` are now `into` (names that already
    /// led to one of them lead to `into`), under the project's lock, keeping entries another
    /// process recorded meanwhile.
    fn record_source_names(&mut self, gone: &[String], into: &str) -> Result<(), ProjectError> {
        let _lock = self.lock()?;
        if let Ok(on_disk) = Project::open(&self.dir) {
            for (from, to) in on_disk.file.source_names {
                self.file.source_names.entry(from).or_insert(to);
            }
        }
        let names = &mut self.file.source_names;
        for to in names.values_mut().filter(|to| gone.contains(to)) {
            *to = into.to_string();
        }
        for g in gone {
            names.insert(g.clone(), into.to_string());
        }
        names.retain(|from, to| from != to);
        for a in &mut self.file.analyses {
            for sub in std::iter::once(&mut a.subcorpus).chain(a.reference.as_mut()) {
                rename_in(&mut sub.sources, gone, into);
            }
        }
        self.save()
    }

    /// Records sources in the project file: under the project's lock, the sources another
    /// process recorded meanwhile are read back first, so that two imports into one project
    /// both stay recorded (neither save overwrites the other's sources).
    fn record_sources(&mut self, entries: Vec<SourceEntry>) -> Result<(), ProjectError> {
        let _lock = self.lock()?;
        if let Ok(on_disk) = Project::open(&self.dir) {
            for s in on_disk.file.sources {
                if !self.file.sources.iter().any(|t| same_source(t, &s)) {
                    self.file.sources.push(s);
                }
            }
        }
        for e in entries {
            self.upsert_source(e);
        }
        self.save()
    }

    /// Adds a source, or replaces the one with the same path, recipe and options.
    fn upsert_source(&mut self, entry: SourceEntry) {
        match self
            .file
            .sources
            .iter_mut()
            .find(|s| same_source(s, &entry))
        {
            Some(s) => {
                let files = std::mem::take(&mut s.files);
                *s = entry;
                if s.files.is_empty() {
                    // Recorded files stay until the import that replaces them completes.
                    s.files = files;
                }
            }
            None => self.file.sources.push(entry),
        }
    }

    pub(crate) fn bad(&self, message: String) -> ProjectError {
        ProjectError::BadFile {
            path: self.dir.join(crate::PROJECT_FILE).display().to_string(),
            message,
        }
    }
}

/// A finished analysis: the entry it ran, its table, and what draws and writes it.
#[derive(Debug, Clone)]
pub struct Analysed {
    pub entry: AnalysisEntry,
    pub table: Table,
}

impl Analysed {
    pub fn title(&self) -> String {
        self.entry.title()
    }

    /// The subtitle: the one the entry gives, else what the table counted.
    pub fn subtitle(&self) -> Option<String> {
        if let Some(s) = self
            .entry
            .chart
            .subtitle
            .as_ref()
            .filter(|s| !s.trim().is_empty())
        {
            return Some(s.clone());
        }
        let notes: Vec<String> = self
            .table
            .notes
            .iter()
            .filter(|(k, _)| k == "articles" || k == "matching" || k == "tokens")
            .map(|(k, v)| format!("{k}: {v}"))
            .collect();
        (!notes.is_empty()).then(|| notes.join(" · "))
    }

    /// The chart in `format` at `scale`, when the analysis has one: the same bytes from the
    /// command, the app and `broadsheet run`.
    pub fn render(&self, format: ChartFormat, scale: u32) -> Result<Option<Vec<u8>>, ProjectError> {
        let Some(chart) = self.entry.chart(&self.table)? else {
            return Ok(None);
        };
        Ok(Some(render_chart(
            &chart,
            &self.title(),
            self.subtitle(),
            scale,
            format,
        )?))
    }

    /// The chart drawn for a screen `width` logical pixels wide (labels at their size there).
    pub fn render_preview(&self, width: u32) -> Result<Option<Vec<u8>>, ProjectError> {
        let Some(chart) = self.entry.chart(&self.table)? else {
            return Ok(None);
        };
        Ok(Some(broadsheet_analysis::charts::render_chart_at_width(
            &chart,
            &self.title(),
            self.subtitle(),
            width,
            ChartFormat::Svg,
        )?))
    }

    /// Writes the table (csv, json, parquet) or the chart (svg, png) to `path`.
    pub fn write(
        &self,
        path: &Path,
        format: OutputFormat,
        scale: u32,
        csv: CsvOptions,
    ) -> Result<(), ProjectError> {
        let io = |source| ProjectError::Io {
            path: path.display().to_string(),
            source,
        };
        // Said in the user's words before anything is written (not as the OS error on a
        // temporary file the writer would make).
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            if !dir.is_dir() {
                return Err(ProjectError::Io {
                    path: path.display().to_string(),
                    source: std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        format!("the folder {} does not exist", dir.display()),
                    ),
                });
            }
        }
        if !format.is_chart() {
            write_table(&self.table, path, csv)?;
            return Ok(());
        }
        let chart_format = if format == OutputFormat::Svg {
            ChartFormat::Svg
        } else {
            ChartFormat::Png
        };
        let bytes = self
            .render(chart_format, scale)?
            .ok_or_else(|| ProjectError::NoChart {
                analysis: self.entry.name.clone(),
                kind: self.entry.kind.name().into(),
            })?;
        std::fs::write(path, bytes).map_err(io)
    }
}

/// An open project ready for analyses: one connection to its corpus, prepared once, and what
/// the analyses loaded (the metadata of every article, the term dictionary, the word maps of
/// the text settings: half a second and more at a million articles), kept for the next
/// analysis while the corpus, its duplicate threshold and the text settings stay the same.
pub struct Workbench {
    project: Project,
    store: Store,
    /// What the corpus was last prepared for, and what analyses loaded since.
    prepared: Option<String>,
    /// The corpus's language codes when it was last prepared (what `auto` stop words mean).
    languages: Vec<String>,
    loaded: Option<(String, Arc<Loaded>)>,
}

impl Workbench {
    pub fn open(project: Project) -> Result<Workbench, ProjectError> {
        let store = project.read_store()?;
        Ok(Workbench {
            project,
            store,
            prepared: None,
            languages: Vec::new(),
            loaded: None,
        })
    }

    pub fn project(&self) -> &Project {
        &self.project
    }

    /// Takes the project file as it is now (after an import or an edit elsewhere).
    pub fn set_project(&mut self, project: Project) {
        self.store.set_concepts(project.concepts().definitions());
        self.project = project;
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The corpus's state and the settings that what analyses load depends on. The state is
    /// the metadata key (the corpus id and the generation every writer advances); a corpus
    /// too old to have one, opened read-only, is named by its article count and largest id.
    fn state(&self, text: &TextSettings) -> Result<String, ProjectError> {
        let corpus = match self.store.metadata_key()? {
            Some(key) => key,
            None => {
                let (n, max): (i64, i64) = self
                    .store
                    .connection()
                    .query_row(
                        "SELECT count(*), coalesce(max(id), 0) FROM articles",
                        [],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .map_err(broadsheet_store::StoreError::from)?;
                format!("{n}:{max}")
            }
        };
        Ok(format!(
            "{corpus}:{}:{}:{}:{}",
            broadsheet_store::VERSION,
            broadsheet_store::derive::DERIVED_VERSION,
            self.project.file.duplicates.threshold,
            serde_json::to_string(text).unwrap_or_default()
        ))
    }

    /// Brings derived data, source boilerplate and clusters up to date (see
    /// [`Store::prepare`]); nothing to do when the corpus and the settings did not change since
    /// this workbench, or any process, last prepared it (the state recorded in the corpus).
    pub fn prepare(
        &mut self,
        progress: &dyn Fn(u64, u64),
        cancel: &AtomicBool,
    ) -> Result<(), ProjectError> {
        let key = self.state(&self.project.file.text)?;
        if self.prepared.as_deref() == Some(key.as_str()) {
            return Ok(());
        }
        let key = if self.store.prepared_for()?.as_deref() == Some(key.as_str()) {
            key
        } else {
            self.store.prepare(
                &self.project.file.text.boilerplate,
                Some(self.project.file.duplicates.threshold),
                progress,
                cancel,
            )?;
            // Preparing may change the corpus's derived data and clusters, and so its state.
            let key = self.state(&self.project.file.text)?;
            // Only a shortcut for the next process: a corpus another process is writing to
            // (busy) must not fail the analysis.
            let _ = self.store.set_prepared_for(&key);
            key
        };
        self.prepared = Some(key);
        self.languages = broadsheet_analysis::meta_cache::language_codes(&self.store)?;
        Ok(())
    }

    /// Runs an analysis with the project's text settings, or `text` for this run (the command
    /// line's `--stopwords`, `--stem` …).
    pub fn analyse(
        &mut self,
        entry: &AnalysisEntry,
        text: Option<&TextSettings>,
        cancel: &AtomicBool,
    ) -> Result<Analysed, ProjectError> {
        self.prepare(&|_, _| {}, cancel)?;
        let settings = self.settings_for(entry, text);
        let key = self.state(&settings)?;
        let loaded = match &self.loaded {
            Some((k, l)) if *k == key => l.clone(),
            _ => Arc::default(),
        };
        let analyzer = Analyzer::with_loaded(&self.store, &settings, loaded)?;
        let mut table = entry.compute(&analyzer, &self.project.concepts())?;
        if entry.kind.counts_words() {
            table = table.note("stop_words", stop_word_note(&analyzer.settings()));
        }
        self.loaded = Some((key, analyzer.loaded()));
        Ok(Analysed {
            entry: entry.clone(),
            table,
        })
    }
}

impl Workbench {
    /// The text settings an analysis runs with: the project's (or `text`, the command line's
    /// for this run), the analysis's own stop-word switch applied, and `auto` stop words
    /// resolved to the corpus's languages.
    fn settings_for(&self, entry: &AnalysisEntry, text: Option<&TextSettings>) -> TextSettings {
        entry_settings(text.unwrap_or(&self.project.file.text), entry).resolved(&self.languages)
    }
}

/// The text settings an analysis runs with before `auto` stop words are resolved: `base` (the
/// project's or the command line's) with the analysis's own stop-word switch applied.
pub fn entry_settings(base: &TextSettings, entry: &AnalysisEntry) -> TextSettings {
    {
        let mut settings = base.clone();
        match entry.stop_words {
            Some(false) => settings.stop_words.languages.clear(),
            Some(true) if settings.stop_words.languages.is_empty() => {
                settings.stop_words = broadsheet_lexis::StopWordSettings {
                    languages: vec![broadsheet_lexis::stopwords::AUTO.to_string()],
                    ..settings.stop_words
                }
            }
            _ => {}
        }
        settings
    }
}

/// What a table's `stop_words` note says: the languages whose lists were left out and how many
/// words that is, or `none`.
pub(crate) fn stop_word_note(settings: &TextSettings) -> String {
    match broadsheet_lexis::StopWords::from_settings(&settings.stop_words) {
        Ok(s) if !s.is_empty() => {
            let langs = s.languages().join(", ");
            let langs = if langs.is_empty() {
                "own list".into()
            } else {
                langs
            };
            format!("{langs} ({} words)", s.len())
        }
        _ => "none".into(),
    }
}

/// Where an analysis's outputs go inside a project.
pub fn output_path(dir: &Path, name: &str, format: OutputFormat) -> PathBuf {
    dir.join(format!("{name}.{}", format.extension()))
}

/// A saved analysis's source filter after a rename or merge: the names `gone` become `into`,
/// once.
fn rename_in(sources: &mut Vec<String>, gone: &[String], into: &str) {
    let mut out: Vec<String> = Vec::with_capacity(sources.len());
    for s in sources.drain(..) {
        let now = if gone.contains(&s) {
            into.to_string()
        } else {
            s
        };
        if !out.contains(&now) {
            out.push(now);
        }
    }
    *sources = out;
}

/// Whether two source entries name the same import (path, recipe and options).
fn same_source(a: &SourceEntry, b: &SourceEntry) -> bool {
    a.path == b.path && a.recipe == b.recipe && a.options == b.options
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(path: &str) -> SourceEntry {
        SourceEntry {
            path: path.into(),
            recipe: None,
            options: Default::default(),
            files: Vec::new(),
            complete: false,
        }
    }

    /// Renames and merges in a row: every name leads straight to the name kept now, and a
    /// source renamed back to its own name needs no entry.
    #[test]
    fn source_names_lead_to_the_latest_name() {
        let dir = tempfile::tempdir().unwrap();
        let mut p = Project::create(dir.path(), Some("study")).unwrap();
        let names = |p: &Project| -> Vec<(String, String)> {
            let on_disk = Project::open(&p.dir).unwrap().file.source_names;
            assert_eq!(on_disk, p.file.source_names);
            on_disk.into_iter().collect()
        };
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        p.record_source_names(&s(&["A"]), "B").unwrap();
        p.record_source_names(&s(&["B", "C"]), "D").unwrap();
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(names(&p), [pair("A", "D"), pair("B", "D"), pair("C", "D")]);
        let mut saved = AnalysisEntry {
            name: "by-outlet".into(),
            ..AnalysisEntry::default()
        };
        saved.subcorpus.sources = s(&["D", "E"]);
        p.file.analyses.push(saved);
        p.record_source_names(&s(&["D", "E"]), "A").unwrap();
        assert_eq!(
            names(&p),
            [
                pair("B", "A"),
                pair("C", "A"),
                pair("D", "A"),
                pair("E", "A")
            ]
        );
        // Saved analyses filter on the new name, so `broadsheet run` finds it.
        let on_disk = Project::open(&p.dir).unwrap();
        assert_eq!(on_disk.file.analyses[0].subcorpus.sources, s(&["A"]));
    }

    /// Two processes importing into one project at once: each loaded the project file before
    /// the other recorded its source, and the second save dropped the first's source (and the
    /// two saves renamed each other's temporary file: "broadsheet.toml: No such file").
    #[test]
    fn concurrent_imports_both_stay_recorded() {
        let dir = tempfile::tempdir().unwrap();
        Project::create(dir.path(), Some("study")).unwrap();
        let mut first = Project::open(dir.path()).unwrap();
        let mut second = Project::open(dir.path()).unwrap();
        first.record_sources(vec![source("a.csv")]).unwrap();
        second.record_sources(vec![source("b.csv")]).unwrap();
        let mut done = source("a.csv");
        done.complete = true;
        first.record_sources(vec![done]).unwrap();
        let on_disk = Project::open(dir.path()).unwrap().file.sources;
        let got: Vec<(&str, bool)> = on_disk
            .iter()
            .map(|s| (s.path.as_str(), s.complete))
            .collect();
        assert_eq!(got, [("a.csv", true), ("b.csv", false)]);
    }

    /// The state a corpus was prepared for is recorded in it, so the next process skips the
    /// checks; a setting that changes what preparing does must make it prepare again.
    #[test]
    fn a_changed_threshold_is_prepared_by_the_next_process() {
        let dir = tempfile::tempdir().unwrap();
        let mut p = Project::create(dir.path(), Some("study")).unwrap();
        let f = dir.path().join("a.jsonl");
        let body = "Kyrgyz and Tajik officials met at the border on Tuesday to discuss the water \
                    dispute, the ministry said, and agreed to meet again next month.";
        let lines: Vec<String> = (0..3)
            .map(|i| {
                format!(
                    r#"{{"title": "Talks {i}", "body": "{body} Day {i}.", "date": "2021-04-2{i}", "source": "Wire"}}"#
                )
            })
            .collect();
        std::fs::write(&f, lines.join("\n")).unwrap();
        let spec = ImportSpec {
            paths: vec![f],
            recipe: RecipeRef::Auto,
            options: Recipe::default(),
        };
        p.import(&spec, &(), &AtomicBool::new(false)).unwrap();
        let prepare = |p: &Project| {
            let mut bench = Workbench::open(p.clone()).unwrap();
            bench.prepare(&|_, _| {}, &AtomicBool::new(false)).unwrap();
            let state = bench.state(&p.file.text).unwrap();
            assert_eq!(bench.store().prepared_for().unwrap(), Some(state));
            bench
        };
        prepare(&p);
        p.file.duplicates.threshold = 0.3;
        p.save().unwrap();
        let bench = prepare(&p);
        assert_eq!(bench.store().cluster_threshold(), 0.3);
        assert!(bench.store().cluster_report().unwrap().clusters >= 1);
    }
}
