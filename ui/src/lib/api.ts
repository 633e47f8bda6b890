// The app's commands, typed with the bindings generated from the Rust IPC types
// (crates/desktop/src/ipc.rs). Every call goes to one method of broadsheet_desktop::Session.

import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type {
  AnalysisEntry,
  AnalysisResult,
  AppInfo,
  ArticlePage,
  ArticleRequest,
  ArticleView,
  ConceptInfo,
  LexiconInfo,
  ExportResult,
  FilterOptions,
  ImportOptions,
  ImportPreview,
  ImportReportInfo,
  ImportSummary,
  JobEvent,
  OutputFormat,
  PageRequest,
  PreviewRequest,
  ProjectInfo,
  QueryProblem,
  RecentProject,
  RecipeInfo,
  SavedAnalysis,
  SearchPage,
  SearchQuery,
  SourceRename,
  SourcesRenamed,
  StatsView,
} from "./bindings";

export const api = {
  appInfo: () => invoke<AppInfo>("app_info"),
  uiReady: () => invoke<void>("ui_ready"),
  chooseFolder: () => invoke<string | null>("choose_folder"),
  chooseImport: (folders: boolean) => invoke<string[]>("choose_import", { folders }),
  chooseRecipe: () => invoke<string | null>("choose_recipe"),
  recentProjects: () => invoke<RecentProject[]>("recent_projects"),
  forgetRecent: (dir: string) => invoke<RecentProject[]>("forget_recent", { dir }),
  createProject: (dir: string, name: string | null) => invoke<ProjectInfo>("create_project", { dir, name }),
  openProject: (dir: string) => invoke<ProjectInfo>("open_project", { dir }),
  closeProject: () => invoke<void>("close_project"),
  currentProject: () => invoke<ProjectInfo | null>("current_project"),
  recipes: () => invoke<RecipeInfo[]>("recipes"),
  previewImport: (req: PreviewRequest) => invoke<ImportPreview>("preview_import", { req }),
  startImport: (options: ImportOptions) => invoke<number>("start_import", { options }),
  cancelJob: (job: number) => invoke<boolean>("cancel_job", { job }),
  imports: () => invoke<ImportSummary[]>("imports"),
  importReport: (id: number) => invoke<ImportReportInfo>("import_report", { id }),
  filterOptions: () => invoke<FilterOptions>("filter_options"),
  listArticles: (req: PageRequest) => invoke<ArticlePage>("list_articles", { req }),
  renameSources: (req: SourceRename) => invoke<SourcesRenamed>("rename_sources", { req }),
  article: (req: ArticleRequest) => invoke<ArticleView>("article", { req }),
  checkQuery: (query: string) => invoke<QueryProblem | null>("check_query", { query }),
  search: (req: SearchQuery) => invoke<SearchPage>("search", { req }),
  stats: () => invoke<StatsView>("stats"),
  runAnalysis: (req: AnalysisEntry) => invoke<AnalysisResult>("run_analysis", { req }),
  /** Opens a save dialog and writes the table or chart; null when the user cancelled. */
  exportAnalysis: (req: AnalysisEntry, format: OutputFormat) =>
    invoke<ExportResult | null>("export_analysis", { req, format }),
  concepts: () => invoke<ConceptInfo[]>("concepts"),
  lexicon: () => invoke<LexiconInfo[]>("lexicon"),
  saveConcept: (concept: ConceptInfo, previous: string | null) =>
    invoke<ConceptInfo[]>("save_concept", { concept, previous }),
  deleteConcept: (name: string) => invoke<ConceptInfo[]>("delete_concept", { name }),
  saveAnalysis: (req: AnalysisEntry) => invoke<SavedAnalysis[]>("save_analysis", { req }),
  savedAnalyses: () => invoke<SavedAnalysis[]>("saved_analyses"),
  onJob: (f: (e: JobEvent) => void): Promise<UnlistenFn> => listen<JobEvent>("job", (e) => f(e.payload)),
};

let readySent = false;
/** Tells the app, once, that the first screen shows its data (start-up measurements). */
export function markReady(): void {
  if (readySent) return;
  readySent = true;
  void api.uiReady();
}
