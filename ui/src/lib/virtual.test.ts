import { describe, expect, it } from "vitest";
import { layout, PageCache, pagesFor, scrollToRow, visibleWindow, MAX_SCROLL_HEIGHT } from "./virtual";

describe("virtual scrolling", () => {
  it("renders only the visible rows plus overscan", () => {
    const w = visibleWindow(0, 300, 30, 1000, 5);
    expect(w).toEqual({ start: 0, end: 16, offset: 0 });
    const mid = visibleWindow(3000, 300, 30, 1000, 5);
    expect(mid.start).toBe(95);
    expect(mid.end).toBe(116);
    expect(mid.offset).toBe(95 * 30);
  });

  it("clamps at both ends and handles empty tables", () => {
    expect(visibleWindow(-50, 300, 30, 1000, 0).start).toBe(0);
    const end = visibleWindow(10_000_000, 300, 30, 1000, 0);
    expect(end.end).toBe(1000);
    expect(end.start).toBe(990);
    expect(visibleWindow(0, 300, 30, 0)).toEqual({ start: 0, end: 0, offset: 0 });
    expect(visibleWindow(0, 300, 30, 3, 5)).toEqual({ start: 0, end: 3, offset: 0 });
  });

  it("compresses the scroll space for a million rows and still reaches every row", () => {
    const total = 1_000_000;
    const l = layout(total, 30);
    expect(l.scaled).toBe(true);
    expect(l.height).toBe(MAX_SCROLL_HEIGHT);
    const top = visibleWindow(0, 600, 30, total, 0);
    expect(top.start).toBe(0);
    const bottom = visibleWindow(l.height - 600, 600, 30, total, 0);
    expect(bottom.end).toBe(total);
    expect(bottom.start).toBe(total - 20);
    const half = visibleWindow((l.height - 600) / 2, 600, 30, total, 0);
    expect(Math.abs(half.start - (total - 20) / 2)).toBeLessThanOrEqual(1);
    // The window is at most a screenful plus overscan, whatever the position.
    for (const t of [0, 1234567, 4_000_000, l.height]) {
      const w = visibleWindow(t, 600, 30, total, 6);
      expect(w.end - w.start).toBeLessThanOrEqual(21 + 12);
      // The first visible row is drawn at the top of the viewport.
      const first = w.start + (w.start === 0 ? 0 : 6);
      expect(w.offset + (first - w.start) * 30).toBeCloseTo(Math.min(t, l.height - 600), 5);
    }
  });

  it("scrolls a selected row into view", () => {
    expect(scrollToRow(5, 0, 300, 30, 1000)).toBe(0);
    expect(scrollToRow(10, 0, 300, 30, 1000)).toBe(30);
    expect(scrollToRow(2, 300, 300, 30, 1000)).toBe(60);
    const total = 1_000_000;
    const t = scrollToRow(500_000, 0, 600, 30, total);
    const w = visibleWindow(t, 600, 30, total, 0);
    expect(500_000).toBeGreaterThanOrEqual(w.start);
    expect(500_000).toBeLessThan(w.end);
  });

  it("names the pages a window needs", () => {
    expect(pagesFor(0, 16, 200)).toEqual([0]);
    expect(pagesFor(190, 216, 200)).toEqual([0, 1]);
    expect(pagesFor(400, 400, 200)).toEqual([]);
  });

  it("keeps recently used pages", () => {
    const c = new PageCache<number>(10, 2);
    c.put(0, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    c.put(1, [10, 11]);
    expect(c.row(11)).toBe(11);
    expect(c.row(3)).toBe(3); // page 0 is now the most recent
    c.put(2, [20]);
    expect(c.has(1)).toBe(false);
    expect(c.has(0)).toBe(true);
    expect(c.row(25)).toBeUndefined();
  });
});
