// Virtual scrolling: which rows of a very long table are visible, where to draw them, and
// which pages to fetch. Only the visible rows (plus a small overscan) are ever in the DOM.
//
// Browsers cap the height of an element (WebKit at about 2^25 px), so a table of millions of
// rows uses a scroll space of at most MAX_SCROLL_HEIGHT pixels and maps positions in it
// proportionally onto rows.

export const MAX_SCROLL_HEIGHT = 8_000_000;

export interface Layout {
  /** Height of the scrollable content, in pixels. */
  height: number;
  /** True when the scroll space is compressed (positions map proportionally onto rows). */
  scaled: boolean;
}

export function layout(total: number, rowHeight: number, maxHeight = MAX_SCROLL_HEIGHT): Layout {
  const natural = Math.max(0, total) * rowHeight;
  return natural <= maxHeight ? { height: natural, scaled: false } : { height: maxHeight, scaled: true };
}

export interface Window {
  /** First row to render (inclusive). */
  start: number;
  /** Row after the last one to render (exclusive). */
  end: number;
  /** Where the first rendered row is drawn, in content pixels from the top. */
  offset: number;
}

/** The rows to render for a scroll position. */
export function visibleWindow(
  scrollTop: number,
  viewport: number,
  rowHeight: number,
  total: number,
  overscan = 6,
  maxHeight = MAX_SCROLL_HEIGHT,
): Window {
  if (total <= 0 || rowHeight <= 0) return { start: 0, end: 0, offset: 0 };
  const l = layout(total, rowHeight, maxHeight);
  const top = Math.min(Math.max(0, scrollTop), Math.max(0, l.height - viewport));
  const visibleRows = Math.ceil(Math.max(0, viewport) / rowHeight) + 1;
  let first: number;
  if (!l.scaled) {
    first = Math.floor(top / rowHeight);
  } else {
    // The last scroll position shows the last rows; positions in between map linearly.
    const maxTop = Math.max(1, l.height - viewport);
    const lastFirst = Math.max(0, total - Math.floor(viewport / rowHeight));
    first = Math.round((top / maxTop) * lastFirst);
  }
  first = Math.min(Math.max(0, first), Math.max(0, total - 1));
  const start = Math.max(0, first - overscan);
  const end = Math.min(total, first + visibleRows + overscan);
  // Unscaled, every row sits at its natural place; scaled, row `first` is drawn exactly at the
  // top of the viewport.
  const offset = l.scaled ? top - (first - start) * rowHeight : start * rowHeight;
  return { start, end, offset };
}

/** The scroll position that brings `row` into view, given the current position. */
export function scrollToRow(
  row: number,
  scrollTop: number,
  viewport: number,
  rowHeight: number,
  total: number,
  maxHeight = MAX_SCROLL_HEIGHT,
): number {
  const l = layout(total, rowHeight, maxHeight);
  if (!l.scaled) {
    const top = row * rowHeight;
    if (top < scrollTop) return top;
    if (top + rowHeight > scrollTop + viewport) return top + rowHeight - viewport;
    return scrollTop;
  }
  const w = visibleWindow(scrollTop, viewport, rowHeight, total, 0, maxHeight);
  const fullyVisible = Math.max(1, Math.floor(viewport / rowHeight));
  if (row >= w.start && row < w.start + fullyVisible) return scrollTop;
  const lastFirst = Math.max(1, total - Math.floor(viewport / rowHeight));
  const first = row < w.start ? row : row - fullyVisible + 1;
  return (Math.max(0, first) / lastFirst) * Math.max(1, l.height - viewport);
}

/** The page numbers that hold rows [start, end). */
export function pagesFor(start: number, end: number, pageSize: number): number[] {
  if (end <= start) return [];
  const first = Math.floor(start / pageSize);
  const last = Math.floor((end - 1) / pageSize);
  const out: number[] = [];
  for (let p = first; p <= last; p++) out.push(p);
  return out;
}

/** Pages of rows fetched on demand, keeping the most recently used ones. */
export class PageCache<T> {
  private pages = new Map<number, T[]>();
  constructor(
    readonly pageSize: number,
    readonly keep = 24,
  ) {}

  has(page: number): boolean {
    return this.pages.has(page);
  }

  put(page: number, rows: T[]): void {
    this.pages.delete(page);
    this.pages.set(page, rows);
    while (this.pages.size > this.keep) {
      const oldest = this.pages.keys().next().value as number;
      this.pages.delete(oldest);
    }
  }

  /** The row at `index`, or undefined while its page is not loaded. */
  row(index: number): T | undefined {
    const page = Math.floor(index / this.pageSize);
    const rows = this.pages.get(page);
    if (!rows) return undefined;
    // Touch: most recently used last.
    this.pages.delete(page);
    this.pages.set(page, rows);
    return rows[index - page * this.pageSize];
  }

  clear(): void {
    this.pages.clear();
  }

  get size(): number {
    return this.pages.size;
  }
}
