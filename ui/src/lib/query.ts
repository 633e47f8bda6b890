// Query errors: the engine reports a span in characters (Unicode scalar values), JavaScript
// strings count UTF-16 code units. These functions place the underline on the right text, also
// for text outside the Basic Multilingual Plane, and when the span points past the end (a
// missing term after `OR`).

import type { QueryProblem } from "./bindings";

/** The UTF-16 offset of the character at index `chars` (clamped to the string's end). */
export function charToUtf16(text: string, chars: number): number {
  let i = 0;
  let n = 0;
  while (i < text.length && n < chars) {
    const c = text.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
    n++;
  }
  return i;
}

export interface ErrorParts {
  before: string;
  /** The text to underline; a single space when the span is past the end of the query. */
  error: string;
  after: string;
  /** True when the span points past the text (something is missing there). */
  atEnd: boolean;
}

/** Splits a query at a problem's span, for an underline drawn under the offending text. */
export function errorParts(query: string, p: Pick<QueryProblem, "start" | "end">): ErrorParts {
  const start = charToUtf16(query, Math.max(0, p.start));
  const end = Math.max(start, charToUtf16(query, Math.max(p.start, p.end)));
  if (start >= query.length) {
    return { before: query, error: " ", after: "", atEnd: true };
  }
  let error = query.slice(start, end);
  if (error.length === 0) error = query.slice(start, charToUtf16(query, p.start + 1));
  return { before: query.slice(0, start), error, after: query.slice(start + error.length), atEnd: false };
}
