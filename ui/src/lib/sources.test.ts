import { describe, expect, it } from "vitest";
import { renamedFilter, sourceAction } from "./sources";

describe("renaming and merging sources", () => {
  it("renames one source and merges several", () => {
    expect(sourceAction(["A"], " B ")).toEqual({ label: "Rename", request: { from: ["A"], into: "B" }, problem: null });
    const m = sourceAction(["http://x/feed", "https://x/feed"], "X");
    expect(m.label).toBe("Merge 2 sources");
    expect(m.request).toEqual({ from: ["http://x/feed", "https://x/feed"], into: "X" });
  });
  it("asks for what is missing instead of sending a request", () => {
    expect(sourceAction([], "X").request).toBeNull();
    expect(sourceAction(["A"], "  ").problem).toBe("Type the name to give it.");
    expect(sourceAction(["A"], "A").request).toBeNull();
  });
  it("keeps a source filter pointing at the new name", () => {
    expect(renamedFilter(["http://x", "Other", "https://x"], ["http://x", "https://x"], "X")).toEqual(["X", "Other"]);
    expect(renamedFilter(["Other"], ["A"], "B")).toEqual(["Other"]);
  });
});
