// Renaming and merging sources from the Library: what the action is called for the sources
// picked, the request it sends (the engine decides rename or merge), and the filters after it.

import type { SourceRename } from "./bindings";

export type SourceAction = { label: string; request: SourceRename | null; problem: string | null };

/** The action for the sources picked and the name typed: one source is renamed, several merged. */
export function sourceAction(picked: string[], into: string): SourceAction {
  const name = into.trim();
  const label = picked.length > 1 ? `Merge ${picked.length} sources` : "Rename";
  if (picked.length === 0) return { label, request: null, problem: "Pick a source." };
  if (!name) return { label, request: null, problem: "Type the name to give it." };
  if (picked.length === 1 && picked[0] === name) return { label, request: null, problem: "That is its name already." };
  return { label, request: { from: [...picked], into: name }, problem: null };
}

/** A source filter after a rename or merge: names that are gone become the new name, once. */
export function renamedFilter(sources: string[], gone: string[], into: string): string[] {
  const out: string[] = [];
  for (const s of sources) {
    const now = gone.includes(s) ? into : s;
    if (!out.includes(now)) out.push(now);
  }
  return out;
}
