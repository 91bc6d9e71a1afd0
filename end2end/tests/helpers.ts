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

/** What `flare demo` seeds (server/src/demo/): names the browser tests read back. */
export const DEMO = {
  /** The launch with the dozen escalations; its sponsor is the executive, its lead the facilitator. */
  launch: "Aurora 2.0 — EU rollout",
  /** The second launch, with no escalations. */
  otherLaunch: "Atlas mobile 3.1",
  /** Tier 1, Mitigating, owned by Jonas Berg (member), on a time-boxed workaround. */
  checkout: "Checkout fails for EU cards with 3-D Secure",
  /** Tier 1, Awaiting decision, owned by Priya Natarajan; asked of the sponsor and stalled. */
  consent: "GDPR consent banner missing on the new landing page",
  consentQuestion: "Take the landing page offline until the banner ships, or keep it live with tracking off?",
  /** Tier 2, Awaiting decision (not stalled). */
  partner: "Partner API rate limits lower than contracted",
  partnerQuestion: "Pay €4k a month for the higher rate-limit tier, or sync partners hourly during launch week?",
  /** Tier 2, Resolved, with a post-mortem in review (reviewer: Farah Haddad). */
  reviewed: "Onboarding email links point to the staging domain",
  /** Tier 4, Closed. */
  closed: "Status page footer has a broken link",
} as const;

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

/**
 * The page came from the server alone: no script ran (the wasm module never set the
 * `data-hydrated` mark), nothing is left showing the "Loading…" placeholder, and no load failed.
 */
export async function expectServerRendered(page: Page) {
  await expect(page.locator("html")).not.toHaveAttribute("data-hydrated");
  await expect(page.locator("p.loading")).toHaveCount(0);
  await expect(page.getByText("Loading…", { exact: true })).toHaveCount(0);
  await expect(page.locator(".load-error")).toHaveCount(0);
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
