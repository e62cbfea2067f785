#!/usr/bin/env node
// Opens one report in headless Chromium through the DevTools protocol at each width and
// prints what a reader's browser saw, as one JSON object on stdout:
//   { "widths": { "390": { scrollWidth, clientWidth, overflowing: [...], images: [...], tableWraps: [...],
//     brokenAnchors: [...], consoleErrors: [...], requests: [...], screenshot, axe } , ... } }
// Usage: node --experimental-websocket scripts/browser-check.mjs REPORT.html
//          [--widths 1440,390] [--screenshots DIR] [--chromium /usr/bin/chromium] [--timeout 300]
//          [--axe axe.min.js]
// --axe: after the checks above, injects axe-core (its axe.min.js) and runs its WCAG 2.0/2.1
// A and AA rules; `axe` is then { version, violations: [{ id, impact, help, nodes: [...] }] }.
// The report's CSP allows no script, so the page is loaded with the CSP bypassed
// (Page.setBypassCSP): only then, and only for axe, does script run in it.
// No dependency beyond node 20 (WebSocket and fetch are built in with the flag above).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, basename, dirname } from "node:path";
import { pathToFileURL } from "node:url";

const args = process.argv.slice(2);
function option(name, fallback) {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
}
const widths = option("--widths", "1440,390").split(",").map(Number);
const screenshots = option("--screenshots", null);
const chromiumPath = option("--chromium", "/usr/bin/chromium");
const timeoutSeconds = Number(option("--timeout", "300"));
const axePath = option("--axe", null);
const axeSource = axePath ? readFileSync(axePath, "utf8") : null;
if (args.length !== 1) {
  console.error("usage: browser-check.mjs REPORT.html [--widths 1440,390] [--screenshots DIR]");
  process.exit(2);
}
const report = resolve(args[0]);
const reportURL = pathToFileURL(report).href;

const profile = mkdtempSync(join(tmpdir(), "entropybook-chromium-"));
const chromium = spawn(chromiumPath, [
  "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
  "--disable-extensions", "--disable-background-networking", "--disable-component-update",
  "--disable-sync", "--metrics-recording-only", "--hide-scrollbars",
  "--remote-debugging-port=0", `--user-data-dir=${profile}`, "about:blank",
], { stdio: ["ignore", "ignore", "pipe"] });

function cleanup() {
  try { chromium.kill("SIGKILL"); } catch {}
  try { rmSync(profile, { recursive: true, force: true }); } catch {}
}
const deadline = setTimeout(() => { console.error("browser-check: timed out"); cleanup(); process.exit(3); }, timeoutSeconds * 1000);

// Chromium prints "DevTools listening on ws://…/devtools/browser/…" on stderr.
const browserWS = await new Promise((ok, fail) => {
  let text = "";
  chromium.stderr.on("data", (chunk) => {
    text += chunk;
    const m = text.match(/DevTools listening on (ws:\/\/[^\s]+)/);
    if (m) ok(m[1]);
  });
  chromium.on("exit", (code) => fail(new Error(`chromium exited (${code}) before listening: ${text.slice(-500)}`)));
});
const port = new URL(browserWS).port;

async function pageTarget() {
  for (let i = 0; i < 50; i++) {
    const list = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
    const page = list.find((t) => t.type === "page");
    if (page) return page.webSocketDebuggerUrl;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("no page target");
}

const ws = new WebSocket(await pageTarget());
await new Promise((ok, fail) => { ws.onopen = ok; ws.onerror = fail; });
let nextId = 1;
const pending = new Map();
const listeners = [];
ws.onmessage = (event) => {
  const message = JSON.parse(event.data);
  if (message.id && pending.has(message.id)) {
    const { ok, fail } = pending.get(message.id);
    pending.delete(message.id);
    message.error ? fail(new Error(JSON.stringify(message.error))) : ok(message.result);
  } else if (message.method) {
    for (const l of listeners) l(message);
  }
};
function send(method, params = {}) {
  const id = nextId++;
  ws.send(JSON.stringify({ id, method, params }));
  return new Promise((ok, fail) => pending.set(id, { ok, fail }));
}
function once(method) {
  return new Promise((ok) => {
    const l = (m) => { if (m.method === method) { listeners.splice(listeners.indexOf(l), 1); ok(m.params); } };
    listeners.push(l);
  });
}

let requests = [], consoleErrors = [];
listeners.push((m) => {
  if (m.method === "Network.requestWillBeSent") {
    const url = m.params.request.url;
    // The report itself and its inline data: images are not requests to anything.
    if (!url.startsWith("data:") && url !== reportURL && !url.startsWith(reportURL + "#")) requests.push(url);
  } else if (m.method === "Runtime.consoleAPICalled" && ["error", "assert"].includes(m.params.type)) {
    consoleErrors.push(m.params.args.map((a) => a.value ?? a.description).join(" "));
  } else if (m.method === "Runtime.exceptionThrown") {
    consoleErrors.push(m.params.exceptionDetails.exception?.description ?? m.params.exceptionDetails.text);
  } else if (m.method === "Log.entryAdded" && m.params.entry.level === "error") {
    consoleErrors.push(`${m.params.entry.source}: ${m.params.entry.text}`);
  }
});
await Promise.all([send("Page.enable"), send("Network.enable"), send("Runtime.enable"), send("Log.enable")]);
if (axeSource) await send("Page.setBypassCSP", { enabled: true });

// axe-core's WCAG 2.0 and 2.1 level A and AA rules, on the page as laid out now.
async function runAxe() {
  const injected = await send("Runtime.evaluate", { expression: axeSource });
  if (injected.exceptionDetails) throw new Error("axe-core did not load: " + injected.exceptionDetails.text);
  const run = `axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })
    .then((r) => ({ version: axe.version, violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + ": " + (n.failureSummary || "").split("\\n").slice(0, 2).join(" ")) })),
      incomplete: r.incomplete.map((v) => v.id) }))`;
  const evaluated = await send("Runtime.evaluate", { expression: run, awaitPromise: true, returnByValue: true });
  if (evaluated.exceptionDetails) throw new Error("axe.run failed: " + JSON.stringify(evaluated.exceptionDetails));
  return evaluated.result.value;
}

// Evaluated in the page: overflow, images, anchors.
const probe = `(() => {
  const doc = document.documentElement;
  const vw = doc.clientWidth;
  const overflowing = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > vw + 0.5) {
      // Report the outermost offender only: skip elements inside a horizontal scroller.
      let p = el.parentElement, scrolled = false;
      while (p && p !== document.body) {
        const s = getComputedStyle(p);
        if (s.overflowX === "auto" || s.overflowX === "scroll" || s.overflowX === "hidden") { scrolled = true; break; }
        p = p.parentElement;
      }
      if (!scrolled) overflowing.push(el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ").join(".") : "") + " right=" + Math.round(r.right));
    }
  }
  // A figure's <picture> may offer a narrow (phone) variant in a <source>: which one the
  // browser chose, and the CSS size the chosen one was laid out for (its width attribute).
  const images = [...document.images].map((img) => {
    const sources = img.parentElement && img.parentElement.tagName === "PICTURE" ? [...img.parentElement.querySelectorAll("source")] : [];
    const chosen = sources.find((s) => s.getAttribute("srcset").trim().split(" ")[0] === img.currentSrc);
    const rendered = img.getBoundingClientRect().width;
    return {
      alt: img.alt.slice(0, 60), naturalWidth: img.naturalWidth, width: img.getAttribute("width"),
      height: img.getAttribute("height"), renderedWidth: Math.round(rendered),
      currentSrcIsData: img.currentSrc.startsWith("data:"), density: img.naturalWidth / Math.max(1, rendered),
      variants: sources.map((s) => s.dataset.variant || "source").concat(["default"]),
      variant: chosen ? (chosen.dataset.variant || "source") : "default",
      layoutWidth: Number((chosen || img).getAttribute("width")) || null,
      layoutHeight: Number((chosen || img).getAttribute("height")) || null,
      inFigure: !!img.closest("figure"),
    };
  });
  const brokenAnchors = [...document.querySelectorAll('a[href^="#"]')]
    .map((a) => decodeURIComponent(a.getAttribute("href").slice(1)))
    .filter((id) => id && !document.getElementById(id));
  // Tables wider than their wrapper must scroll inside it (overflow-x auto), not push the page.
  const tableWraps = [...document.querySelectorAll(".table-wrap")].map((w) => ({
    scrollWidth: w.scrollWidth, clientWidth: w.clientWidth, overflowX: getComputedStyle(w).overflowX, stacked: w.classList.contains("stack"),
    right: Math.round(w.getBoundingClientRect().right),
  }));
  return { scrollWidth: doc.scrollWidth, clientWidth: vw, bodyScrollWidth: document.body.scrollWidth,
           overflowing: overflowing.slice(0, 20), images, brokenAnchors, tableWraps };
})()`;

// Full-page screenshots at 1 device pixel per CSS pixel. Chromium never returns a capture
// much taller than ~20 000 px (a report with thirty figures is 27 000 px at 1440), so a
// taller page is saved in parts of `partHeight` px: NAME-WIDTH-1.png, NAME-WIDTH-2.png, …
const partHeight = 12000;
async function capture(width, mobile) {
  const page = basename(report, ".html") === "index" ? "" : "-" + basename(report, ".html");
  const stem = join(screenshots, `${basename(dirname(report))}${page}-${width}`);
  const height = (await send("Runtime.evaluate", { expression: "document.documentElement.scrollHeight", returnByValue: true })).result.value;
  // A deck's slides are one viewport tall each: a taller viewport would stretch every slide.
  const snaps = (await send("Runtime.evaluate", { expression: "getComputedStyle(document.documentElement).scrollSnapType !== 'none'", returnByValue: true })).result.value;
  if (height <= partHeight || snaps) {
    await send("Emulation.setDeviceMetricsOverride", { width, height: mobile ? 844 : 900, deviceScaleFactor: 1, mobile });
    const shot = await send("Page.captureScreenshot", { format: "png", captureBeyondViewport: true, fromSurface: true });
    writeFileSync(`${stem}.png`, Buffer.from(shot.data, "base64"));
    return [`${stem}.png`];
  }
  const files = [];
  for (let y = 0, part = 1; y < height; y += partHeight, part++) {
    const h = Math.min(partHeight, height - y);
    await send("Emulation.setDeviceMetricsOverride", { width, height: h, deviceScaleFactor: 1, mobile });
    await send("Runtime.evaluate", { expression: `window.scrollTo(0, ${y})` });
    const shot = await send("Page.captureScreenshot", { format: "png", fromSurface: true });
    writeFileSync(`${stem}-${part}.png`, Buffer.from(shot.data, "base64"));
    files.push(`${stem}-${part}.png`);
  }
  return files;
}

const result = { report, widths: {} };
for (const width of widths) {
  requests = []; consoleErrors = [];
  const mobile = width < 600;
  await send("Emulation.setDeviceMetricsOverride", { width, height: mobile ? 844 : 900, deviceScaleFactor: mobile ? 2 : 1, mobile });
  const loaded = once("Page.loadEventFired");
  await send("Page.navigate", { url: reportURL });
  await loaded;
  // Let layout settle (fonts, image decoding).
  await send("Runtime.evaluate", { expression: "Promise.all([...document.images].map(i => i.decode().catch(() => null)))", awaitPromise: true });
  const evaluated = await send("Runtime.evaluate", { expression: probe, returnByValue: true });
  const entry = { ...evaluated.result.value, requests: [...requests], consoleErrors: [...consoleErrors] };
  if (axeSource) entry.axe = await runAxe();
  if (screenshots) {
    mkdirSync(screenshots, { recursive: true });
    entry.screenshots = await capture(width, mobile);
    entry.screenshot = entry.screenshots[0];
  }
  result.widths[width] = entry;
}
clearTimeout(deadline);
ws.close();
cleanup();
console.log(JSON.stringify(result, null, 1));
process.exit(0);
