import { test, expect, type Page, type Browser } from "@playwright/test";
import { contextAs, expectAccessible, expectNoHorizontalScroll, hydrated, unique } from "./helpers";

/**
 * A launch of this test's own (made by a facilitator), with escalations raised through the
 * REST API — owned by the facilitator, with a deadline, so they may leave Triggered.
 */
async function freshLaunch(browser: Browser, titles: string[]) {
  const facilitator = await contextAs(browser, "facilitator");
  const request = facilitator.request;
  const me = await (await request.get("/api/v1/me")).json();
  const deadline = new Date(Date.now() + 2 * 86_400_000).toISOString();
  const launch = await (await request.post("/api/v1/launches", { data: { name: unique("Board"), target_date: "2027-06-01" } })).json();
  const cards = [];
  for (const [i, title] of titles.entries()) {
    const res = await request.post("/api/v1/escalations", {
      data: {
        launch_id: launch.id, title, trigger: "customer_defect", tier: 2 + (i % 2),
        impact: { customer: 3, revenue: 2, compliance: 0 }, owner_id: me.id, deadline,
      },
    });
    expect(res.status()).toBe(201);
    cards.push(await res.json());
  }
  await facilitator.close();
  return { launch, cards };
}

async function openBoard(page: Page, launchId: number) {
  await page.goto(`/launches/${launchId}/board`);
  await hydrated(page);
  await expect(page.getByRole("status").filter({ hasText: "Live" })).toBeVisible();
}

const column = (page: Page, name: string) => page.getByRole("region", { name, exact: true });

test("a move by drag and by keyboard shows in another user's board within a second", async ({ browser }) => {
  const facilitator = await contextAs(browser, "facilitator");
  const member = await contextAs(browser, "member");
  const a = await member.newPage();
  const b = await facilitator.newPage();
  const dragged = unique("Dragged card");
  const keyed = unique("Keyboard card");
  const { launch } = await freshLaunch(browser, [dragged, keyed]);
  await openBoard(a, launch.id);
  await openBoard(b, launch.id);
  await expect(column(b, "Triggered").getByRole("article")).toHaveCount(2);
  await expect(b.getByText(/Also viewing: .*Jonas Berg/)).toBeVisible();

  // Drag and drop with the mouse.
  await column(a, "Triggered").getByRole("article", { name: dragged }).dragTo(column(a, "Triaged"));
  await expect(column(a, "Triaged").getByRole("article", { name: dragged })).toBeVisible();
  await expect(column(b, "Triaged").getByRole("article", { name: dragged })).toBeVisible({ timeout: 1_000 });
  await expect(column(b, "Triaged")).toContainText("1");

  // The keyboard path: focus Move, open the menu, pick a stage.
  const card = column(a, "Triggered").getByRole("article", { name: keyed });
  await card.getByRole("button", { name: /Move/ }).focus();
  await a.keyboard.press("Enter");
  const menu = a.getByRole("menu");
  await expect(menu).toBeVisible();
  await expect(menu.getByRole("menuitem")).toHaveCount(4);
  await expect(menu.getByRole("menuitem", { name: "Triaged" })).toBeFocused();
  await a.keyboard.press("ArrowDown");
  await expect(menu.getByRole("menuitem", { name: "Mitigating" })).toBeFocused();
  await a.keyboard.press("Enter");
  await expect(column(a, "Mitigating").getByRole("article", { name: keyed })).toBeVisible();
  await expect(column(b, "Mitigating").getByRole("article", { name: keyed })).toBeVisible({ timeout: 1_000 });
  await expect(column(b, "Triggered").getByRole("article")).toHaveCount(0);

  // Nothing was lost: the API agrees with both boards.
  const now = await (await a.request.get(`/api/v1/escalations?launch_id=${launch.id}`)).json();
  expect(now.map((e: any) => [e.title, e.stage, e.version]).sort()).toEqual(
    [[dragged, "triaged", 2], [keyed, "mitigating", 2]].sort(),
  );
  await facilitator.close();
  await member.close();
});

test("a stale move is rolled back and says who moved it", async ({ browser }) => {
  const member = await contextAs(browser, "member");
  const page = await member.newPage();
  // Hold back live updates so this page keeps a stale view of the card.
  let deliver = true;
  await page.routeWebSocket(/\/ws/, (ws) => {
    const server = ws.connectToServer();
    server.onMessage((message) => { if (deliver) ws.send(message); });
    ws.onMessage((message) => server.send(message));
  });
  const title = unique("Contested card");
  const { launch, cards } = await freshLaunch(browser, [title]);
  await openBoard(page, launch.id);
  deliver = false;
  const elsewhere = await page.request.post(`/api/v1/escalations/${cards[0].id}/move`, {
    data: { stage: "resolved", version: 1, outcome: "Fixed elsewhere", risk_posture: { level: "low", note: "" } },
  });
  expect(elsewhere.status()).toBe(200);
  await column(page, "Triggered").getByRole("article", { name: title }).getByRole("button", { name: /Move/ }).click();
  await page.getByRole("menu").getByRole("menuitem", { name: "Mitigating" }).click();
  // Rolled back to the true state, with who moved it.
  await expect(column(page, "Resolved").getByRole("article", { name: title })).toBeVisible();
  await expect(column(page, "Mitigating").getByRole("article", { name: title })).toHaveCount(0);
  await expect(page.locator(".announce")).toContainText("moved to Resolved by Jonas Berg");
  await member.close();
});

test("a card raised through the REST API appears on every open board", async ({ browser }) => {
  const facilitator = await contextAs(browser, "facilitator");
  const member = await contextAs(browser, "member");
  const a = await facilitator.newPage();
  const b = await member.newPage();
  const { launch } = await freshLaunch(browser, []);
  await openBoard(a, launch.id);
  await openBoard(b, launch.id);
  const title = unique("Raised by an integration");
  const res = await a.request.post("/api/v1/escalations", {
    data: { launch_id: launch.id, title, trigger: "risk_forecast", tier: 1, impact: { customer: 5, revenue: 5, compliance: 5 } },
  });
  expect(res.status()).toBe(201);
  for (const page of [a, b]) {
    await expect(column(page, "Triggered").getByRole("article", { name: title })).toBeVisible({ timeout: 1_000 });
  }
  await facilitator.close();
  await member.close();
});

test("ten tabs of one board all show a change", async ({ browser }) => {
  const member = await contextAs(browser, "member");
  const opener = await member.newPage();
  const title = unique("Ten tabs");
  const { launch, cards } = await freshLaunch(browser, [title]);
  const tabs: Page[] = [];
  for (let i = 0; i < 10; i++) {
    const tab = await member.newPage();
    await openBoard(tab, launch.id);
    tabs.push(tab);
  }
  const res = await opener.request.post(`/api/v1/escalations/${cards[0].id}/move`, { data: { stage: "awaiting_decision", version: 1 } });
  expect(res.status()).toBe(200);
  for (const tab of tabs) {
    await expect(column(tab, "Awaiting decision").getByRole("article", { name: title })).toBeVisible({ timeout: 2_000 });
  }
  await member.close();
});

test("the board is accessible and fits a phone", async ({ browser }) => {
  const executive = await contextAs(browser, "executive", { viewport: { width: 360, height: 800 } });
  const page = await executive.newPage();
  const launches = await (await page.request.get("/api/v1/launches")).json();
  const aurora = launches.find((l: any) => l.name.startsWith("Aurora"));
  await openBoard(page, aurora.id);
  await expectNoHorizontalScroll(page);
  await expectAccessible(page);
  // An executive reads the board but is offered no moves.
  await expect(page.getByRole("button", { name: /Move/ })).toHaveCount(0);
  await executive.close();
  const member = await contextAs(browser, "member", { viewport: { width: 1280, height: 900 } });
  const desk = await member.newPage();
  await openBoard(desk, aurora.id);
  await expectAccessible(desk);
  await desk.getByRole("button", { name: /Move/ }).first().click();
  await expect(desk.getByRole("menu")).toBeVisible();
  await expectAccessible(desk);
  await member.close();
});

test("filters narrow the board and survive a reload", async ({ browser }) => {
  const member = await contextAs(browser, "member");
  const page = await member.newPage();
  const launches = await (await page.request.get("/api/v1/launches")).json();
  const aurora = launches.find((l: any) => l.name.startsWith("Aurora"));
  await openBoard(page, aurora.id);
  await page.getByText("Filter the board").click();
  await page.getByLabel("Tier").selectOption("1");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/tier=1/);
  await hydrated(page);
  const tiers = await page.locator("article .tier").allTextContents();
  expect(tiers.length).toBeGreaterThan(0);
  expect(new Set(tiers)).toEqual(new Set(["Tier 1"]));
  await member.close();
});
