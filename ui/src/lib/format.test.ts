import { describe, expect, it } from "vitest";
import { bytes, count, date, percent } from "./format";

describe("formatting", () => {
  it("shows dates at their precision", () => {
    expect(date("2015-06-01")).toBe("2015-06-01");
    expect(date("2015-06")).toBe("2015-06");
    expect(date("2023-04-28T09:22:00Z")).toBe("2023-04-28 09:22 UTC");
    expect(date("2023-04-28T09:22:05Z")).toBe("2023-04-28 09:22:05 UTC");
    expect(date(null)).toBe("undated");
  });
  it("shows counts and sizes", () => {
    expect(count(1340)).toBe("1,340");
    expect(bytes(1_048_576)).toBe("1.0 MB");
    expect(percent(1300, 1340)).toBe("97%");
  });
});
