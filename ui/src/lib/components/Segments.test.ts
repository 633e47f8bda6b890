import { describe, expect, it } from "vitest";
import { render } from "@testing-library/svelte";
import Segments from "./Segments.svelte";
import { hitCount, segmentsText } from "../segments";

describe("segments", () => {
  it("render article text as text, never as HTML", () => {
    const hostile = [
      { text: "<img src=x onerror=alert(1)> and ", match: false },
      { text: "<b>Daesh</b>", match: true },
      { text: " <script>alert(2)</script> &amp; </p>", match: false },
    ];
    const { container } = render(Segments, { segments: hostile });
    // Only <mark> elements are created; everything else is text.
    const elements = Array.from(container.querySelectorAll("*"));
    expect(elements.map((e) => e.tagName)).toEqual(["MARK"]);
    expect(container.querySelector("img, script, b, p")).toBeNull();
    expect(container.textContent).toBe(segmentsText(hostile));
    const mark = container.querySelector("mark")!;
    expect(mark.textContent).toBe("<b>Daesh</b>");
    expect(mark.childNodes.length).toBe(1);
    expect(mark.firstChild!.nodeType).toBe(Node.TEXT_NODE);
  });

  it("mark every hit and keep the order", () => {
    const segs = [
      { text: "Militants", match: true },
      { text: " crossed the ", match: false },
      { text: "border", match: true },
    ];
    const { container } = render(Segments, { segments: segs });
    expect(Array.from(container.querySelectorAll("mark")).map((m) => m.textContent)).toEqual(["Militants", "border"]);
    expect(container.textContent).toBe("Militants crossed the border");
    expect(hitCount(segs)).toBe(2);
  });
});
