// Pure helpers of the Analyses screens: requests with the engine's defaults, table cells for
// reading, the chart as an image URL, and the drill-down from a timeline row to a KWIC.
// No analysis is computed here: every table and chart comes from the engine.

import type { AnalysisEntry, ChartEntry, ConceptInfo, Kind, SubcorpusEntry } from "./bindings";

export type Cell = string | number | boolean | null;

/** A subcorpus as a builder edits it: the engine's `SubcorpusEntry` with its lists present. */
export type SubcorpusForm = SubcorpusEntry & { sources: string[]; languages: string[]; places: string[]; dedup: boolean };

/** An analysis as a screen edits it: the engine's `AnalysisEntry` (sent as it is) with the
 * parts the form binds to present. */
export type AnalysisForm = AnalysisEntry & {
  subcorpus: SubcorpusForm;
  reference?: SubcorpusForm;
  terms: string[];
  concepts: string[];
  regions: string[];
  chart: ChartEntry;
};

export function emptySubcorpus(): SubcorpusForm {
  return { sources: [], languages: [], places: [], dedup: false };
}

export function newRequest(kind: Kind, name = ""): AnalysisForm {
  return {
    name: name || kind,
    kind,
    subcorpus: emptySubcorpus(),
    terms: [],
    concepts: [],
    regions: [],
    chart: {},
  };
}

/** A saved analysis as a screen's form: its entry with the parts the form binds to filled in. */
export function formOf(entry: AnalysisEntry): AnalysisForm {
  const base = newRequest(entry.kind, entry.name);
  return {
    ...base,
    ...entry,
    subcorpus: { ...emptySubcorpus(), ...entry.subcorpus } as SubcorpusForm,
    reference: entry.reference ? ({ ...emptySubcorpus(), ...entry.reference } as SubcorpusForm) : undefined,
    terms: entry.terms ?? [],
    concepts: entry.concepts ?? [],
    regions: entry.regions ?? [],
    chart: entry.chart ?? {},
  };
}

/** A row as an object by column name. */
export function rowObject(columns: string[], row: Cell[]): Record<string, Cell> {
  const o: Record<string, Cell> = {};
  columns.forEach((c, i) => (o[c] = row[i] ?? null));
  return o;
}

const nf = new Intl.NumberFormat("en-US");

/** A cell for reading: shares as percentages, other fractions with three decimals. */
export function formatCell(column: string, v: Cell): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "boolean") return v ? "yes" : "";
  if (typeof v === "number") {
    if (column === "share" || column.endsWith("_share")) return `${(100 * v).toFixed(1)}%`;
    if (Number.isInteger(v)) return column === "id" ? String(v) : nf.format(v);
    return v.toFixed(3);
  }
  return v;
}

export function isNumeric(v: Cell): boolean {
  return typeof v === "number";
}

/** The chart's SVG as an image URL (shown in an <img>, so nothing in it can run). */
export function svgUrl(svg: string): string {
  return "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg);
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** The value of one of a result's notes (`period`, `share`, …), if it has it. */
export function noteValue(result: { notes: Array<[string, string]> }, key: string): string | undefined {
  return result.notes.find(([k]) => k === key)?.[1];
}

/** The dates a period starting on `start` (YYYY-MM-DD) covers, as the filters take them. */
export function periodRange(period: string, start: string | null | undefined): { from: string; to: string } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(start ?? "");
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  switch (period) {
    case "day":
      return { from: start!, to: start! };
    case "week": {
      const end = new Date(Date.UTC(y, mo - 1, d + 6));
      return { from: start!, to: `${end.getUTCFullYear()}-${pad(end.getUTCMonth() + 1)}-${pad(end.getUTCDate())}` };
    }
    case "quarter":
      return { from: `${y}-${pad(mo)}`, to: `${y}-${pad(mo + 2)}` };
    case "year":
      return { from: `${y}`, to: `${y}` };
    default:
      return { from: `${y}-${pad(mo)}`, to: `${y}-${pad(mo)}` };
  }
}

/** What a timeline row drills down to: a KWIC of the counted concept over that row's period
 * and group, within the timeline's base. `null` for rows without a date (undated, imprecise)
 * or when nothing was counted. */
export function drillDown(
  req: AnalysisEntry,
  row: Record<string, Cell>,
  concepts: ConceptInfo[],
): { request: AnalysisForm; label: string } | null {
  const period = req.period ?? (req.kind === "regions" ? "year" : "month");
  const range = periodRange(period, typeof row.start === "string" ? row.start : null);
  if (!range) return null;
  const group = typeof row.group === "string" ? row.group : "";
  const by = req.kind === "regions" ? "region" : (req.by ?? "source");
  if ((by === "region" || by === "country") && (group === "(none)" || !group)) return null;
  // A concept with terms per language is counted through all of them: the concordance names
  // the concept (`concept:"…"`), which the engine expands exactly as it did for the count.
  const queryOf = (name: string) => {
    const c = concepts.find((x) => x.name === name);
    if (!c) return null;
    return c.languages.length && !name.includes('"') ? `concept:"${name}"` : c.query;
  };
  const counted = req.concepts ?? [];
  let node: string | null | undefined = null;
  if (by === "concept") node = queryOf(group) ?? (group === req.match ? group : null);
  else node = counted.length ? queryOf(counted[0]) : req.match;
  if (!node) return null;
  const sub: SubcorpusForm = { ...emptySubcorpus(), ...req.subcorpus, from: range.from, to: range.to };
  if (by === "source") sub.sources = [group];
  else if (by === "region" || by === "country") sub.places = [group];
  const request: AnalysisForm = { ...newRequest("kwic", "kwic"), subcorpus: sub, node, width: 7, sort: "corpus", limit: 1000 };
  const label = [row.period, by === "none" || by === "concept" ? null : group].filter(Boolean).join(" · ");
  return { request, label: String(label) };
}

/** Comma-separated text as a list. */
export function splitList(s: string): string[] {
  return s
    .split(",")
    .map((x) => x.trim())
    .filter((x) => x.length > 0);
}
