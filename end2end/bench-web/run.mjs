// make bench-web: how fast Flare's main pages are on an executive's phone.
//
// Starts the release server (built by `make build`; nothing is built here) on a fresh SQLite
// database seeded with the demo plus two generated launches (100 and 500 cards), signs in as
// the admin, and prints:
//   1. Lighthouse's mobile preset (simulated slow 4G, 4× CPU) on every main page, three runs
//      each: the median score, LCP, TBT, CLS, bytes, and the wasm / wasm+js+css bytes as the
//      browser received them (brotli);
//   2. the board's interactions (open the Move menu, move a card, open the filter) on the
//      500-card launch at 4× CPU slowdown: the time from the input to the next frame painted.
//
// Settings (environment): FLARE_BIN (default target/release/flare), BENCH_PORT (3950),
// BENCH_RUNS (3), CHROME_PATH (/usr/bin/chromium), BENCH_PAGES (comma-separated page names to
// run, default all), BENCH_SAVE (a folder to keep each run's Lighthouse report in, as JSON).
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, existsSync, writeFileSync, mkdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";
import { chromium } from "@playwright/test";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const flare = resolve(root, process.env.FLARE_BIN ?? "target/release/flare");
const port = Number(process.env.BENCH_PORT ?? 3950);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const chromePath = process.env.CHROME_PATH ?? "/usr/bin/chromium";
const base = `http://127.0.0.1:${port}`;
const PASSWORD = "flare-demo-2026";
// The flags Debian's Chromium runs with, shared with the Playwright tests.
const CHROME_FLAGS = JSON.parse(readFileSync(resolve(root, "end2end/chromium-flags.json"), "utf8"));

function fail(message) {
  console.error(`bench-web: ${message}`);
  process.exit(2);
}

if (!existsSync(flare)) fail(`no server binary at ${flare} (run make build first)`);
if (!existsSync(join(root, "target/site/pkg"))) fail("no built site in target/site (run make build first)");
if (!existsSync(chromePath)) fail(`no Chromium at ${chromePath} (make browser installs Debian's)`);

const work = mkdtempSync(join(tmpdir(), "flare-bench-web-"));
const env = {
  ...process.env,
  DATABASE_URL: `sqlite://${work}/flare.db?mode=rwc`,
  FLARE_ADDR: `127.0.0.1:${port}`,
  RUST_LOG: process.env.RUST_LOG ?? "warn",
};
const run = (...args) => execFileSync(flare, args, { cwd: root, env, encoding: "utf8" }).trim();

console.log(`==> Seeding a fresh database with the demo (${work}/flare.db)`);
run("demo");
const token = run("token", "create", "--email", "admin@flare.test", "--name", "bench-web");

console.log(`==> Serving ${base} (release build: ${flare})`);
const server = spawn(flare, ["serve"], { cwd: root, env, stdio: ["ignore", "ignore", "inherit"] });
let chrome;
let browser;
const cleanup = () => {
  server.kill();
  chrome?.kill();
  rmSync(work, { recursive: true, force: true });
};
process.on("exit", cleanup);
process.on("SIGINT", () => process.exit(130));

async function waitForServer() {
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  fail("the server did not answer /healthz within 30 s");
}

async function api(method, path, body) {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) fail(`${method} ${path} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

/** A launch with `cards` escalations spread over the board's five columns. */
async function generatedLaunch(name, cards) {
  const me = await api("GET", "/me");
  const launch = await api("POST", "/launches", { name, target_date: "2027-03-01" });
  const stages = ["triggered", "triaged", "mitigating", "awaiting_decision", "resolved"];
  const triggers = ["plan_deviation", "customer_defect", "risk_forecast"];
  const deadline = new Date(Date.now() + 3 * 86_400_000).toISOString();
  for (let i = 0; i < cards; i++) {
    const escalation = await api("POST", "/escalations", {
      launch_id: launch.id,
      title: `Generated escalation ${i + 1}: checkout latency above budget in region ${i % 7}`,
      trigger: triggers[i % 3],
      tier: 2 + (i % 3),
      impact: { customer: 1 + (i % 3), revenue: i % 3, compliance: i % 2 },
      owner_id: me.id,
      deadline,
    });
    const stage = stages[i % stages.length];
    if (stage !== "triggered") {
      await api("POST", `/escalations/${escalation.id}/move`, { stage, version: escalation.version });
    }
  }
  return launch;
}

async function signIn() {
  const res = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base, "sec-fetch-site": "same-origin" },
    body: new URLSearchParams({ email: "admin@flare.test", password: PASSWORD }),
  });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("flare_session="));
  if (!cookie) fail(`signing in answered ${res.status} without a session cookie`);
  return cookie.split(";")[0];
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

/** One Lighthouse run (mobile preset) on `url`: the figures this benchmark prints. */
async function lighthouseRun(url, cookie) {
  const result = await lighthouse(url, {
    port: chrome.port,
    output: "json",
    logLevel: "error",
    onlyCategories: ["performance"],
    extraHeaders: { Cookie: cookie },
  });
  const { lhr } = result;
  if (lhr.runtimeError) fail(`Lighthouse on ${url}: ${lhr.runtimeError.message}`);
  if (process.env.BENCH_SAVE) {
    mkdirSync(process.env.BENCH_SAVE, { recursive: true });
    const name = `${new URL(url).pathname.replaceAll("/", "_") || "_"}-${Date.now()}.json`;
    writeFileSync(join(process.env.BENCH_SAVE, name), result.report);
  }
  const requests = lhr.audits["network-requests"].details.items;
  const sum = (keep) => requests.filter(keep).reduce((n, r) => n + (r.transferSize ?? 0), 0);
  const isWasm = (r) => r.mimeType === "application/wasm" || r.url.endsWith(".wasm");
  const isCode = (r) => isWasm(r) || ["Script", "Stylesheet"].includes(r.resourceType);
  return {
    score: Math.round(lhr.categories.performance.score * 100),
    lcp: lhr.audits["largest-contentful-paint"].numericValue,
    tbt: lhr.audits["total-blocking-time"].numericValue,
    cls: lhr.audits["cumulative-layout-shift"].numericValue,
    bytes: lhr.audits["total-byte-weight"].numericValue,
    html: sum((r) => r.resourceType === "Document"),
    wasm: sum(isWasm),
    code: sum(isCode),
  };
}

const kB = (n) => `${(n / 1000).toFixed(1)} kB`;

async function lighthousePages(pages, cookie) {
  chrome = await chromeLauncher.launch({ chromePath, chromeFlags: CHROME_FLAGS });
  const rows = [];
  for (const [name, path] of pages) {
    const results = [];
    for (let i = 0; i < runs; i++) results.push(await lighthouseRun(`${base}${path}`, cookie));
    const m = (key) => median(results.map((r) => r[key]));
    rows.push({
      page: name,
      path,
      score: m("score"),
      "LCP ms": Math.round(m("lcp")),
      "TBT ms": Math.round(m("tbt")),
      CLS: m("cls").toFixed(3),
      "all bytes": kB(m("bytes")),
      html: kB(m("html")),
      wasm: kB(m("wasm")),
      "wasm+js+css": kB(m("code")),
    });
    console.log(`    ${name}: score ${m("score")} (runs: ${results.map((r) => r.score).join(", ")})`);
  }
  chrome.kill();
  chrome = undefined;
  return rows;
}

/**
 * The board's interactions at 4× CPU slowdown: each is timed in the page from just before the
 * input is dispatched to the first frame painted after it (a rAF callback, then a task).
 */
async function boardInteractions(launch, cookie) {
  browser = await chromium.launch({ executablePath: chromePath, args: CHROME_FLAGS.filter((f) => f !== "--headless=new") });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const [name, value] = cookie.split("=");
  await context.addCookies([{ name, value, url: base }]);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await page.goto(`${base}/launches/${launch.id}/board`);
  await page.locator("html[data-hydrated]").waitFor({ state: "attached", timeout: 30_000 });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  const timed = (selector) =>
    page.evaluate(
      (selector) =>
        new Promise((done) => {
          const target = document.querySelector(selector);
          if (!target) return done(-1);
          const start = performance.now();
          target.click();
          requestAnimationFrame(() => setTimeout(() => done(performance.now() - start), 0));
        }),
      selector,
    );
  const rows = [];
  const samples = { "open the Move menu": [], "move a card": [], "open the filter": [] };
  for (let i = 0; i < 5; i++) {
    const card = page.locator('section[aria-label="Triaged"] article.card').first();
    const id = await card.getAttribute("data-id");
    samples["open the Move menu"].push(await timed(`article.card[data-id="${id}"] .move-button`));
    await page.locator(`#card-${id}-menu`).waitFor();
    samples["move a card"].push(await timed(`#card-${id}-menu [role=menuitem]:nth-child(2)`));
    await page.locator(`section[aria-label="Mitigating"] article.card[data-id="${id}"]`).waitFor();
    samples["open the filter"].push(await timed("details.filters-box > summary"));
    await page.locator("details.filters-box[open]").waitFor();
    await page.locator("details.filters-box > summary").click();
    await page.waitForLoadState("networkidle");
  }
  for (const [what, values] of Object.entries(samples)) {
    rows.push({ interaction: what, "median ms": median(values).toFixed(1), "worst ms": Math.max(...values).toFixed(1) });
  }
  await browser.close();
  browser = undefined;
  return rows;
}

await waitForServer();
console.log("==> Generating a 100-card and a 500-card launch through the REST API");
const launches = await api("GET", "/launches");
const demo = launches.find((l) => l.name.startsWith("Aurora")) ?? fail("the demo launch is missing");
const escalations = await api("GET", `/escalations?launch_id=${demo.id}`);
const escalation = escalations.find((e) => e.title.startsWith("Checkout fails")) ?? escalations[0];
const hundred = await generatedLaunch("Bench board — 100 cards", 100);
const fiveHundred = await generatedLaunch("Bench board — 500 cards", 500);
const cookie = await signIn();

const only = process.env.BENCH_PAGES?.split(",");
const pages = [
  ["home", "/"],
  ["demo board", `/launches/${demo.id}/board`],
  ["100-card board", `/launches/${hundred.id}/board`],
  ["decisions", "/decisions"],
  ["escalation", `/escalations/${escalation.id}`],
].filter(([name]) => !only || only.includes(name));

console.log(`==> Lighthouse ${lighthouse.version ?? ""} mobile preset, ${runs} runs per page (medians)`);
const rows = await lighthousePages(pages, cookie);
console.table(rows);
const board = rows.find((r) => r.page === "100-card board");
if (board) console.log(`Board critical path (wasm + js + css, as received): ${board["wasm+js+css"]}`);

console.log("==> Board interactions on the 500-card launch at 4x CPU slowdown (5 of each)");
console.table(await boardInteractions(fiveHundred, cookie));
process.exit(0);
