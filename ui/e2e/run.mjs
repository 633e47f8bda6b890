// End-to-end test of the real Broadsheet app (the built binary, WebKitGTK) through WebKit's own
// WebDriver (WebKitWebDriver, with TAURI_WEBVIEW_AUTOMATION=true), with plain W3C WebDriver
// calls: create a project, import datasets/demo, browse, search, open an article and check its
// title and highlighted hits; then the analyses: save the "regional security" concept and audit
// it, draw its timeline by source, click a row through to the KWIC of that year and outlet, open
// an article from a KWIC line, export the timeline's CSV and chart and check the CSV's rows,
// save the analysis to the project, and run terms, keyness, collocations and regions. A
// screenshot of every screen goes into docs/screenshots/.
//
// Native dialogs cannot be driven through WebDriver: BROADSHEET_E2E_PROJECT and
// BROADSHEET_E2E_IMPORT pre-answer them, and BROADSHEET_E2E_EXPORT names the folder that save
// dialogs answer with (the file keeps the name the dialog would propose). Run under a display (scripts/test.sh uses xvfb-run).
//
//   node ui/e2e/run.mjs --app /path/to/broadsheet-app [--shots docs/screenshots]

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ELEMENT, KEY, sleep, startDriver, waitFor } from "./webdriver.mjs";

const ROOT = resolve(fileURLToPath(import.meta.url), "../../..");
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const APP = resolve(opt("--app", process.env.BROADSHEET_APP ?? ""));
// Screenshots go to a temporary folder, so the test suite never rewrites committed files;
// scripts/screenshots.sh passes `--shots docs/screenshots` to refresh the committed ones.
const SHOTS = resolve(ROOT, opt("--shots", join(tmpdir(), "broadsheet-e2e-screenshots")));

if (!existsSync(APP)) {
  console.error(`e2e: the app binary ${APP} is missing; build it first (scripts/test.sh does)`);
  process.exit(2);
}

// The WebDriver client (ui/e2e/webdriver.mjs); these names are bound once the driver runs.
let d, find, findAll, click, text, typeInto, clear, js, content, waitEl, keys;

async function shot(name) {
  // d.screenshot lets layout and fonts settle first.
  await d.screenshot(join(SHOTS, name));
  shots.push(name);
}

// ---- the test ----

const results = [];
const shots = [];
async function step(name, f) {
  const t0 = Date.now();
  try {
    await f();
    results.push({ name, ok: true });
    console.log(`  ok  ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`  FAIL ${name}: ${e.message}`);
    throw e;
  }
}

const work = mkdtempSync(join(tmpdir(), "broadsheet-e2e-"));
const demo = (f) => join(ROOT, "datasets/demo", f);
// A small export with problems, so that the report has diagnostics to show.
const messy = join(work, "messy_export.jsonl");
writeFileSync(
  messy,
  [
    '{"title":"Border talks resume in Osh","text":"Officials from Kyrgyzstan and Uzbekistan met in Osh.","date":"2016-03-02","source":"Osh Daily"}',
    '{"title":"Truncated record", "text": ',
    '{"title":"Market day in Khujand","text":"Traders said prices were stable.","date":"the day after Nowruz","source":"Osh Daily"}',
    '[1, 2, 3]',
  ].join("\n") + "\n",
);
const env = {
  ...process.env,
  TAURI_WEBVIEW_AUTOMATION: "true",
  BROADSHEET_CONFIG_DIR: join(work, "config"),
  BROADSHEET_E2E_PROJECT: join(work, "Central Asia study"),
  BROADSHEET_E2E_EXPORT: join(work, "exports"),
  BROADSHEET_E2E_IMPORT: [
    demo("steppe_herald.jsonl"),
    demo("caspian_wire.csv"),
    demo("novosti_evrazii.json"),
    demo("tien_shan_times"),
    messy,
  ].join(delimiter),
};

mkdirSync(SHOTS, { recursive: true });
mkdirSync(join(work, "exports"), { recursive: true });
const SECURITY = "security OR militant* OR terror* OR Daesh OR border*";
/** Sets a <select>'s value as a person would (Svelte listens to change). */
const choose = (css, value) =>
  js("const e = document.querySelector(arguments[0]); e.value = arguments[1]; e.dispatchEvent(new Event('change', { bubbles: true })); return e.value", css, value);
/** Parses a CSV written by the app (RFC 4180, CRLF). */
function parseCsv(t) {
  const rows = [];
  let row = [], cell = "", q = false;
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if (q) {
      if (c === '"' && t[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') q = false;
      else cell += c;
    } else if (c === '"') q = true;
    else if (c === ",") { row.push(cell); cell = ""; }
    else if (c === "\n") { row.push(cell.replace(/\r$/, "")); rows.push(row); row = []; cell = ""; }
    else cell += c;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}
d = await startDriver(env);
({ find, findAll, click, text, typeInto, clear, js, content, waitEl, keys } = d);
const started = Date.now();
let failed = false;

try {
  await step("start the app (a WebDriver session)", async () => {
    await d.session(APP);
    await waitEl("[data-testid=new-project]", 30_000);
  });

  await step("create a project (folder dialog pre-answered)", async () => {
    await shot("01-projects.png");
    await typeInto(await find("[data-testid=new-name]"), "Central Asia security (e2e)");
    await click(await find("[data-testid=new-project]"));
    await waitFor("the project in the sidebar", async () => (await content("[data-testid=project-name]")) === "Central Asia security (e2e)");
    await waitEl("[data-testid=add-files]");
  });

  await step("preview the demo files", async () => {
    await click(await find("[data-testid=add-files]"));
    await waitFor("five paths", async () => (await findAll("[data-testid=import-paths] li")).length === 5);
    await waitFor("the preview", async () => {
      const b = await find("[data-testid=start-import]");
      return (await js("return !arguments[0].disabled", { [ELEMENT]: b })) && b;
    });
    const preview = await text(await find("[data-testid=preview]"));
    if (!preview.includes("steppe_herald.jsonl") || !preview.includes("headline")) throw new Error("the preview does not show the file and its mapping");
    await shot("02-import-preview.png");
  });

  await step("import and read the report", async () => {
    await click(await find("[data-testid=start-import]"));
    const stored = await waitFor("the report", async () => text(await find("[data-testid=report-stored]")), 60_000);
    if (Number(stored.replace(/,/g, "")) < 100) throw new Error(`only ${stored} stored`);
    const diags = await content("[data-testid=diagnostics]");
    if (!diags.includes("messy_export.jsonl") || !diags.includes("bad-json")) throw new Error(`diagnostics: ${diags.slice(0, 200)}`);
    await shot("03-import-report.png");
  });

  await step("browse the library with the keyboard", async () => {
    await click(await find("[data-screen=library]"));
    await waitFor("rows", async () => (await findAll("[data-testid=library-table] .tr .c-title")).length > 10);
    const total = await text(await find("[data-testid=library-total]"));
    if (!/\d+ articles/.test(total)) throw new Error(`library total: ${total}`);
    await shot("04-library.png");
    const table = await find("[data-testid=library-table]");
    await js("arguments[0].focus()", { [ELEMENT]: table });
    await keys(KEY.down);
    await keys(KEY.down);
    const title = await content("[data-testid=library-table] .tr.sel .c-title");
    if (!title) throw new Error("no row is selected");
    await keys(KEY.enter);
    await waitFor("the reader", async () => (await content("[data-testid=article-title]")) === title);
  });

  await step("see a syntax error underlined", async () => {
    await click(await find("[data-screen=search]"));
    const q = await waitEl("[data-testid=query]");
    await typeInto(q, "(security OR");
    const problem = await waitFor("the problem", async () => text(await find("[data-testid=query-problem]")));
    if (!problem.includes("OR")) throw new Error(problem);
    const under = await text(await find("[data-testid=query-error-span]")).catch(() => "");
    await js("return 1");
    const span = await js("return document.querySelector('[data-testid=query-error-span]').textContent");
    if (span !== "OR") throw new Error(`underlined ${JSON.stringify(span)} ${under}`);
    await click(await find("[data-testid=help-toggle]"));
    await waitEl("[data-testid=query-help]");
    await shot("05-search-error-and-help.png");
    await click(await find("[data-testid=help-toggle]"));
  });

  let hitTitle = "";
  await step("search", async () => {
    const q = await find("[data-testid=query]");
    await clear(q);
    await typeInto(q, "Kyrgyz* AND (security OR militant*)");
    await keys(KEY.enter);
    hitTitle = await waitFor("hits", async () => {
      const t = await findAll("[data-testid=hit-title]");
      return t.length > 0 && content("[data-testid=hit-title]");
    });
    const total = await text(await find("[data-testid=search-total]"));
    if (!/^\d+ articles? match/.test(total)) throw new Error(total);
    const marks = await findAll("[data-testid=hits] mark");
    if (marks.length === 0) throw new Error("no highlighted snippet");
    await shot("06-search.png");
    // A syntax error typed after a search marks its results as those of the earlier query.
    await typeInto(q, " AND");
    const stale = await waitFor("the results marked stale", async () => content("[data-testid=search-stale]").catch(() => ""));
    if (!stale.includes("Kyrgyz*")) throw new Error(stale);
    await clear(q);
    await typeInto(q, "Kyrgyz* AND (security OR militant*)");
    await waitFor("the query checked", async () => (await findAll("[data-testid=search-stale]")).length === 0);
  });

  await step("open a hit in the reader: title and highlighted hits", async () => {
    await click((await findAll("[data-testid=hit-title]"))[0]);
    await waitFor("the article", async () => (await content("[data-testid=article-title]")) === hitTitle);
    const marks = await js(
      "return Array.from(document.querySelectorAll('[data-testid=article-text] mark, [data-testid=article-title] mark')).map(m => m.textContent)",
    );
    if (marks.length === 0) throw new Error("no hit is highlighted");
    const bad = marks.filter((m) => !/^(kyrgyz|security$|militant)/i.test(m));
    if (bad.length) throw new Error(`unexpected highlights: ${bad.join(", ")}`);
    const marksAreText = await js(
      "return Array.from(document.querySelectorAll('[data-testid=article-text] mark')).every(m => m.children.length === 0)",
    );
    if (!marksAreText) throw new Error("a highlight holds elements");
    const prov = await text(await find("[data-testid=date-provenance]"));
    if (!/Came from/.test(prov)) throw new Error(prov);
    await shot("07-reader.png");
  });

  await step("statistics", async () => {
    await click(await find("[data-screen=stats]"));
    await waitEl("[data-testid=source-year]");
    const t = await text(await find("[data-testid=source-year]"));
    if (!t.includes("tien_shan_times") || !t.includes("Steppe Herald")) throw new Error(t.slice(0, 200));
    await shot("08-stats.png");
  });

  await step("save the regional security concept and audit it", async () => {
    await click(await find("[data-screen=concepts]"));
    await click(await waitEl("[data-testid=new-concept]"));
    await typeInto(await find("[data-testid=concept-name]"), "regional security");
    await typeInto(await find("[data-testid=query]"), SECURITY);
    await waitFor("the query checked", async () => js("return !document.querySelector('[data-testid=save-concept]').disabled"));
    await click(await find("[data-testid=save-concept]"));
    await waitFor("saved", async () => (await content("[data-testid=concept-status]")).includes("Saved"));
    const list = await content("[data-testid=concept-list]");
    if (!list.includes("regional security")) throw new Error(list);
    await click(await find("[data-testid=run-audit]"));
    await waitFor("the audit sample", async () => (await findAll("[data-testid=result-row]")).length === 20);
    await shot("09-concepts-audit.png");
  });

  await step("copy a concept from the multilingual lexicon", async () => {
    await click(await find("[data-testid=new-concept]"));
    await waitFor("the lexicon offered", async () => (await findAll("[data-testid=concept-lexicon] option")).length > 10);
    await choose("[data-testid=concept-lexicon]", "csto");
    await waitFor("its terms per language", async () => (await findAll("[data-testid=concept-language]")).length >= 5);
    const name = await js("return document.querySelector('[data-testid=concept-name]').value");
    if (name !== "CSTO") throw new Error(`name ${name}`);
    await shot("09b-concept-from-lexicon.png");
    await click(await find("[data-testid=save-concept]"));
    await waitFor("saved", async () => (await content("[data-testid=concept-list]")).includes("CSTO"));
  });

  let drilled = { period: "", group: "", count: 0 };
  await step("draw the timeline of regional security by source", async () => {
    await click(await find("[data-screen=timeline]"));
    await waitFor("the concept ticked", async () =>
      js("const b = document.querySelector('[data-testid=timeline-concepts] input'); return !!b && b.checked"),
    );
    await choose("[data-testid=timeline-by]", "source");
    await choose("[data-testid=timeline-period]", "year");
    await choose("[data-testid=timeline-show-n]", "points");
    await click(await find("[data-testid=run-timeline]"));
    await waitFor("the table", async () => (await findAll("[data-testid=result-row]")).length > 10, 60_000);
    const loaded = await waitFor("the chart drawn", async () =>
      js("const i = document.querySelector('[data-testid=chart]'); return i && i.complete && i.naturalWidth > 0 && i.naturalWidth"),
    );
    if (loaded < 600) throw new Error(`chart width ${loaded}`);
    const title = await content("[data-testid=analysis-title]");
    if (!title.includes("regional security")) throw new Error(title);
    const heads = await js("return Array.from(document.querySelectorAll('[data-testid=result-table] th')).map(t => t.textContent)");
    for (const h of ["period", "group", "count", "total", "share", "low_total"]) if (!heads.includes(h)) throw new Error(`columns: ${heads}`);
    // The share said in words: what was counted among which articles.
    const notes = await content("[data-testid=analysis-notes]");
    if (!notes.includes("articles matching «regional security» among all articles of the source in the year")) throw new Error(notes);
    await shot("10-timeline.png");
    // The Steppe Herald's busiest year.
    drilled = await js(`
      const rows = Array.from(document.querySelectorAll('[data-testid=result-row]'));
      const h = Array.from(document.querySelectorAll('[data-testid=result-table] th')).map(t => t.textContent);
      let best = null;
      rows.forEach((r, i) => {
        const c = Array.from(r.children).map(td => td.textContent);
        const o = { i, period: c[h.indexOf('period')], group: c[h.indexOf('group')], count: Number(c[h.indexOf('count')].replace(/,/g, '')) };
        if (o.group === 'Steppe Herald' && (!best || o.count > best.count)) best = o;
      });
      return best;`);
    if (!drilled || drilled.count < 1) throw new Error(`no Steppe Herald row: ${JSON.stringify(drilled)}`);
  });

  let lineTitle = "";
  await step("click a timeline row through to the KWIC of that year and outlet", async () => {
    const row = (await findAll("[data-testid=result-row]"))[drilled.i];
    const cell = await js("arguments[0].scrollIntoView({ block: 'center' }); return arguments[0].children[1]", { [ELEMENT]: row });
    await click(cell[ELEMENT]);
    await waitFor("the KWIC lines", async () => (await findAll("[data-testid=kwic-line]")).length > 0, 60_000);
    const ctx = await content("[data-testid=kwic-context]");
    if (!ctx.includes(drilled.period) || !ctx.includes("Steppe Herald")) throw new Error(ctx);
    const metas = await js("return Array.from(document.querySelectorAll('[data-testid=kwic-line] .meta')).map(m => m.textContent)");
    const wrong = metas.filter((m) => !m.includes("Steppe Herald") || !m.startsWith(drilled.period));
    if (wrong.length) throw new Error(`lines outside the cell: ${wrong.slice(0, 3).join(" | ")}`);
    const ids = await js("return document.querySelectorAll('[data-testid=kwic-line]').length");
    if (ids < drilled.count) throw new Error(`${ids} lines for ${drilled.count} articles`);
    await shot("11-kwic.png");
  });

  await step("open an article from a KWIC line", async () => {
    const line = (await findAll("[data-testid=kwic-line]"))[0];
    lineTitle = await js("return arguments[0].querySelector('.node').textContent", { [ELEMENT]: line });
    await click(line);
    await waitFor("the article", async () => (await content("[data-testid=article-title]")).length > 0);
    const marks = await js("return Array.from(document.querySelectorAll('[data-testid=article-text] mark, [data-testid=article-title] mark')).map(m => m.textContent.toLowerCase())");
    if (!marks.includes(lineTitle.toLowerCase())) throw new Error(`the node ${lineTitle} is not marked: ${marks.slice(0, 5)}`);
    await keys("\uE00C"); // Escape: back to the KWIC
    await waitEl("[data-testid=kwic-line]");
  });

  await step("export the timeline as CSV and SVG, and save it to the project", async () => {
    await click(await find("[data-screen=timeline]"));
    await waitEl("[data-testid=export-csv]");
    const shown = (await findAll("[data-testid=result-table] tbody tr")).length;
    await click(await find("[data-testid=export-csv]"));
    const status = await waitFor("the export", async () => {
      const t = await content("[data-testid=export-status]");
      return t.includes("Wrote") && t;
    }, 30_000);
    const csvPath = join(work, "exports", "timeline.csv");
    if (!status.includes(csvPath)) throw new Error(status);
    const rows = parseCsv(readFileSync(csvPath, "utf8"));
    const head = rows[0].join(",");
    if (head !== "period,start,group,count,total,share,low_total") throw new Error(head);
    if (rows.length - 1 !== shown) throw new Error(`${rows.length - 1} CSV rows, ${shown} in the table`);
    const cell = rows.find((r) => r[0] === drilled.period && r[2] === "Steppe Herald");
    if (!cell || Number(cell[3]) !== drilled.count) throw new Error(`CSV row for ${drilled.period}: ${cell}`);
    await click(await find("[data-testid=export-svg]"));
    await waitFor("the chart export", async () => (await content("[data-testid=export-status]")).includes("timeline.svg"));
    const svg = readFileSync(join(work, "exports", "timeline.svg"), "utf8");
    if (!svg.includes("<svg")) throw new Error("the SVG is not an SVG");
    const name = await find("[data-testid=save-name]");
    await clear(name);
    await typeInto(name, "security by outlet");
    await click(await find("[data-testid=save-analysis]"));
    await waitFor("saved", async () => (await content("[data-testid=export-status]")).includes("broadsheet.toml"));
    const toml = readFileSync(join(env.BROADSHEET_E2E_PROJECT, "broadsheet.toml"), "utf8");
    if (!toml.includes('name = "security-by-outlet"') || !toml.includes('kind = "timeline"')) throw new Error(toml.slice(-400));
  });

  await step("terms and keyness", async () => {
    await click(await find("[data-screen=terms]"));
    await click(await waitEl("[data-testid=mode-terms]"));
    await click(await find("[data-testid=run-terms]"));
    await waitFor("the word list", async () => (await findAll("[data-testid=result-table] tbody tr")).length >= 25, 60_000);
    await waitEl("[data-testid=chart]");
    await shot("12-terms.png");
    await click(await find("[data-testid=mode-keyness]"));
    // The source chips come with the filter options, fetched when the builder appears.
    await waitFor("the source chips", async () => (await findAll("[data-testid=keyness-target] .pick")).length > 0);
    const chips = await findAll("[data-testid=keyness-target] .pick");
    for (const c of chips) if ((await text(c)) === "Steppe Herald") await click(c);
    await click(await find("[data-testid=run-terms]"));
    await waitFor("keywords", async () => (await content("[data-testid=analysis-title]")).startsWith("Keywords"), 60_000);
    await waitEl("[data-testid=chart]");
    await shot("13-keyness.png");
  });

  await step("collocations", async () => {
    await click(await find("[data-screen=collocations]"));
    await typeInto(await waitEl("[data-testid=colloc-node]"), "security");
    await click(await find("[data-testid=run-colloc]"));
    await waitFor("collocates", async () => (await findAll("[data-testid=result-table] tbody tr")).length > 3, 60_000);
    await shot("14-collocations.png");
  });

  await step("regions heatmap", async () => {
    await click(await find("[data-screen=regions]"));
    await waitEl("[data-testid=regions-concept] option[value='regional security']");
    await choose("[data-testid=regions-concept]", "regional security");
    await click(await waitEl("[data-testid=run-regions]"));
    await waitFor("the heatmap", async () => (await findAll("[data-testid=result-table] tbody tr")).length > 3, 60_000);
    await waitEl("[data-testid=chart]");
    const title = await content("[data-testid=analysis-title]");
    if (!title.startsWith("regional security")) throw new Error(title);
    await shot("15-regions.png");
  });

  await step("rename a source in the Library (kept in the project file)", async () => {
    await click(await find("[data-screen=library]"));
    await click(await waitEl("[data-testid=library-sources]"));
    await waitEl("[data-testid=source-names]");
    // The names arrive after the panel opens: wait for the one to rename.
    await waitFor("tien_shan_times in the source list", async () => await js(`
      return Array.from(document.querySelectorAll('[data-testid=source-names] label'))
        .some((x) => x.textContent.includes('tien_shan_times'));`), 10_000).catch(() => {});
    const ticked = await js(`
      const l = Array.from(document.querySelectorAll('[data-testid=source-names] label'))
        .find((x) => x.textContent.includes('tien_shan_times'));
      if (!l) return false;
      l.querySelector('input').click();
      return true;`);
    if (!ticked) throw new Error("no tien_shan_times in the source list");
    // Picking one source puts its name in the field, to be edited.
    const name = await find("[data-testid=source-new-name]");
    await clear(name);
    await typeInto(name, "Tien Shan Times");
    await click(await find("[data-testid=source-rename]"));
    await waitFor("renamed", async () => (await content("[data-testid=source-done]")).length > 0, 60_000);
    await waitFor("the new name in the filters", async () =>
      js("return document.body.innerText.includes('Tien Shan Times') && !Array.from(document.querySelectorAll('label')).some((l) => l.textContent.includes('tien_shan_times'))"),
    );
    await shot("16-sources-renamed.png");
  });
} catch (e) {
  failed = true;
  console.log(`  ${e.message}`);
  // Not into docs/: a failure's screenshot goes to the temporary folder.
  const where = join(tmpdir(), `broadsheet-e2e-failure-${Date.now()}.png`);
  await d.screenshot(where).then(() => console.log(`  screenshot of the failure: ${where}`)).catch(() => {});
  if (d.log()) console.log(d.log().split("\n").slice(-15).join("\n"));
} finally {
  await d.close();
  rmSync(work, { recursive: true, force: true });
}

const passed = results.filter((r) => r.ok).length;
const failures = results.length - passed;
console.log(`e2e: ${shots.length} screenshots in ${SHOTS}; ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failures} failed`);
process.exit(failed || failures ? 1 : 0);
