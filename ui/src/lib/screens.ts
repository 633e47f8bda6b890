// The screens of the app and the sidebar's groups, each with a component in src/screens/.

import type { Component } from "svelte";
import Projects from "../screens/Projects.svelte";
import Import from "../screens/Import.svelte";
import Library from "../screens/Library.svelte";
import Reader from "../screens/Reader.svelte";
import Search from "../screens/Search.svelte";
import Stats from "../screens/Stats.svelte";
import Timeline from "../screens/Timeline.svelte";
import Kwic from "../screens/Kwic.svelte";
import Terms from "../screens/Terms.svelte";
import Collocations from "../screens/Collocations.svelte";
import Regions from "../screens/Regions.svelte";
import Concepts from "../screens/Concepts.svelte";

export type ScreenId =
  | "projects"
  | "import"
  | "library"
  | "reader"
  | "search"
  | "stats"
  | "timeline"
  | "kwic"
  | "terms"
  | "collocations"
  | "regions"
  | "concepts";

export interface Screen {
  id: ScreenId;
  label: string;
  group: "Project" | "Corpus" | "Analyses";
  /** Alt+key switches to the screen (a digit, or a letter shown in capitals). */
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
  { id: "timeline", label: "Timeline", group: "Analyses", key: "7", needsProject: true, component: Timeline },
  { id: "kwic", label: "KWIC", group: "Analyses", key: "8", needsProject: true, component: Kwic },
  { id: "terms", label: "Terms", group: "Analyses", key: "9", needsProject: true, component: Terms },
  { id: "collocations", label: "Collocations", group: "Analyses", key: "0", needsProject: true, component: Collocations },
  { id: "regions", label: "Regions", group: "Analyses", key: "r", needsProject: true, component: Regions },
  { id: "concepts", label: "Concepts", group: "Analyses", key: "c", needsProject: true, component: Concepts },
];

export const GROUPS: Screen["group"][] = ["Project", "Corpus", "Analyses"];
