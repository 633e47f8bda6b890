// The app's shared state (Svelte 5 runes): the open project, the current screen, what the
// Reader shows, and the searches and filters that survive switching screens.

import type { AnalysisForm } from "./analysis";
import type { AnalysisEntry, AnalysisResult, FilterSet, ImportOptions, ImportProgressInfo, ImportReportInfo, ProjectInfo, SortOrder } from "./bindings";
import type { ScreenId } from "./screens";

export const app = $state({
  project: null as ProjectInfo | null,
  screen: "projects" as ScreenId,
  testMode: false,
  /** The article the Reader shows, and the query whose hits it marks. */
  reader: null as { id: number; query: string | null; from: ScreenId } | null,
  search: { query: "", sort: "relevance" as SortOrder, filters: emptyFilters() as FilterSet },
  library: { sort: "date" as SortOrder, filters: emptyFilters() as FilterSet, selected: 0 },
  /** The import being set up on the Import screen (kept when switching screens). */
  importOptions: emptyImportOptions(),
  /** The import under way. */
  job: null as { id: number; progress: ImportProgressInfo | null; cancelling: boolean } | null,
  /** The last import's report, shown on the Import screen. */
  lastReport: null as ImportReportInfo | null,
  /** Bumped when the corpus changes (an import finished), so screens reload. */
  corpusVersion: 0,
  /** A request to focus the search box (Ctrl+K). */
  focusSearch: 0,
  /** The Analyses screens' requests, kept when switching screens. */
  analyses: {} as Partial<Record<string, AnalysisForm>>,
  /** A KWIC asked for by another screen (a timeline row): run it when the KWIC screen opens. */
  kwicFrom: null as { request: AnalysisForm; label: string; from: ScreenId; seq: number } | null,
  /** Bumped when the project's concepts change. */
  conceptsVersion: 0,
  /** A saved analysis to run as soon as its screen opens (the project's timeline at start). */
  runOnOpen: null as string | null,
});

export function emptyFilters(): FilterSet {
  return { from: null, to: null, sources: [], languages: [] };
}

export function emptyImportOptions(): ImportOptions {
  return {
    paths: [],
    recipe: { kind: "auto" },
    format: null,
    source: null,
    language: null,
    map: [],
    no_header: false,
    delimiter: null,
    records: null,
    title: null,
    keep_html: false,
  };
}

/** The last result of each Analyses screen, shown again when the screen is opened again. Not
 * reactive: a screen reads it when it mounts. */
export const lastResults: Record<string, { result: AnalysisResult; ran: AnalysisEntry }> = {};

let kwicSeq = 0;
/** Opens the KWIC screen on a request made elsewhere (a timeline row). */
export function openKwic(request: AnalysisForm, label: string, from: ScreenId): void {
  app.kwicFrom = { request, label, from, seq: ++kwicSeq };
  app.screen = "kwic";
}

export function go(screen: ScreenId): void {
  app.screen = screen;
}

export function openReader(id: number, query: string | null, from: ScreenId): void {
  app.reader = { id, query, from };
  app.screen = "reader";
}
