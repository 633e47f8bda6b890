//! A session of the app: the open project (with a read connection to its corpus), the paths the
//! user granted through native dialogs, the recent-projects list and the background jobs.
//!
//! Security: the UI is not trusted with the file system. A path reaches a reader only when the
//! user chose it in a native dialog (or it is inside the open project, or on the recent list);
//! anything else is refused with [`DesktopError::NotAllowed`].

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use broadsheet_ingest::readers::text::TitleRule;
use broadsheet_ingest::{recipe, FieldMap, Format, Recipe};
use broadsheet_project::{ImportSpec, Project, RecipeRef};
use broadsheet_store::{SearchRequest, Store, Subcorpus};

use crate::ipc::*;
use crate::jobs::{Emit, Jobs, ProgressEvents};
use crate::recent::{default_config_dir, RecentProjects};
use crate::{preview, views, DesktopError, Result};

/// The native dialogs the app opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DialogKind {
    /// A folder for a new project, or a project to open.
    ProjectFolder,
    /// Files to import.
    ImportFiles,
    /// A folder to import.
    ImportFolder,
    /// A recipe file.
    RecipeFile,
}

impl DialogKind {
    /// The environment variable that pre-answers this dialog in end-to-end tests (native
    /// dialogs cannot be driven through WebDriver). Several paths are separated like `PATH`.
    pub fn test_variable(self) -> &'static str {
        match self {
            DialogKind::ProjectFolder => "BROADSHEET_E2E_PROJECT",
            DialogKind::ImportFiles | DialogKind::ImportFolder => "BROADSHEET_E2E_IMPORT",
            DialogKind::RecipeFile => "BROADSHEET_E2E_RECIPE",
        }
    }
}

/// The open project and a small pool of read connections to its corpus, so that a slow read
/// (statistics of a large corpus) does not hold up the next page of the Library.
struct Open {
    project: Project,
    pool: Arc<Mutex<Vec<Store>>>,
}

/// Read connections kept open per project.
const POOL: usize = 3;

/// The state behind the app's commands. Shared between threads (`Arc<Session>`).
pub struct Session {
    started: std::time::Instant,
    recent: RecentProjects,
    open: Mutex<Option<Open>>,
    grants: Mutex<BTreeSet<PathBuf>>,
    jobs: Jobs,
    /// The application layer's workbench of the open project for analyses: one connection,
    /// prepared once, and what analyses loaded (0.5 s and more at a million articles), kept
    /// while the corpus and the settings stay the same. Held while an analysis runs, so two
    /// never prepare at once.
    pub(crate) bench: Mutex<Option<broadsheet_project::Workbench>>,
}

const MAX_PAGE: u32 = 1000;

/// The absolute form of a path, following links; for a path that does not exist yet, its
/// parent's absolute form joined with its name.
fn absolute(p: &Path) -> PathBuf {
    if let Ok(c) = std::fs::canonicalize(p) {
        return c;
    }
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    match (abs.parent(), abs.file_name()) {
        (Some(parent), Some(name)) => absolute(parent).join(name),
        _ => abs,
    }
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Default for Session {
    fn default() -> Self {
        Session::new(&default_config_dir())
    }
}

impl Session {
    /// A session keeping its settings (the recent-projects list) in `config_dir`.
    pub fn new(config_dir: &Path) -> Self {
        Session {
            started: std::time::Instant::now(),
            recent: RecentProjects::new(config_dir),
            open: Mutex::new(None),
            grants: Mutex::new(BTreeSet::new()),
            jobs: Jobs::default(),
            bench: Mutex::new(None),
        }
    }

    pub fn app_info(&self) -> AppInfo {
        AppInfo {
            version: broadsheet_store::VERSION.to_string(),
            test_mode: [
                DialogKind::ProjectFolder,
                DialogKind::ImportFiles,
                DialogKind::RecipeFile,
            ]
            .iter()
            .any(|k| std::env::var_os(k.test_variable()).is_some()),
        }
    }

    /// The UI says its first screen shows its data. With `BROADSHEET_STARTUP_TIMING` set, prints
    /// the time since the session was made (the app's start) on standard output; returns true
    /// when `BROADSHEET_EXIT_WHEN_READY` asks the app to quit now (for start-up measurements).
    pub fn ui_ready(&self) -> bool {
        if std::env::var_os("BROADSHEET_STARTUP_TIMING").is_some() {
            println!(
                "broadsheet-app: ready after {} ms",
                self.started.elapsed().as_millis()
            );
        }
        std::env::var_os("BROADSHEET_EXIT_WHEN_READY").is_some()
    }

    pub fn jobs(&self) -> &Jobs {
        &self.jobs
    }

    // ---- dialogs and grants ----

    /// The answer end-to-end tests give in place of a native dialog, if any.
    pub fn preanswered(kind: DialogKind) -> Option<Vec<PathBuf>> {
        let v = std::env::var_os(kind.test_variable())?;
        Some(
            std::env::split_paths(&v)
                .filter(|p| !p.as_os_str().is_empty())
                .collect(),
        )
    }

    /// Records that the user chose `paths` in a native dialog; returns them as the UI shows
    /// them (absolute).
    pub fn grant(&self, paths: Vec<PathBuf>) -> Vec<String> {
        let mut g = lock(&self.grants);
        paths
            .into_iter()
            .map(|p| {
                let a = absolute(&p);
                let s = a.display().to_string();
                g.insert(a);
                s
            })
            .collect()
    }

    /// Whether the app may read `path`: chosen in a dialog (or inside a chosen folder), inside
    /// the open project, or a project on the recent list.
    pub(crate) fn allowed(&self, path: &Path) -> Result<PathBuf> {
        let a = absolute(path);
        if lock(&self.grants).iter().any(|g| a.starts_with(g)) {
            return Ok(a);
        }
        if let Some(o) = lock(&self.open).as_ref() {
            if a.starts_with(absolute(&o.project.dir)) {
                return Ok(a);
            }
        }
        if self.recent.contains(&a) {
            return Ok(a);
        }
        Err(DesktopError::NotAllowed(path.display().to_string()))
    }

    // ---- projects ----

    pub fn recent(&self) -> Vec<RecentProject> {
        self.recent.list()
    }

    pub fn forget_recent(&self, dir: &str) -> Result<Vec<RecentProject>> {
        self.recent.remove(dir)?;
        Ok(self.recent.list())
    }

    /// The project's name, folder and counts (cheap queries: this runs at every start).
    fn info(project: &Project, store: &Store) -> Result<ProjectInfo> {
        let count = |sql: &str| -> Result<u64> {
            let n: i64 = store
                .connection()
                .query_row(sql, [], |r| r.get(0))
                .map_err(|e| DesktopError::Store(e.into()))?;
            Ok(n as u64)
        };
        Ok(ProjectInfo {
            name: project.file.name.clone(),
            dir: project.dir.display().to_string(),
            articles: count("SELECT count(*) FROM articles")?,
            sources: count("SELECT count(DISTINCT source_id) FROM articles")?,
            imports: count("SELECT count(*) FROM imports")?,
        })
    }

    fn set_open(&self, project: Project) -> Result<ProjectInfo> {
        if !self.jobs.running().is_empty() {
            return Err(DesktopError::ImportRunning);
        }
        let store = project.read_store()?;
        let info = Self::info(&project, &store)?;
        self.recent.touch(&info.name, &project.dir)?;
        *lock(&self.bench) = None;
        *lock(&self.open) = Some(Open {
            project,
            pool: Arc::new(Mutex::new(vec![store])),
        });
        Ok(info)
    }

    /// Creates a project in a folder the user chose (it may not exist yet).
    pub fn create_project(&self, dir: &str, name: Option<&str>) -> Result<ProjectInfo> {
        let dir = self.allowed(Path::new(dir))?;
        let name = name.map(str::trim).filter(|n| !n.is_empty());
        let p = Project::create(&dir, name)?;
        self.set_open(p)
    }

    /// Opens the project in a folder the user chose or opened before.
    pub fn open_project(&self, dir: &str) -> Result<ProjectInfo> {
        let dir = self.allowed(Path::new(dir))?;
        let p = Project::open(&dir)?;
        self.set_open(p)
    }

    pub fn close_project(&self) -> Result<()> {
        if !self.jobs.running().is_empty() {
            return Err(DesktopError::ImportRunning);
        }
        *lock(&self.open) = None;
        *lock(&self.bench) = None;
        Ok(())
    }

    /// The open project, with fresh counts.
    pub fn project(&self) -> Result<Option<ProjectInfo>> {
        if lock(&self.open).is_none() {
            return Ok(None);
        }
        self.with_project(Self::info).map(Some)
    }

    /// Runs `f` with a read connection of the open project's corpus from the pool.
    pub(crate) fn with_project<T>(
        &self,
        f: impl FnOnce(&Project, &Store) -> Result<T>,
    ) -> Result<T> {
        let (project, pool) = {
            let g = lock(&self.open);
            let o = g.as_ref().ok_or(DesktopError::NoProject)?;
            (o.project.clone(), o.pool.clone())
        };
        let taken = lock(&pool).pop();
        let mut store = match taken {
            Some(s) => s,
            None => project.read_store()?,
        };
        // The project's concepts as they are now (a pooled connection may predate an edit).
        store.set_concepts(project.concepts().definitions());
        let r = f(&project, &store);
        let mut p = lock(&pool);
        if p.len() < POOL {
            p.push(store);
        }
        r
    }

    /// Changes the open project's file (`broadsheet.toml`) through `f`, which saves it.
    pub(crate) fn update_project<T>(&self, f: impl FnOnce(&mut Project) -> Result<T>) -> Result<T> {
        let mut g = lock(&self.open);
        let o = g.as_mut().ok_or(DesktopError::NoProject)?;
        // Start from the file as it is on disk, so edits made meanwhile (by `broadsheet`) stay.
        if let Ok(fresh) = Project::open(&o.project.dir) {
            o.project = fresh;
        }
        f(&mut o.project)
    }

    fn with_store<T>(&self, f: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        self.with_project(|_, s| f(s))
    }

    // ---- importing ----

    pub fn recipes(&self) -> Vec<RecipeInfo> {
        recipe::BUILTIN
            .iter()
            .map(|(name, toml)| RecipeInfo {
                name: name.to_string(),
                description: recipe::builtin(name)
                    .ok()
                    .and_then(|r| r.description)
                    .unwrap_or_default(),
                toml: toml.to_string(),
            })
            .collect()
    }

    /// What the import screen's options ask for: the recipe chosen and what the fields set
    /// beyond it (the same request the command line makes).
    pub fn import_spec(&self, o: &ImportOptions) -> Result<ImportSpec> {
        let recipe = match &o.recipe {
            RecipeChoice::Auto => RecipeRef::Auto,
            RecipeChoice::Builtin { name } => {
                recipe::builtin(name).map_err(|e| DesktopError::Invalid(e.to_string()))?;
                RecipeRef::Builtin { name: name.clone() }
            }
            RecipeChoice::File { path } => RecipeRef::File {
                path: self.allowed(Path::new(path))?,
            },
        };
        Ok(ImportSpec {
            paths: self.import_paths(o)?,
            recipe,
            options: Self::options_of(o)?,
        })
    }

    /// The recipe an import with these options reads with (for previews).
    pub fn recipe_of(&self, o: &ImportOptions) -> Result<Recipe> {
        let base = match &o.recipe {
            RecipeChoice::Auto => Recipe::default(),
            RecipeChoice::Builtin { name } => {
                recipe::builtin(name).map_err(|e| DesktopError::Invalid(e.to_string()))?
            }
            RecipeChoice::File { path } => {
                let p = self.allowed(Path::new(path))?;
                let text = std::fs::read_to_string(&p).map_err(|source| DesktopError::Io {
                    path: path.clone(),
                    source,
                })?;
                Recipe::from_toml(&text)
                    .map_err(|e| DesktopError::Invalid(format!("recipe {path}: {e}")))?
            }
        };
        Ok(base.overridden_by(&Self::options_of(o)?))
    }

    /// What the screen's fields set beyond the recipe.
    fn options_of(o: &ImportOptions) -> Result<Recipe> {
        let mut r = Recipe::default();
        let nonempty = |s: &Option<String>| {
            s.as_ref()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        if let Some(f) = nonempty(&o.format) {
            r.format = Some(f.parse::<Format>().map_err(DesktopError::Invalid)?);
        }
        r.source = nonempty(&o.source);
        r.language = nonempty(&o.language);
        r.no_header = o.no_header;
        r.records = nonempty(&o.records);
        if let Some(t) = nonempty(&o.title) {
            r.title = parse_title_rule(&t)?;
        }
        r.keep_html = o.keep_html;
        if let Some(d) = nonempty(&o.delimiter) {
            let c = match d.as_str() {
                "tab" | "\\t" => '\t',
                s if s.chars().count() == 1 => s.chars().next().unwrap_or(','),
                _ => {
                    return Err(DesktopError::Invalid(format!(
                        "`{d}` is not a one-character delimiter (use `tab` for tabs)"
                    )))
                }
            };
            r.delimiter = Some(c);
        }
        let mut seen = BTreeSet::new();
        for m in &o.map {
            if m.column.trim().is_empty() {
                continue;
            }
            let (field, sel) =
                FieldMap::parse_entry(&format!("{}={}", m.field.trim(), m.column.trim()))
                    .map_err(DesktopError::Invalid)?;
            if !seen.insert(field) {
                return Err(DesktopError::Invalid(format!(
                    "the field {field} is mapped twice"
                )));
            }
            r.map.insert(field, sel);
        }
        Ok(r)
    }

    fn import_paths(&self, o: &ImportOptions) -> Result<Vec<PathBuf>> {
        if o.paths.is_empty() {
            return Err(DesktopError::Invalid(
                "choose files or folders to import first".into(),
            ));
        }
        o.paths.iter().map(|p| self.allowed(Path::new(p))).collect()
    }

    /// What importing would read, from the first records. Writes nothing.
    pub fn preview_import(&self, req: &PreviewRequest) -> Result<ImportPreview> {
        let paths = self.import_paths(&req.options)?;
        let recipe = self.recipe_of(&req.options)?;
        let mut out = preview::preview(
            &paths,
            &recipe,
            req.records.unwrap_or(5).clamp(1, 50) as usize,
            req.files.unwrap_or(5).clamp(1, 50) as usize,
        )?;
        if req.options.recipe == RecipeChoice::Auto {
            out.suggestions = broadsheet_ingest::suggest_recipes(&paths);
        }
        Ok(out)
    }

    /// Starts an import into the open project on a background thread, through the
    /// application layer (the source is recorded in `broadsheet.toml` as the command line
    /// records it). Progress and the final report go to `emit` as [`JobEvent`]s.
    pub fn start_import(&self, options: &ImportOptions, emit: Emit) -> Result<JobId> {
        let spec = self.import_spec(options)?;
        let dir = {
            let g = lock(&self.open);
            g.as_ref()
                .ok_or(DesktopError::NoProject)?
                .project
                .dir
                .clone()
        };
        self.jobs
            .start_exclusive("import", move |job, cancel| {
                let result = Project::open(&dir)
                    .map_err(DesktopError::from)
                    .and_then(|mut p| {
                        let progress = ProgressEvents::new(job, emit.clone());
                        Ok(p.import(&spec, &progress, &cancel)?)
                    });
                // The project file now lists the source; the next analysis reads it afresh and
                // sees the corpus changed.
                emit(match result {
                    Ok(r) => JobEvent::Finished {
                        job,
                        output: JobOutput::Import {
                            report: views::report(&r),
                        },
                    },
                    Err(e) => JobEvent::Failed {
                        job,
                        error: format!(
                            "import failed; articles stored before the failure are kept: {e}"
                        ),
                    },
                });
            })
            .ok_or(DesktopError::ImportRunning)
    }

    pub fn cancel_job(&self, job: JobId) -> bool {
        self.jobs.cancel(job)
    }

    pub fn imports(&self) -> Result<Vec<ImportSummary>> {
        self.with_store(|s| {
            Ok(s.imports()?
                .into_iter()
                .rev()
                .map(|r| ImportSummary {
                    id: r.id,
                    started_at: r.started_at,
                    status: r.status,
                    files_seen: r.files_seen,
                    stored: r.stored,
                    duplicates: r.duplicates,
                    skipped: r.skipped,
                })
                .collect())
        })
    }

    pub fn import_report(&self, id: i64) -> Result<ImportReportInfo> {
        self.with_store(|s| Ok(views::record(s.import_record(id)?)))
    }

    // ---- reading ----

    pub fn filter_options(&self) -> Result<FilterOptions> {
        self.with_store(|s| {
            let c = s.connection();
            let sql = |e: rusqlite::Error| DesktopError::Store(e.into());
            let languages = {
                let mut st = c
                    .prepare("SELECT COALESCE(language, 'unknown'), count(*) FROM articles GROUP BY 1 ORDER BY 1")
                    .map_err(sql)?;
                let rows = st
                    .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64)))
                    .map_err(sql)?;
                rows.collect::<Result<Vec<_>, _>>().map_err(sql)?
            };
            let (first, last): (Option<i64>, Option<i64>) = c
                .query_row("SELECT min(published_at), max(published_at) FROM articles", [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .map_err(sql)?;
            let day = |t: Option<i64>| {
                t.map(|t| broadsheet_ingest::format_date(t, broadsheet_ingest::Precision::Day))
            };
            Ok(FilterOptions {
                sources: s
                    .sources()?
                    .into_iter()
                    .map(|r| SourceInfo {
                        name: r.name,
                        articles: r.articles,
                        first_date: r.first_date,
                        last_date: r.last_date,
                    })
                    .collect(),
                languages,
                first_date: day(first),
                last_date: day(last),
            })
        })
    }

    /// Renames a source or merges sources into one, through the application layer
    /// (`Project::rename_sources`: the corpus and `broadsheet.toml`). The pooled connections
    /// and the analyses' workbench start afresh, since they keep source names and boilerplate.
    pub fn rename_sources(&self, req: &SourceRename) -> Result<SourcesRenamed> {
        if !self.jobs.running().is_empty() {
            return Err(DesktopError::ImportRunning);
        }
        let m = self.update_project(|p| Ok(p.rename_sources(&req.from, &req.into)?))?;
        if let Some(o) = lock(&self.open).as_ref() {
            lock(&o.pool).clear();
        }
        *lock(&self.bench) = None;
        Ok(SourcesRenamed {
            into: m.into,
            gone: m.gone,
            moved: m.moved,
        })
    }

    /// One page of the article table and the number of rows in all.
    pub fn list_articles(&self, req: &PageRequest) -> Result<ArticlePage> {
        let sc = Subcorpus {
            query: req.query.clone().filter(|q| !q.trim().is_empty()),
            filters: views::filters(&req.filters),
        };
        let limit = req.limit.clamp(1, MAX_PAGE) as usize;
        self.with_store(|s| {
            let page = s.page(&sc, views::sort(req.sort), limit, req.offset as usize)?;
            Ok(ArticlePage {
                total: page.total,
                offset: req.offset,
                rows: page.rows.into_iter().map(views::row).collect(),
            })
        })
    }

    /// One article, with the hits of `query` marked in its title and text.
    pub fn article(&self, req: &ArticleRequest) -> Result<ArticleView> {
        self.with_store(|s| {
            let patterns = match req.query.as_deref().filter(|q| !q.trim().is_empty()) {
                Some(q) => s
                    .parse_query(q)
                    .map(|e| broadsheet_store::search::patterns(&e))
                    .unwrap_or_default(),
                None => Vec::new(),
            };
            Ok(views::article(s.article(req.id)?, &patterns))
        })
    }

    /// Checks a query without running it: `None` when it parses.
    pub fn check_query(&self, query: &str) -> Option<QueryProblem> {
        if query.trim().is_empty() {
            return None;
        }
        // Compiled by the store: places, languages, sources, dates and concepts are checked too.
        match self.with_store(|s| Ok(s.compile(&Subcorpus::query_only(query)).err())) {
            Ok(Some(broadsheet_store::StoreError::Query(q))) => Some(views::query_problem(&q)),
            Ok(_) => None,
            // No project open: the syntax alone.
            Err(_) => broadsheet_query::parse(query)
                .err()
                .map(|q| views::query_problem(&q)),
        }
    }

    pub fn search(&self, q: &SearchQuery) -> Result<SearchPage> {
        if q.query.trim().is_empty() {
            return Ok(SearchPage {
                total: 0,
                offset: 0,
                hits: Vec::new(),
            });
        }
        let req = SearchRequest {
            subcorpus: Subcorpus {
                query: Some(q.query.clone()),
                filters: views::filters(&q.filters),
            },
            sort: views::sort(q.sort),
            limit: q.limit.clamp(1, 200) as usize,
            offset: q.offset as usize,
        };
        self.with_store(|s| {
            let r = s.search(&req)?;
            Ok(SearchPage {
                total: r.total,
                offset: q.offset,
                hits: r
                    .hits
                    .into_iter()
                    .map(|h| SearchHitInfo {
                        id: h.id,
                        source: h.source,
                        title: h.title,
                        date: h.date,
                        snippet: views::segments_of(h.snippet),
                    })
                    .collect(),
            })
        })
    }

    pub fn stats(&self) -> Result<StatsView> {
        self.with_store(|s| Ok(views::stats(s.stats()?)))
    }
}

/// A session shared between the shell's command handlers.
pub type Shared = Arc<Session>;

/// A title rule as the Import screen names it.
fn parse_title_rule(s: &str) -> Result<TitleRule> {
    match s {
        "auto" => Ok(TitleRule::Auto),
        "first-line" => Ok(TitleRule::FirstLine),
        "filename" => Ok(TitleRule::Filename),
        "none" => Ok(TitleRule::None),
        _ => Err(DesktopError::Invalid(format!(
            "`{s}`: the title comes from auto, first-line, filename or none"
        ))),
    }
}
