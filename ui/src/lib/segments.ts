// Article text is untrusted. Highlighted text arrives as segments ({text, match}) and becomes
// DOM nodes through Svelte's text interpolation (components/Segments.svelte): text nodes, and
// <mark> elements holding text nodes. Nothing parses article text as HTML ({@html} is never
// used in this UI).

import type { TextSegment } from "./bindings";

/** The plain text of segments. */
export function segmentsText(segments: readonly TextSegment[]): string {
  return segments.map((s) => s.text).join("");
}

/** How many segments are hits. */
export function hitCount(segments: readonly TextSegment[]): number {
  return segments.reduce((n, s) => n + (s.match ? 1 : 0), 0);
}
