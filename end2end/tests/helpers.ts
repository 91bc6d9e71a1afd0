import { expect, type Page, type Browser, type BrowserContext } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

export const PASSWORD = "flare-demo-2026";
export const USERS = {
  admin: "admin@flare.test",
  facilitator: "facilitator@flare.test",
  member: "member@flare.test",
  executive: "executive@flare.test",
  viewer: "viewer@flare.test",
  /** A second facilitator (escalation lead). */
  amara: "amara@flare.test",
} as const;
export type Who = keyof typeof USERS;

/** Signs in through the real form and waits for the home page. */
export async function signIn(page: Page, who: Who) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(USERS[who]);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/$/);
}

/** A new browser context signed in as `who`. */
export async function contextAs(browser: Browser, who: Who, options = {}): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await signIn(page, who);
  await page.close();
  return context;
}

/** Waits until the page has hydrated (the wasm module ran). */
export async function hydrated(page: Page) {
  await page.locator("html[data-hydrated]").waitFor({ state: "attached", timeout: 15_000 });
}

/** No WCAG 2.2 AA violations. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

/** Nothing wider than the viewport. */
export async function expectNoHorizontalScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

export function unique(prefix: string) {
  return `${prefix} ${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}
