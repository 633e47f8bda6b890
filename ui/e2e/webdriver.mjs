// A minimal W3C WebDriver client for the end-to-end tests of the real app (WebKitWebDriver with
// TAURI_WEBVIEW_AUTOMATION=true): start the driver and a session on the app binary, find, click,
// type, run a script, wait, take screenshots. Plain fetch; no test framework.

import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";

export const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
export const KEY = { enter: "\uE007", down: "\uE015", ctrl: "\uE009" };
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.on("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

/** Polls `f` until it returns something truthy (errors count as "not yet"). */
export async function waitFor(what, f, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    try {
      const v = await f();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (${last.message})` : ""}`);
}

/** Starts WebKitWebDriver on a free port with `env`; `session(app)` then opens the app. */
export async function startDriver(env, driverPath = process.env.WEBKIT_WEBDRIVER ?? "/usr/bin/WebKitWebDriver") {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const proc = spawn(driverPath, [`--port=${port}`], { env, stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  proc.stderr.on("data", (d) => (log += d));
  let sid = "";

  async function call(method, path, body, timeoutMs = 30_000) {
    const ctrl = new AbortController();
    const t = setTimeout(() => ctrl.abort(), timeoutMs);
    try {
      const r = await fetch(base + path, {
        method,
        headers: { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: ctrl.signal,
      });
      const j = await r.json().catch(() => ({}));
      if (!r.ok) {
        const v = j.value ?? {};
        throw new Error(`${method} ${path}: ${v.error ?? r.status}: ${v.message ?? ""}`);
      }
      return j.value;
    } catch (e) {
      if (e.name === "AbortError") throw new Error(`${method} ${path}: no answer in ${timeoutMs} ms`);
      throw e;
    } finally {
      clearTimeout(t);
    }
  }
  const s = (p) => `/session/${sid}${p}`;
  const d = {
    call,
    log: () => log,
    async session(app, args = []) {
      await waitFor("WebKitWebDriver", () => call("GET", "/status", undefined, 2000), 15_000);
      const v = await call(
        "POST",
        "/session",
        { capabilities: { alwaysMatch: { "webkitgtk:browserOptions": { binary: app, args } } } },
        45_000,
      );
      sid = v.sessionId;
    },
    find: async (css) => (await call("POST", s("/element"), { using: "css selector", value: css }))[ELEMENT],
    findAll: async (css) =>
      (await call("POST", s("/elements"), { using: "css selector", value: css })).map((e) => e[ELEMENT]),
    click: (el) => call("POST", s(`/element/${el}/click`), {}),
    text: (el) => call("GET", s(`/element/${el}/text`)),
    typeInto: (el, t) => call("POST", s(`/element/${el}/value`), { text: t }),
    clear: (el) => call("POST", s(`/element/${el}/clear`), {}),
    js: (script, ...a) => call("POST", s("/execute/sync"), { script, args: a }),
    /** The text content of the first element matching `css` ("" when there is none). */
    content: (css) =>
      d.js("const e = document.querySelector(arguments[0]); return e ? e.textContent.trim() : ''", css),
    waitEl: (css, ms) => waitFor(css, () => d.find(css), ms),
    async keys(...values) {
      const actions = [];
      for (const v of values) actions.push({ type: "keyDown", value: v });
      for (const v of [...values].reverse()) actions.push({ type: "keyUp", value: v });
      await call("POST", s("/actions"), { actions: [{ type: "key", id: "kb", actions }] });
      await call("DELETE", s("/actions"));
    },
    async screenshot(path) {
      await sleep(250);
      const png = await call("GET", s("/screenshot"));
      writeFileSync(path, Buffer.from(png, "base64"));
    },
    async close() {
      if (sid) await call("DELETE", s(""), undefined, 15_000).catch(() => {});
      proc.kill();
    },
  };
  return d;
}
