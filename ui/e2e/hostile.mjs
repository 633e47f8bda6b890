// End-to-end test that article text cannot run code in the app: imports articles whose titles
// and bodies carry <script>, <img onerror>, <iframe>, <svg onload> and javascript: links, opens
// them in the Library, the Reader, Search and KWIC, and asserts that nothing executed (no marker set,
// no payload IPC call, no such element in the page) and that the markup is shown as text.
//
//   node ui/e2e/hostile.mjs --app /path/to/broadsheet-app

import { mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ELEMENT, KEY, sleep, startDriver, waitFor } from "./webdriver.mjs";

const args = process.argv.slice(2);
const i = args.indexOf("--app");
const APP = resolve(i >= 0 ? args[i + 1] : (process.env.BROADSHEET_APP ?? ""));
if (!existsSync(APP)) {
  console.error(`e2e: the app binary ${APP} is missing; build it first (scripts/test.sh does)`);
  process.exit(2);
}

// Every payload, if it ever ran, would set window.__pwned and call a command named pwned_*.
const run = (tag) => `window.__pwned='${tag}';window.__TAURI_INTERNALS__.invoke('pwned_${tag}')`;
const PAYLOADS = [
  `<script>${run("script")}</script>`,
  `<img src=x onerror="${run("img")}">`,
  `<iframe src="javascript:${run("iframe")}"></iframe>`,
  `<svg onload="${run("svg")}"><circle r=1 /></svg>`,
  `<a href="javascript:${run("link")}">read more</a>`,
  `<details open ontoggle="${run("details")}">x</details>`,
];
// Markup in a field is HTML the import reduces to text; written as character references it is
// text that *looks* like markup, which the import keeps as it is: that is what the app must show
// as text and never run. The first article's title also carries raw markup, which the import
// removes (its payload can then neither run nor show).
const literal = (s) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
const work = mkdtempSync(join(tmpdir(), "broadsheet-hostile-"));
const file = join(work, "hostile_feed.jsonl");
writeFileSync(
  file,
  [
    {
      title: `Payload in the title ${literal(PAYLOADS[0])}`,
      text: `Security officials in Osh said the payload ${PAYLOADS.map(literal).join(" then ")} was found.`,
      date: "2021-09-01",
      source: "Hostile Wire",
    },
    {
      title: `Second payload ${literal(PAYLOADS[1])} ${PAYLOADS[0]}`,
      text: `Border guards reported ${literal(PAYLOADS[2])} and ${literal(PAYLOADS[4])} near the payload site.`,
      date: "2021-09-02",
      source: "Hostile Wire",
    },
    {
      title: "A quiet article",
      text: `Nothing here but the word payload and ${literal(PAYLOADS[3])} ${literal(PAYLOADS[5])}.`,
      date: "2021-09-03",
      source: "Hostile Wire",
    },
  ]
    .map((r) => JSON.stringify(r))
    .join("\n") + "\n",
);

const env = {
  ...process.env,
  TAURI_WEBVIEW_AUTOMATION: "true",
  BROADSHEET_CONFIG_DIR: join(work, "config"),
  BROADSHEET_E2E_PROJECT: join(work, "hostile project"),
  BROADSHEET_E2E_IMPORT: file,
};

const d = await startDriver(env);
const results = [];
async function step(name, f) {
  const t0 = Date.now();
  try {
    await f();
    results.push(true);
    console.log(`  ok  ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    results.push(false);
    console.log(`  FAIL ${name}: ${e.message}`);
    throw e;
  }
}

/** Fails if a payload ran or left live markup anywhere in the page. */
async function assertInert(where) {
  // Give load and error handlers the time to fire, were there any.
  await sleep(600);
  const v = await d.js(`
    const live = document.querySelectorAll(
      'main iframe, main script, main svg circle, main img[src="x"], [onerror], [onload], [ontoggle], a[href^="javascript:" i]');
    return { pwned: window.__pwned ?? null, live: live.length, calls: window.__ipcCalls ?? null };`);
  if (v.pwned !== null) throw new Error(`${where}: a payload ran (${v.pwned})`);
  if (v.live > 0) throw new Error(`${where}: ${v.live} elements from article text are live in the page`);
  if (v.calls === null) throw new Error(`${where}: the IPC spy is gone (was the page reloaded?)`);
  const payloadCalls = v.calls.filter((c) => String(c).startsWith("pwned"));
  if (payloadCalls.length) throw new Error(`${where}: payload IPC calls ${payloadCalls.join(", ")}`);
}

let failed = false;
try {
  await step("start the app", async () => {
    await d.session(APP);
    await d.waitEl("[data-testid=new-project]", 30_000);
  });

  await step("spy on every IPC call the page makes", async () => {
    // Tauri's invoke is read-only; every call still leaves the page through fetch (the ipc:
    // protocol) or, as a fallback, window.ipc.postMessage, so those are what the spy wraps.
    const how = await d.js(`
      window.__ipcCalls = [];
      const log = (what) => window.__ipcCalls.push(String(what));
      const ways = [];
      const f = window.fetch;
      try {
        window.fetch = function (input, init) {
          const url = typeof input === 'string' ? input : (input && input.url) || '';
          if (/^(ipc:|http:\\/\\/ipc\\.localhost)/.test(url)) log(decodeURIComponent(url.replace(/^.*localhost\\//, '')));
          return f.apply(this, arguments);
        };
        if (window.fetch !== f) ways.push('fetch');
      } catch (e) {}
      if (window.ipc && typeof window.ipc.postMessage === 'function') {
        const pm = window.ipc.postMessage;
        try {
          window.ipc.postMessage = function (m) {
            try { log(JSON.parse(m).cmd); } catch (e) { log('?'); }
            return pm.apply(this, arguments);
          };
          if (window.ipc.postMessage !== pm) ways.push('postMessage');
        } catch (e) {}
      }
      return ways.join(',');`);
    if (!how.includes("fetch")) throw new Error(`cannot wrap fetch (${how})`);
  });

  await step("import the hostile articles", async () => {
    await d.typeInto(await d.find("[data-testid=new-name]"), "Hostile (e2e)");
    await d.click(await d.find("[data-testid=new-project]"));
    await d.waitEl("[data-testid=add-files]");
    await d.click(await d.find("[data-testid=add-files]"));
    await waitFor("the preview", async () => {
      const b = await d.find("[data-testid=start-import]");
      return (await d.js("return !arguments[0].disabled", { [ELEMENT]: b })) && b;
    });
    await d.click(await d.find("[data-testid=start-import]"));
    const stored = await waitFor("the report", async () => d.text(await d.find("[data-testid=report-stored]")), 60_000);
    if (stored.trim() !== "3") throw new Error(`${stored} stored, expected 3`);
    await assertInert("import report");
  });

  await step("library: titles shown as text", async () => {
    await d.click(await d.find("[data-screen=library]"));
    await waitFor("rows", async () => (await d.findAll("[data-testid=library-table] .tr .c-title")).length === 3);
    const titles = await d.js(
      "return Array.from(document.querySelectorAll('[data-testid=library-table] .tr .c-title')).map(e => e.textContent)",
    );
    if (!titles.some((t) => t.includes("<script>"))) throw new Error(`no literal <script> in ${JSON.stringify(titles)}`);
    await assertInert("library");
  });

  await step("search: snippets are text", async () => {
    await d.click(await d.find("[data-screen=search]"));
    const q = await d.waitEl("[data-testid=query]");
    await d.typeInto(q, "payload");
    await d.keys(KEY.enter);
    await waitFor("three hits", async () => (await d.findAll("[data-testid=hit-title]")).length === 3);
    const tags = await d.js(
      "return Array.from(document.querySelectorAll('[data-testid=hits] *')).map(e => e.tagName.toLowerCase())",
    );
    const foreign = tags.filter((t) => ["img", "iframe", "script", "svg", "a", "details", "circle"].includes(t));
    if (foreign.length) throw new Error(`elements from article text in the hits: ${foreign.join(", ")}`);
    await assertInert("search");
  });

  await step("reader: the body's markup is text", async () => {
    // Open the article whose body holds every payload from its search hit.
    const hits = await d.findAll("[data-testid=hit-title]");
    let opened = false;
    for (const h of hits) {
      if ((await d.text(h)).startsWith("Payload in the title")) {
        await d.click(h);
        opened = true;
        break;
      }
    }
    if (!opened) throw new Error("no hit titled 'Payload in the title'");
    await waitFor("the reader", async () => (await d.content("[data-testid=article-title]")).startsWith("Payload in the title"));
    const body = await d.content("[data-testid=article-text]");
    for (const p of ["<img src=x onerror=", "<iframe src=\"javascript:", "<svg onload=", "<a href=\"javascript:"]) {
      if (!body.includes(p)) throw new Error(`the reader does not show ${p} as text: ${body.slice(0, 300)}`);
    }
    await assertInert("reader");
  });

  await step("KWIC: concordance lines are text", async () => {
    await d.click(await d.find("nav [data-screen=kwic], [data-screen=kwic]"));
    const q = await d.waitEl("[data-testid=query]");
    await d.clear(q);
    await d.typeInto(q, "payload OR reported");
    await d.click(await d.find("[data-testid=run-kwic]"));
    await waitFor("KWIC lines", async () => (await d.findAll("[data-testid=kwic-line]")).length >= 3, 30_000);
    const lines = await d.content("[data-testid=kwic-lines]");
    if (!lines.includes("<")) throw new Error(`no markup shown as text in the lines: ${lines.slice(0, 300)}`);
    const tags = await d.js(
      "return Array.from(document.querySelectorAll('[data-testid=kwic-lines] *')).map(e => e.tagName.toLowerCase())",
    );
    const foreign = tags.filter((t) => ["img", "iframe", "script", "svg", "a", "details", "circle"].includes(t));
    if (foreign.length) throw new Error(`elements from article text in the KWIC lines: ${foreign.join(", ")}`);
    await assertInert("kwic");
  });

  await step("the app's own IPC calls went through the spy", async () => {
    const calls = await d.js("return window.__ipcCalls");
    if (!calls.includes("search") || !calls.includes("article")) {
      throw new Error(`the spy saw ${JSON.stringify(calls)}: it would not have seen a payload's call either`);
    }
  });
} catch (e) {
  failed = true;
  console.log(`  ${e.message}`);
  const where = join(tmpdir(), `broadsheet-hostile-failure-${Date.now()}.png`);
  await d.screenshot(where).then(() => console.log(`  screenshot of the failure: ${where}`)).catch(() => {});
  console.log(d.log().split("\n").slice(-15).join("\n"));
} finally {
  await d.close();
  rmSync(work, { recursive: true, force: true });
}
const passed = results.filter(Boolean).length;
console.log(`hostile e2e: ${passed} passed, ${results.length - passed} failed`);
process.exit(failed ? 1 : 0);
