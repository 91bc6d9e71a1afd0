import { test, expect } from "@playwright/test";
import { contextAs, expectAccessible, expectNoHorizontalScroll, hydrated, unique } from "./helpers";

test("an executive's phone shows a launch turn no-go live when its metric feed breaches, and a bar drills down to the board", async ({ browser }) => {
  // A live launch with a latency criterion, fed a healthy value first.
  const facilitator = await contextAs(browser, "facilitator");
  const api = facilitator.request;
  const name = unique("Readiness");
  const launch = await (await api.post("/api/v1/launches", { data: { name, target_date: "2027-06-01" } })).json();
  const criterion = await api.post(`/api/v1/launches/${launch.id}/criteria`, {
    data: { name: "Checkout p95", metric: "checkout.p95_ms", comparator: "<=", threshold: 800, unit: "ms", breach_tier: 2 },
  });
  expect(criterion.status()).toBe(201);
  const healthy = await api.post(`/api/v1/launches/${launch.id}/metrics`, { data: { samples: [{ metric: "checkout.p95_ms", value: 420 }] } });
  expect(healthy.status()).toBe(202);

  const executive = await contextAs(browser, "executive", { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await executive.newPage();
  await page.goto("/dashboard");
  await hydrated(page);
  const card = page.getByRole("region", { name, exact: true });
  await expect(card.locator("[data-verdict]")).toHaveText("Go");
  await expectNoHorizontalScroll(page);
  await expectAccessible(page);

  // The feed breaches the criterion: the card turns no-go without a reload, naming why.
  const breach = await api.post(`/api/v1/launches/${launch.id}/metrics`, { data: { samples: [{ metric: "checkout.p95_ms", value: 1010 }] } });
  expect(breach.status()).toBe(202);
  expect((await breach.json()).breaches).toHaveLength(1);
  await expect(card.locator("[data-verdict]")).toHaveText("No-go", { timeout: 10_000 });
  await expect(card.getByText(/“Checkout p95” is breached: 1010 ms/)).toBeVisible();
  await expectNoHorizontalScroll(page);
  await expectAccessible(page);

  // The tier-2 bar counts the escalation the breach raised; tapping it opens the board filtered to it.
  const bar = card.getByRole("link", { name: "Tier 2: 1 open" });
  await bar.tap();
  await expect(page).toHaveURL(new RegExp(`/launches/${launch.id}/board\\?tier=2$`));
  await hydrated(page);
  const raised = page.getByRole("article", { name: /Breach: Checkout p95/ });
  await expect(raised).toBeVisible();
  // Its card says which criterion, the value that breached it and the threshold.
  await expect(raised.locator(".card-breach")).toHaveText("Breached criterion: Checkout p95: 1010 ms, needs ≤ 800 ms");
  await expectAccessible(page);
  await executive.close();
  await facilitator.close();
});
