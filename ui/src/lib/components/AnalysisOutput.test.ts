import { describe, expect, it } from "vitest";
import { render } from "@testing-library/svelte";
import AnalysisOutput from "./AnalysisOutput.svelte";
import { newRequest } from "../analysis";

describe("analysis output", () => {
  it("shows cells from the corpus as text and the chart only as an image", () => {
    const result = {
      title: "<b>regional security</b>, by source",
      columns: ["period", "group", "count", "share"],
      rows: [["2016", "<img src=x onerror=alert(1)>", 3, 0.25]],
      total_rows: 1,
      notes: [["articles", "<script>alert(2)</script>"]] as [string, string][],
      chart_svg: '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(3)</script></svg>',
    };
    const { container } = render(AnalysisOutput, { result, request: newRequest("timeline") });
    const imgs = Array.from(container.querySelectorAll("img"));
    expect(imgs).toHaveLength(1);
    expect(imgs[0].getAttribute("src")!.startsWith("data:image/svg+xml")).toBe(true);
    expect(container.querySelector("script, b, svg")).toBeNull();
    const cells = Array.from(container.querySelectorAll("tbody td")).map((td) => td.textContent);
    expect(cells).toEqual(["2016", "<img src=x onerror=alert(1)>", "3", "25.0%"]);
    expect(container.textContent).toContain("<b>regional security</b>");
  });
});
