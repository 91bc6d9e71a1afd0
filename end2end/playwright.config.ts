import { defineConfig } from "@playwright/test";
import { readFileSync } from "node:fs";
import { join } from "node:path";

// Browser tests run Debian's Chromium (no browser downloads here) against a release build of
// Flare serving a fresh SQLite database seeded with the demo.
const port = Number(process.env.FLARE_E2E_PORT ?? 3100);
const dataDir = process.env.FLARE_E2E_DATA ?? "/tmp/flare-e2e";
const db = `sqlite://${dataDir}/flare.db?mode=rwc`;
// The flags Debian's Chromium runs with, shared with make bench-web.
const chromiumFlags: string[] = JSON.parse(readFileSync(join(__dirname, "chromium-flags.json"), "utf8"));

export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: [["list"]],
  globalSetup: "./global-setup.ts",
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: chromiumFlags,
    },
  },
  projects: [
    { name: "chromium", use: { browserName: "chromium" }, testIgnore: /no-js/ },
    { name: "no-js", use: { browserName: "chromium", javaScriptEnabled: false }, testMatch: /no-js/ },
  ],
  webServer: {
    command:
      `rm -rf ${dataDir} && mkdir -p ${dataDir} && ` +
      `../target/release/flare --database-url '${db}' demo > /dev/null && ` +
      `exec ../target/release/flare --database-url '${db}' serve --addr 127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}/readyz`,
    timeout: 60_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    env: { FLARE_SITE_ROOT: "../target/site", RUST_LOG: "warn" },
  },
});
