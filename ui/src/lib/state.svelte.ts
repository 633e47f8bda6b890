// The app's shared state (Svelte 5 runes): the open project, the current screen, what the
// Reader shows, and the searches and filters that survive switching screens.

import type { FilterSet, ImportOptions, ImportProgressInfo, ImportReportInfo, ProjectInfo, SortOrder } from "./bindings";
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
  };
}

export function go(screen: ScreenId): void {
  app.screen = screen;
}

export function openReader(id: number, query: string | null, from: ScreenId): void {
  app.reader = { id, query, from };
  app.screen = "reader";
}
