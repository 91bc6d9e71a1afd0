import { test, expect, type Page } from "@playwright/test";
import { contextAs, DEMO, expectAccessible, expectNoHorizontalScroll, hydrated, unique } from "./helpers";

const STAGES = ["Triggered", "Triaged", "Mitigating", "Awaiting decision", "Resolved"];
const column = (page: Page, name: string) => page.getByRole("region", { name, exact: true });

async function auroraBoard(page: Page) {
  const launches = await (await page.request.get("/api/v1/launches")).json();
  return `/launches/${launches.find((l: any) => l.name === DEMO.launch).id}/board`;
}

test("on a phone the board fits the screen: a one-line header, tabs counting all five columns, one column at a time", async ({ browser }) => {
  const executive = await contextAs(browser, "executive", { viewport: { width: 390, height: 844 } });
  const page = await executive.newPage();
  await page.goto(await auroraBoard(page));
  await hydrated(page);

  const header = await page.locator("header.top").boundingBox();
  expect(header!.height).toBeLessThanOrEqual(64);

  const tabs = page.getByRole("navigation", { name: "Columns" });
  await expect(tabs.getByRole("link")).toHaveCount(5);
  for (const stage of STAGES) {
    const count = await column(page, stage).locator(".count").textContent();
    await expect(tabs.getByRole("link", { name: `${count} ${stage}`, exact: true })).toBeVisible();
  }

  // One column at a time: Triggered fills the width, the next one waits to the side.
  const first = (await column(page, "Triggered").boundingBox())!;
  expect(first.x).toBeGreaterThanOrEqual(0);
  expect(first.x + first.width).toBeLessThanOrEqual(390);
  expect((await column(page, "Triaged").boundingBox())!.x).toBeGreaterThanOrEqual(first.x + first.width);
  // Not a page the height of a building (it was 13,800 px): about two screens at most.
  expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(2 * 844);
  await expectNoHorizontalScroll(page);

  // A tab brings its column into view and is marked as the one shown.
  const resolved = tabs.getByRole("link", { name: /Resolved$/ });
  await resolved.click();
  await expect.poll(async () => (await column(page, "Resolved").boundingBox())!.x).toBeLessThan(30);
  await expect(resolved).toHaveAttribute("aria-current", "true");
  await expect(column(page, "Resolved").getByRole("article", { name: DEMO.reviewed })).toBeInViewport();
  await expectNoHorizontalScroll(page);
  await expectAccessible(page);
  await executive.close();
});

test("at 1280 × 800 a column shows six cards or more, each on a few lines, and its count stays beside its name", async ({ browser }) => {
  const facilitator = await contextAs(browser, "facilitator", { viewport: { width: 1280, height: 800 } });
  const request = facilitator.request;
  const me = await (await request.get("/api/v1/me")).json();
  const deadline = new Date(Date.now() + 2 * 86_400_000).toISOString();
  const launch = await (await request.post("/api/v1/launches", { data: { name: unique("Dense board"), target_date: "2027-06-01" } })).json();
  for (let i = 0; i < 12; i++) {
    const res = await request.post("/api/v1/escalations", {
      data: {
        launch_id: launch.id, title: `Dense card ${i + 1}: payment retries exhaust the queue in region ${i}`,
        trigger: "customer_defect", tier: 2 + (i % 3), impact: { customer: 3, revenue: 2, compliance: 0 },
        owner_id: me.id, deadline,
      },
    });
    expect(res.status()).toBe(201);
  }
  const page = await facilitator.newPage();
  await page.goto(`/launches/${launch.id}/board`);
  await hydrated(page);
  const cards = column(page, "Triggered").getByRole("article");
  await expect(cards).toHaveCount(10);
  const bottoms = await cards.evaluateAll((all) => all.map((card) => card.getBoundingClientRect().bottom));
  expect(bottoms.filter((bottom) => bottom <= 800).length).toBeGreaterThanOrEqual(6);
  // The count badge sits on its heading's line, even for the longest column name.
  const heading = column(page, "Awaiting decision").getByRole("heading");
  const lineHeight = await heading.evaluate((h) => parseFloat(getComputedStyle(h).lineHeight) || 24);
  expect((await heading.boundingBox())!.height).toBeLessThan(1.5 * lineHeight);
  // The details wait under a disclosure; the Move menu still opens from the card.
  const card = cards.first();
  await card.getByText("Details").click();
  await expect(card.getByText(/Last update|No update yet/)).toBeVisible();
  await card.getByRole("button", { name: /Move/ }).click();
  await expect(page.getByRole("menu")).toBeVisible();
  await expectAccessible(page);
  await facilitator.close();
});
