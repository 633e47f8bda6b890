//! The Broadsheet desktop app: a Tauri shell. Every command is a one-line adapter into
//! `broadsheet_desktop::Session`; job events are forwarded to the window as `job` events.
//! Native dialogs are opened here (or pre-answered in end-to-end tests) and what the user
//! chose is granted to the session, which reads nothing else.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::PathBuf;
use std::sync::Arc;

use broadsheet_desktop::ipc::*;
use broadsheet_desktop::{DesktopError, DialogKind, Session};
use tauri::{AppHandle, Emitter, Manager, State};
use tauri_plugin_dialog::DialogExt;

type Shared = Arc<Session>;
type R<T> = Result<T, DesktopError>;

/// Runs session work on a blocking thread, so no command holds up the UI or the async runtime.
async fn run<T: Send + 'static>(
    s: &State<'_, Shared>,
    f: impl FnOnce(&Session) -> R<T> + Send + 'static,
) -> R<T> {
    let s = s.inner().clone();
    tauri::async_runtime::spawn_blocking(move || f(&s))
        .await
        .map_err(|e| DesktopError::Invalid(format!("internal error: {e}")))?
}

/// Shows a native dialog (or takes the test's pre-answer) and grants what was chosen.
fn choose(app: &AppHandle, s: &Session, kind: DialogKind) -> Vec<String> {
    let chosen: Vec<PathBuf> = match Session::preanswered(kind) {
        Some(paths) => paths,
        None => {
            let d = app.dialog().file();
            let picked = match kind {
                DialogKind::ProjectFolder => d.blocking_pick_folder().map(|p| vec![p]),
                DialogKind::ImportFolder => d.blocking_pick_folders(),
                DialogKind::ImportFiles => d.blocking_pick_files(),
                DialogKind::RecipeFile => d
                    .add_filter("Broadsheet recipe", &["toml"])
                    .blocking_pick_file()
                    .map(|p| vec![p]),
            };
            picked
                .unwrap_or_default()
                .into_iter()
                .filter_map(|p| p.into_path().ok())
                .collect()
        }
    };
    s.grant(chosen)
}

fn emitter(app: AppHandle) -> broadsheet_desktop::jobs::Emit {
    Arc::new(move |ev: JobEvent| {
        let _ = app.emit("job", ev);
    })
}

#[tauri::command]
async fn app_info(s: State<'_, Shared>) -> R<AppInfo> {
    run(&s, |s| Ok(s.app_info())).await
}

#[tauri::command]
async fn choose_folder(app: AppHandle, s: State<'_, Shared>) -> R<Option<String>> {
    run(&s, move |s| {
        Ok(choose(&app, s, DialogKind::ProjectFolder).pop())
    })
    .await
}

#[tauri::command]
async fn choose_import(app: AppHandle, s: State<'_, Shared>, folders: bool) -> R<Vec<String>> {
    let kind = if folders {
        DialogKind::ImportFolder
    } else {
        DialogKind::ImportFiles
    };
    run(&s, move |s| Ok(choose(&app, s, kind))).await
}

#[tauri::command]
async fn choose_recipe(app: AppHandle, s: State<'_, Shared>) -> R<Option<String>> {
    run(&s, move |s| {
        Ok(choose(&app, s, DialogKind::RecipeFile).pop())
    })
    .await
}

#[tauri::command]
async fn ui_ready(app: AppHandle, s: State<'_, Shared>) -> R<()> {
    let exit = run(&s, |s| Ok(s.ui_ready())).await?;
    if exit {
        app.exit(0);
    }
    Ok(())
}

#[tauri::command]
async fn recent_projects(s: State<'_, Shared>) -> R<Vec<RecentProject>> {
    run(&s, |s| Ok(s.recent())).await
}

#[tauri::command]
async fn forget_recent(s: State<'_, Shared>, dir: String) -> R<Vec<RecentProject>> {
    run(&s, move |s| s.forget_recent(&dir)).await
}

#[tauri::command]
async fn create_project(s: State<'_, Shared>, dir: String, name: Option<String>) -> R<ProjectInfo> {
    run(&s, move |s| s.create_project(&dir, name.as_deref())).await
}

#[tauri::command]
async fn open_project(s: State<'_, Shared>, dir: String) -> R<ProjectInfo> {
    run(&s, move |s| s.open_project(&dir)).await
}

#[tauri::command]
async fn close_project(s: State<'_, Shared>) -> R<()> {
    run(&s, |s| s.close_project()).await
}

#[tauri::command]
async fn current_project(s: State<'_, Shared>) -> R<Option<ProjectInfo>> {
    run(&s, |s| s.project()).await
}

#[tauri::command]
async fn recipes(s: State<'_, Shared>) -> R<Vec<RecipeInfo>> {
    run(&s, |s| Ok(s.recipes())).await
}

#[tauri::command]
async fn preview_import(s: State<'_, Shared>, req: PreviewRequest) -> R<ImportPreview> {
    run(&s, move |s| s.preview_import(&req)).await
}

#[tauri::command]
async fn start_import(app: AppHandle, s: State<'_, Shared>, options: ImportOptions) -> R<JobId> {
    run(&s, move |s| s.start_import(&options, emitter(app))).await
}

#[tauri::command]
async fn cancel_job(s: State<'_, Shared>, job: JobId) -> R<bool> {
    run(&s, move |s| Ok(s.cancel_job(job))).await
}

#[tauri::command]
async fn imports(s: State<'_, Shared>) -> R<Vec<ImportSummary>> {
    run(&s, |s| s.imports()).await
}

#[tauri::command]
async fn import_report(s: State<'_, Shared>, id: i64) -> R<ImportReportInfo> {
    run(&s, move |s| s.import_report(id)).await
}

#[tauri::command]
async fn filter_options(s: State<'_, Shared>) -> R<FilterOptions> {
    run(&s, |s| s.filter_options()).await
}

#[tauri::command]
async fn rename_sources(s: State<'_, Shared>, req: SourceRename) -> R<SourcesRenamed> {
    run(&s, move |s| s.rename_sources(&req)).await
}

#[tauri::command]
async fn list_articles(s: State<'_, Shared>, req: PageRequest) -> R<ArticlePage> {
    run(&s, move |s| s.list_articles(&req)).await
}

#[tauri::command]
async fn article(s: State<'_, Shared>, req: ArticleRequest) -> R<ArticleView> {
    run(&s, move |s| s.article(&req)).await
}

#[tauri::command]
async fn check_query(s: State<'_, Shared>, query: String) -> R<Option<QueryProblem>> {
    run(&s, move |s| Ok(s.check_query(&query))).await
}

#[tauri::command]
async fn search(s: State<'_, Shared>, req: SearchQuery) -> R<SearchPage> {
    run(&s, move |s| s.search(&req)).await
}

#[tauri::command]
async fn stats(s: State<'_, Shared>) -> R<StatsView> {
    run(&s, |s| s.stats()).await
}

#[tauri::command]
async fn run_analysis(s: State<'_, Shared>, req: AnalysisEntry) -> R<AnalysisResult> {
    run(&s, move |s| s.run_analysis(&req)).await
}

/// Asks where to save an export (a native save dialog, or in end-to-end tests the folder
/// `BROADSHEET_E2E_EXPORT` names) and writes it there; `None` when the user cancelled.
#[tauri::command]
async fn export_analysis(
    app: AppHandle,
    s: State<'_, Shared>,
    req: AnalysisEntry,
    format: OutputFormat,
) -> R<Option<ExportResult>> {
    run(&s, move |s| {
        let name = Session::export_file_name(&req, format);
        let chosen = match std::env::var_os("BROADSHEET_E2E_EXPORT") {
            Some(dir) => Some(PathBuf::from(dir).join(&name)),
            None => app
                .dialog()
                .file()
                .add_filter(format.extension().to_uppercase(), &[format.extension()])
                .set_file_name(&name)
                .blocking_save_file()
                .and_then(|p| p.into_path().ok()),
        };
        let Some(path) = chosen else { return Ok(None) };
        let path = s.grant(vec![path]).remove(0);
        s.export_analysis(&req, format, &path).map(Some)
    })
    .await
}

#[tauri::command]
async fn concepts(s: State<'_, Shared>) -> R<Vec<ConceptInfo>> {
    run(&s, |s| s.concepts()).await
}

#[tauri::command]
async fn save_concept(
    s: State<'_, Shared>,
    concept: ConceptInfo,
    previous: Option<String>,
) -> R<Vec<ConceptInfo>> {
    run(&s, move |s| s.save_concept(&concept, previous.as_deref())).await
}

#[tauri::command]
fn lexicon() -> Vec<LexiconInfo> {
    broadsheet_desktop::analyses::lexicon()
}

#[tauri::command]
async fn delete_concept(s: State<'_, Shared>, name: String) -> R<Vec<ConceptInfo>> {
    run(&s, move |s| s.delete_concept(&name)).await
}

#[tauri::command]
async fn save_analysis(s: State<'_, Shared>, req: AnalysisEntry) -> R<Vec<SavedAnalysis>> {
    run(&s, move |s| s.save_analysis(&req)).await
}

#[tauri::command]
async fn saved_analyses(s: State<'_, Shared>) -> R<Vec<SavedAnalysis>> {
    run(&s, |s| s.saved_analyses()).await
}

fn main() -> anyhow::Result<()> {
    let session: Shared = Arc::new(Session::default());
    // `broadsheet-app DIR` opens the project in DIR (scripts/app.sh uses this).
    if let Some(dir) = std::env::args_os().nth(1) {
        let dir = PathBuf::from(dir);
        session.grant(vec![dir.clone()]);
        if let Err(e) = session.open_project(&dir.display().to_string()) {
            eprintln!("broadsheet-app: {e}");
        }
    }
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(session)
        .invoke_handler(tauri::generate_handler![
            app_info,
            ui_ready,
            choose_folder,
            choose_import,
            choose_recipe,
            recent_projects,
            forget_recent,
            create_project,
            open_project,
            close_project,
            current_project,
            recipes,
            preview_import,
            start_import,
            cancel_job,
            imports,
            import_report,
            filter_options,
            rename_sources,
            list_articles,
            article,
            check_query,
            search,
            stats,
            run_analysis,
            export_analysis,
            concepts,
            save_concept,
            delete_concept,
            lexicon,
            save_analysis,
            saved_analyses,
        ])
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::Destroyed = event {
                // Stop imports cleanly: everything committed stays.
                window.state::<Shared>().jobs().cancel_all_and_wait();
            }
        })
        .run(tauri::generate_context!())?;
    Ok(())
}
