import { describe, expect, it } from "vitest";
import { drillDown, formatCell, newRequest, periodRange, noteValue, rowObject, splitList, svgUrl } from "./analysis";

describe("periodRange", () => {
  it("covers each period from its first day", () => {
    expect(periodRange("day", "2016-02-29")).toEqual({ from: "2016-02-29", to: "2016-02-29" });
    expect(periodRange("week", "2016-12-26")).toEqual({ from: "2016-12-26", to: "2017-01-01" });
    expect(periodRange("month", "2016-02-01")).toEqual({ from: "2016-02", to: "2016-02" });
    expect(periodRange("quarter", "2016-10-01")).toEqual({ from: "2016-10", to: "2016-12" });
    expect(periodRange("year", "2016-01-01")).toEqual({ from: "2016", to: "2016" });
  });
  it("has no range for undated and imprecise rows", () => {
    expect(periodRange("month", "")).toBeNull();
    expect(periodRange("month", null)).toBeNull();
  });
});

describe("drillDown", () => {
  const concepts = [
    { name: "regional security", query: "security OR border*", description: null, languages: [] },
    { name: "trade", query: "trade OR tariff*", description: null, languages: [] },
    { name: "csto", query: "CSTO", description: null, languages: [{ language: "ru", query: "одкб*" }] },
  ];
  const row = (o: Record<string, string | number>) => rowObject(Object.keys(o), Object.values(o));

  it("opens a KWIC of the concept for the row's period and source, within the base", () => {
    const req = { ...newRequest("timeline"), concepts: ["regional security"], by: "source" as const, period: "year" as const };
    req.subcorpus.languages = ["en"];
    req.subcorpus.dedup = true;
    const d = drillDown(req, row({ period: "2016", start: "2016-01-01", group: "Steppe Herald", count: 3 }), concepts)!;
    expect(d.request.kind).toBe("kwic");
    expect(d.request.node).toBe("security OR border*");
    expect(d.request.subcorpus).toMatchObject({ from: "2016", to: "2016", sources: ["Steppe Herald"], languages: ["en"], dedup: true });
    expect(d.label).toBe("2016 · Steppe Herald");
    expect(req.subcorpus.sources).toEqual([]);
  });

  it("reads a concept with terms per language through the concept itself", () => {
    const req = { ...newRequest("timeline"), concepts: ["csto"], by: "source" as const, period: "year" as const };
    const d = drillDown(req, row({ period: "2016", start: "2016-01-01", group: "Novosti", count: 3 }), concepts)!;
    expect(d.request.node).toBe('concept:"csto"');
  });

  it("uses the row's concept when grouped by concept, and places for regions", () => {
    const byConcept = { ...newRequest("timeline"), concepts: ["regional security", "trade"], by: "concept" as const };
    const d = drillDown(byConcept, row({ period: "2016-03", start: "2016-03-01", group: "trade" }), concepts)!;
    expect(d.request.node).toBe("trade OR tariff*");
    expect(d.request.subcorpus.sources).toEqual([]);
    const regions = { ...newRequest("regions"), concepts: ["regional security"] };
    const r = drillDown(regions, row({ period: "2016", start: "2016-01-01", group: "central-asia" }), concepts)!;
    expect(r.request.subcorpus.places).toEqual(["central-asia"]);
    expect(r.request.subcorpus.from).toBe("2016");
  });

  it("does not drill into undated rows or uncounted timelines", () => {
    const req = { ...newRequest("timeline"), concepts: ["regional security"] };
    expect(drillDown(req, row({ period: "undated", start: "", group: "x" }), concepts)).toBeNull();
    expect(drillDown(newRequest("timeline"), row({ period: "2016", start: "2016-01-01", group: "x" }), concepts)).toBeNull();
    const adhoc = { ...newRequest("timeline"), match: "Daesh" };
    expect(drillDown(adhoc, row({ period: "2016-05", start: "2016-05-01", group: "x" }), concepts)!.request.node).toBe("Daesh");
  });
});

describe("cells and charts", () => {
  it("formats shares, counts and flags", () => {
    expect(formatCell("share", 0.1234)).toBe("12.3%");
    expect(formatCell("count", 12345)).toBe("12,345");
    expect(formatCell("id", 12345)).toBe("12345");
    expect(formatCell("logdice", 7.12345)).toBe("7.123");
    expect(formatCell("low_total", true)).toBe("yes");
    expect(formatCell("share", null)).toBe("");
    expect(formatCell("left", "<b>x</b>")).toBe("<b>x</b>");
  });
  it("makes an image URL of the SVG, escaped", () => {
    const u = svgUrl('<svg xmlns="http://www.w3.org/2000/svg"><text>a & b #1</text></svg>');
    expect(u.startsWith("data:image/svg+xml;charset=utf-8,%3Csvg")).toBe(true);
    expect(u).not.toContain("#");
    expect(decodeURIComponent(u.split(",")[1])).toContain("a & b #1");
  });
  it("splits lists", () => {
    expect(splitList(" KG, central-asia ,,")).toEqual(["KG", "central-asia"]);
  });
});

describe("noteValue", () => {
  it("finds the period the engine chose, and nothing for a missing note", () => {
    const r = { notes: [["share", "articles among all articles"], ["period", "quarter"]] as Array<[string, string]> };
    expect(noteValue(r, "period")).toBe("quarter");
    expect(noteValue(r, "period_chosen")).toBeUndefined();
  });
});
