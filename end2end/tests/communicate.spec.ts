import { test, expect, type APIRequestContext } from "@playwright/test";
import { contextAs, expectAccessible, expectNoHorizontalScroll, hydrated, unique } from "./helpers";

const column = (page: import("@playwright/test").Page, name: string) =>
  page.getByRole("region", { name, exact: true });

/** A launch with one escalation of `tier` owned by `ownerId`, moved through `stages`. */
async function escalation(api: APIRequestContext, title: string, tier: number, ownerId: number, stages: string[]) {
  const launch = await (await api.post("/api/v1/launches", { data: { name: unique("Communicate"), target_date: "2027-06-01" } })).json();
  const created = await api.post("/api/v1/escalations", {
    data: {
      launch_id: launch.id, title, trigger: "customer_defect", tier,
      impact: { customer: 5, revenue: 5, compliance: 5 }, owner_id: ownerId,
      deadline: new Date(Date.now() + 86_400_000).toISOString(),
    },
  });
  expect(created.status()).toBe(201);
  let e = await created.json();
  for (const stage of stages) {
    const moved = await api.post(`/api/v1/escalations/${e.id}/move`, { data: { stage, version: e.version } });
    expect(moved.status()).toBe(200);
    e = await moved.json();
  }
  return { launch, escalation: e };
}

test("resolving a tier 1 asks for its outcome and risk posture, from the board too", async ({ browser }) => {
  const facilitator = await contextAs(browser, "facilitator");
  const me = await (await facilitator.request.get("/api/v1/me")).json();
  const title = unique("Payments time out");
  const { launch, escalation: e } = await escalation(facilitator.request, title, 1, me.id, ["triaged", "mitigating"]);
  const page = await facilitator.newPage();

  // Dropping a tier 1 on Resolved on the board opens its page at the resolve form.
  await page.goto(`/launches/${launch.id}/board`);
  await hydrated(page);
  await column(page, "Mitigating").getByRole("article", { name: title }).getByRole("button", { name: /Move/ }).click();
  await page.getByRole("menu").getByRole("menuitem", { name: "Resolved" }).click();
  await expect(page).toHaveURL(new RegExp(`/escalations/${e.id}#resolve$`));
  await hydrated(page);

  // Resolving without them is refused, naming both.
  const resolve = page.getByRole("form", { name: "Resolve" });
  await expect(resolve).toContainText("Tier 1 escalation resolves with its outcome and the updated risk posture");
  await resolve.getByRole("button", { name: "Resolve" }).click();
  await expect(resolve.getByLabel("Outcome: what was done")).toHaveAttribute("aria-invalid", "true");
  await expect(resolve.getByLabel("Risk posture")).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator(".meta .stage")).toHaveText("Mitigating");

  // With them it is resolved, and the page shows what was recorded.
  await resolve.getByLabel("Outcome: what was done").fill("Failed over to the backup payment provider.");
  await resolve.getByLabel("Risk posture").selectOption("medium");
  await resolve.getByLabel("Risk note: what remains").fill("The backup provider has no spare capacity.");
  await resolve.getByRole("button", { name: "Resolve" }).click();
  await expect(page.locator(".meta .stage")).toHaveText("Resolved");
  await expect(page.locator(".facts")).toContainText("Failed over to the backup payment provider.");
  await expect(page.locator(".facts")).toContainText("Medium — The backup provider has no spare capacity.");

  // The card says it, and the stakeholder update is ready to paste.
  await page.getByRole("link", { name: "Board" }).click();
  await expect(column(page, "Resolved").getByRole("article", { name: title }))
    .toContainText("Outcome: Failed over to the backup payment provider.");
  await page.goBack();
  await hydrated(page);
  await page.getByText("Copy stakeholder update").click();
  const text = page.getByLabel("Stakeholder update");
  await expect(text).toHaveValue(/Outcome: Failed over to the backup payment provider\./);
  await expect(text).toHaveValue(/Risk posture: Medium — The backup provider has no spare capacity\./);
  await expectAccessible(page);
  await facilitator.close();
});

test("an executive on a phone sees what is asked of them first, and only that there", async ({ browser }) => {
  const facilitator = await contextAs(browser, "facilitator");
  const executive = await contextAs(browser, "executive", {
    viewport: { width: 360, height: 780 }, isMobile: true, hasTouch: true,
  });
  const execId = (await (await executive.request.get("/api/v1/me")).json()).id;
  const facilitatorId = (await (await facilitator.request.get("/api/v1/me")).json()).id;
  const api = facilitator.request;
  const mine = unique("Approve the launch-week discount");
  const theirs = unique("Pick the fallback vendor");
  for (const [title, owner, question] of [
    [mine, execId, "Give 20% off to customers hit by the outage?"],
    [theirs, facilitatorId, "Which fallback vendor do we use?"],
  ] as const) {
    // Tier 1 at the highest impact: first among the home page's latest word.
    const { escalation: e } = await escalation(api, title, 1, owner, ["triaged", "mitigating"]);
    const asked = await api.post(`/api/v1/escalations/${e.id}/updates`, {
      data: { problem: "Outage", impact: "Checkout", mitigation: "Workaround", decision_required: question },
    });
    expect(asked.status()).toBe(201);
  }

  const phone = await executive.newPage();
  await phone.goto("/");
  await hydrated(phone);
  await expect(phone.getByRole("heading", { level: 2 }).first()).toHaveText("Asked of you");
  const asked = phone.getByRole("region", { name: "Asked of you" });
  await expect(asked.getByRole("link", { name: mine })).toBeVisible();
  await expect(asked.getByRole("link", { name: theirs })).toHaveCount(0);
  await expect(phone.getByRole("region", { name: "Needs decision" }).getByRole("link", { name: theirs })).toBeVisible();

  // The latest stand-up update of a tier 1–2 escalation is one tap away.
  const latest = phone.getByRole("region", { name: "Latest on tier 1–2" });
  await latest.getByText(theirs).click();
  await expect(latest.getByRole("listitem").filter({ hasText: theirs })).toContainText("Which fallback vendor do we use?");
  await expectNoHorizontalScroll(phone);
  await expectAccessible(phone);

  // "Needs decision" splits the same way.
  await phone.goto("/decisions");
  await hydrated(phone);
  const section = phone.getByRole("region", { name: "Asked of you" });
  await expect(section.getByRole("link", { name: mine })).toBeVisible();
  await expect(section.getByRole("link", { name: theirs })).toHaveCount(0);
  await expect(phone.getByRole("list", { name: "Open decision requests" }).getByRole("link", { name: theirs })).toBeVisible();
  await expectAccessible(phone);
  await executive.close();
  await facilitator.close();
});

test("each person chooses what Flare mails them, by keyboard, on a phone", async ({ browser }) => {
  const executive = await contextAs(browser, "executive", {
    viewport: { width: 360, height: 780 }, isMobile: true, hasTouch: true,
  });
  const page = await executive.newPage();
  await page.goto("/settings/notifications");
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1, name: "Email notifications" })).toBeVisible();
  // Executives get the daily digest until they choose otherwise.
  await expect(page.getByRole("checkbox", { name: "Daily digest" })).toBeChecked();
  const stalls = page.getByRole("checkbox", { name: "Stalls" });
  const before = await stalls.isChecked();
  await stalls.focus();
  await page.keyboard.press("Space");
  await page.getByRole("button", { name: "Save choices" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status")).toHaveText("Saved.");
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole("checkbox", { name: "Stalls" })).toBeChecked({ checked: !before });
  const saved = await (await executive.request.get("/api/v1/me/notifications")).json();
  expect(saved.stalls).toBe(!before);
  expect(saved.daily_digest).toBe(true);
  await expectNoHorizontalScroll(page);
  await expectAccessible(page);
  // Put it back for the other tests.
  const back = await executive.request.put("/api/v1/me/notifications", { data: { stalls: before } });
  expect(back.status()).toBe(200);
  await executive.close();
});
