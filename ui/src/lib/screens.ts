// The screens of the app and the sidebar's groups. Later screens (Terms, KWIC, Collocations,
// Timeline, Regions, Concepts, exports) are added here, with a component in src/screens/.

import type { Component } from "svelte";
import Projects from "../screens/Projects.svelte";
import Import from "../screens/Import.svelte";
import Library from "../screens/Library.svelte";
import Reader from "../screens/Reader.svelte";
import Search from "../screens/Search.svelte";
import Stats from "../screens/Stats.svelte";

export type ScreenId = "projects" | "import" | "library" | "reader" | "search" | "stats";

export interface Screen {
  id: ScreenId;
  label: string;
  group: "Project" | "Corpus" | "Analyses";
  /** Alt+key switches to the screen. */
  key: string;
  /** Shown only with a project open. */
  needsProject: boolean;
  component: Component;
}

export const SCREENS: Screen[] = [
  { id: "projects", label: "Projects", group: "Project", key: "1", needsProject: false, component: Projects },
  { id: "import", label: "Import", group: "Project", key: "2", needsProject: true, component: Import },
  { id: "library", label: "Library", group: "Corpus", key: "3", needsProject: true, component: Library },
  { id: "search", label: "Search", group: "Corpus", key: "4", needsProject: true, component: Search },
  { id: "reader", label: "Reader", group: "Corpus", key: "5", needsProject: true, component: Reader },
  { id: "stats", label: "Statistics", group: "Analyses", key: "6", needsProject: true, component: Stats },
];

export const GROUPS: Screen["group"][] = ["Project", "Corpus", "Analyses"];
