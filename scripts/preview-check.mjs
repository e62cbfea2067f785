#!/usr/bin/env node
// Drives `entropybook preview` the way a reader would, in headless Chromium over the
// DevTools protocol: opens URL in two tabs, reads a value from each (EXPR, evaluated in the
// page), then edits FILE on disk (replaces FROM by TO) and waits — polling, with a deadline —
// until both tabs show another value without being reloaded by hand. Prints one JSON object:
//   { before: [..], after: [..], updatedAt: [epoch ms, ..], editedAt, loads: [n, n], requests: [...] }
// `requests`: every URL the tabs asked for that is not on URL's origin and not data:.
// Usage: node --experimental-websocket scripts/preview-check.mjs URL FILE FROM TO EXPR [--timeout 240]
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const args = process.argv.slice(2);
let timeoutSeconds = 240;
const t = args.indexOf("--timeout");
if (t >= 0) { timeoutSeconds = Number(args[t + 1]); args.splice(t, 2); }
if (args.length !== 5) { console.error("usage: preview-check.mjs URL FILE FROM TO EXPR"); process.exit(2); }
const [url, file, from, to, expression] = args;
const origin = new URL(url).origin;

const profile = mkdtempSync(join(tmpdir(), "entropybook-chromium-"));
const chromium = spawn("/usr/bin/chromium", [
  "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
  "--disable-extensions", "--disable-background-networking", "--disable-component-update",
  "--disable-sync", "--metrics-recording-only", "--remote-debugging-port=0", `--user-data-dir=${profile}`, "about:blank",
], { stdio: ["ignore", "ignore", "pipe"] });
function cleanup() {
  try { chromium.kill("SIGKILL"); } catch {}
  try { rmSync(profile, { recursive: true, force: true }); } catch {}
}
const deadline = setTimeout(() => { console.error("preview-check: timed out"); cleanup(); process.exit(3); }, timeoutSeconds * 1000);
const browserWS = await new Promise((ok, fail) => {
  let text = "";
  chromium.stderr.on("data", (chunk) => {
    text += chunk;
    const m = text.match(/DevTools listening on (ws:\/\/[^\s]+)/);
    if (m) ok(m[1]);
  });
  chromium.on("exit", (code) => fail(new Error(`chromium exited (${code}): ${text.slice(-500)}`)));
});
const port = new URL(browserWS).port;
const requests = [];

// One tab: its own DevTools connection, its loads counted, its requests recorded.
async function openTab() {
  const target = await (await fetch(`http://127.0.0.1:${port}/json/new?about:blank`, { method: "PUT" })).json();
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((ok, fail) => { ws.onopen = ok; ws.onerror = fail; });
  let nextId = 1;
  const pending = new Map(), waiters = [];
  const tab = { loads: 0 };
  ws.onmessage = (event) => {
    const m = JSON.parse(event.data);
    if (m.id && pending.has(m.id)) {
      const { ok, fail } = pending.get(m.id);
      pending.delete(m.id);
      m.error ? fail(new Error(JSON.stringify(m.error))) : ok(m.result);
    } else if (m.method === "Network.requestWillBeSent") {
      const u = m.params.request.url;
      if (!u.startsWith("data:") && !u.startsWith(origin + "/")) requests.push(u);
    } else if (m.method === "Page.loadEventFired") {
      tab.loads += 1;
      for (const w of waiters.splice(0)) w();
    }
  };
  tab.send = (method, params = {}) => {
    const id = nextId++;
    ws.send(JSON.stringify({ id, method, params }));
    return new Promise((ok, fail) => pending.set(id, { ok, fail }));
  };
  tab.loaded = () => new Promise((ok) => waiters.push(ok));
  tab.value = async () => {
    const r = await tab.send("Runtime.evaluate", { expression, returnByValue: true });
    return r.result ? r.result.value ?? null : null;
  };
  tab.close = () => ws.close();
  await Promise.all([tab.send("Page.enable"), tab.send("Network.enable"), tab.send("Runtime.enable")]);
  return tab;
}

const tabs = [await openTab(), await openTab()];
for (const tab of tabs) {
  const loaded = tab.loaded();
  await tab.send("Page.navigate", { url });
  await loaded;
}
// The first run may still be going on: wait until both tabs show a value, and until their
// loads settle. A page requested while that run was finishing can show the new report under
// the previous run's number (the report is on disk a moment before the run counts as
// finished) and reloads once more when its event stream connects; that reload belongs to
// the first run, not to the edit below.
const values = async () => {
  let v = await Promise.all(tabs.map((tab) => tab.value().catch(() => null)));
  while (v.some((x) => x === null)) {
    await new Promise((r) => setTimeout(r, 200));
    v = await Promise.all(tabs.map((tab) => tab.value().catch(() => null)));
  }
  return v;
};
let before = await values();
for (let settled = tabs.map((tab) => tab.loads); ; ) {
  await new Promise((r) => setTimeout(r, 1500));
  const now = tabs.map((tab) => tab.loads);
  if (now.every((n, i) => n === settled[i])) break;
  settled = now;
}
before = await values();
const loadsBefore = tabs.map((tab) => tab.loads);
const source = readFileSync(file, "utf8");
if (!source.includes(from)) { console.error(`preview-check: ${file} does not contain ${from}`); cleanup(); process.exit(2); }
const editedAt = Date.now();
writeFileSync(file, source.replace(from, to));
const after = [null, null], updatedAt = [null, null];
while (after.some((v) => v === null)) {
  for (let i = 0; i < tabs.length; i++) {
    if (after[i] !== null) continue;
    const v = await tabs[i].value().catch(() => null);
    if (v !== null && v !== before[i]) { after[i] = v; updatedAt[i] = Date.now(); }
  }
  await new Promise((r) => setTimeout(r, 50));
}
clearTimeout(deadline);
for (const tab of tabs) tab.close();
cleanup();
console.log(JSON.stringify({ before, after, updatedAt, editedAt, loads: tabs.map((tab, i) => tab.loads - loadsBefore[i]), requests }));
process.exit(0);
