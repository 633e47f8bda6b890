import { describe, expect, it } from "vitest";
import { charToUtf16, errorParts } from "./query";

describe("query error underlines", () => {
  it("underline the span the engine names", () => {
    // `(security OR` — the engine says: `OR` needs a term after it, characters 10..12.
    const p = errorParts("(security OR", { start: 10, end: 12 });
    expect(p).toEqual({ before: "(security ", error: "OR", after: "", atEnd: false });
  });

  it("count characters, not UTF-16 units", () => {
    // 𝒳 and 😀 are outside the BMP: one character each, two UTF-16 units.
    const q = "𝒳 😀 AND (";
    expect(charToUtf16(q, 2)).toBe(3);
    const p = errorParts(q, { start: 4, end: 7 });
    expect(p.before).toBe("𝒳 😀 ");
    expect(p.error).toBe("AND");
    expect(p.after).toBe(" (");
  });

  it("work on Persian and Russian text", () => {
    const q = "امنیت AND )";
    const p = errorParts(q, { start: 10, end: 11 });
    expect(p.before).toBe("امنیت AND ");
    expect(p.error).toBe(")");
    const r = errorParts("безопасность NEAR/x", { start: 13, end: 19 });
    expect(r.error).toBe("NEAR/x");
  });

  it("mark the end when something is missing there", () => {
    const p = errorParts("security AND", { start: 12, end: 13 });
    expect(p).toEqual({ before: "security AND", error: " ", after: "", atEnd: true });
  });

  it("never lose or duplicate text", () => {
    const q = "a 😀 b";
    for (let s = 0; s <= 6; s++) {
      for (let e = s; e <= 7; e++) {
        const p = errorParts(q, { start: s, end: e });
        if (!p.atEnd) expect(p.before + p.error + p.after).toBe(q);
        expect(p.error.length).toBeGreaterThan(0);
      }
    }
  });
});
