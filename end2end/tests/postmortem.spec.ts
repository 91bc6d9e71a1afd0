import { test, expect, type APIRequestContext } from "@playwright/test";
import { contextAs, expectAccessible, expectNoHorizontalScroll, hydrated, unique } from "./helpers";

/** A Tier 1 escalation owned by the facilitator, moved to Resolved. */
async function resolvedEscalation(api: APIRequestContext, title: string) {
  const launch = await (await api.post("/api/v1/launches", { data: { name: unique("Post-mortems"), target_date: "2027-06-01" } })).json();
  const me = await (await api.get("/api/v1/me")).json();
  const created = await api.post("/api/v1/escalations", {
    data: {
      launch_id: launch.id, title, trigger: "customer_defect", tier: 1,
      impact: { customer: 5, revenue: 4, compliance: 0 }, owner_id: me.id,
      deadline: new Date(Date.now() + 86_400_000).toISOString(),
    },
  });
  expect(created.status()).toBe(201);
  let escalation = await created.json();
  for (const stage of ["triaged", "mitigating", "resolved"]) {
    const resolution = stage === "resolved"
      ? { outcome: "Renewed the certificate", risk_posture: { level: "low", note: "Renewal is automated now" } }
      : {};
    const moved = await api.post(`/api/v1/escalations/${escalation.id}/move`, { data: { stage, version: escalation.version, ...resolution } });
    expect(moved.status()).toBe(200);
    escalation = await moved.json();
  }
  return { launch, escalation, me };
}

test("a member writes a post-mortem through a dropped connection; a reviewer publishes it; the export has the timeline and remediation", async ({ browser }) => {
  const facilitator = await contextAs(browser, "facilitator");
  const title = unique("Checkout certificate expired");
  const { escalation } = await resolvedEscalation(facilitator.request, title);
  const id = escalation.id;

  const member = await contextAs(browser, "member");
  const page = await member.newPage();
  await page.goto(`/escalations/${id}/postmortem`);
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(title);
  await expect(page.getByText("Raised: " + title)).toBeVisible();

  const saveState = page.locator(".save-state");
  const summary = page.getByRole("textbox", { name: "Summary" });
  await summary.fill("Card payments failed in the EU for four hours.");
  await expect(saveState).toHaveText(/^Saved (just now|\d+ s ago)$/);

  // The connection drops while the member keeps typing: nothing typed is lost.
  await page.route("**/api/postmortem/**", (route) => route.abort("internetdisconnected"));
  await summary.press("End");
  await summary.pressSequentially(" Typed while offline.");
  await page.getByRole("textbox", { name: "Learnings" }).fill("Alert 30 days before any certificate expires.");
  await expect(saveState).toHaveText("Not saved — retrying");
  const kept = await page.evaluate((key) => localStorage.getItem(key), `flare.postmortem.${id}.unsaved`);
  expect(kept).toContain("Typed while offline.");
  await page.unroute("**/api/postmortem/**");
  await expect(saveState).toHaveText(/^Saved (just now|\d+ s ago)$/, { timeout: 15_000 });
  const saved = await (await member.request.get(`/api/v1/escalations/${id}/postmortem`)).json();
  expect(saved.summary).toBe("Card payments failed in the EU for four hours. Typed while offline.");
  expect(saved.learnings).toBe("Alert 30 days before any certificate expires.");
  expect(await page.evaluate((key) => localStorage.getItem(key), `flare.postmortem.${id}.unsaved`)).toBeNull();

  // The rest of the form, and an owned remediation item.
  await page.getByLabel("Customers affected").fill("1200");
  await page.getByRole("textbox", { name: "Root causes" }).fill("The gateway certificate expired\nNo alert on certificate expiry");
  await expect.poll(async () => {
    const pm = await (await member.request.get(`/api/v1/escalations/${id}/postmortem`)).json();
    return [pm.impact.customers_affected, pm.root_causes.length];
  }).toEqual([1200, 2]);
  await page.getByLabel("New item").fill("Certificate expiry alerts");
  await page.getByLabel("Owner").selectOption({ label: "Jonas Berg" });
  await page.getByLabel("Due date").fill(new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10));
  await page.getByRole("button", { name: "Add remediation item" }).click();
  await expect(page.getByRole("region", { name: "Remediation items, scrollable" })).toContainText("Certificate expiry alerts");

  await page.reload();
  await hydrated(page);
  await expect(page.getByRole("textbox", { name: "Summary" })).toHaveValue("Card payments failed in the EU for four hours. Typed while offline.");

  // Sent to a reviewer, who approves: it is published and read-only.
  await page.getByRole("checkbox", { name: "Farah Haddad" }).check();
  await page.getByRole("button", { name: "Submit for review" }).click();
  await expect(page.getByText("Sent for review.")).toBeVisible();

  const review = await facilitator.newPage();
  await review.goto(`/escalations/${id}/postmortem`);
  await hydrated(review);
  await review.getByRole("button", { name: "Approve" }).click();
  await expect(review.locator(".pm-status")).toHaveText("Published");
  await expect(review.getByRole("textbox", { name: "Summary" })).toHaveCount(0);
  await expect(review.getByText("Typed while offline.")).toBeVisible();
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole("textbox", { name: "Summary" })).toHaveCount(0);
  await expect(page.getByLabel("Add an addendum")).toBeVisible();
  const refused = await member.request.put(`/api/v1/escalations/${id}/postmortem`, { data: { summary: "Rewritten" } });
  expect(refused.status()).toBe(409);

  // The export: every section, the timeline and the remediation table.
  const md = await (await member.request.get(`/api/v1/escalations/${id}/postmortem.md`)).text();
  expect(md).toContain("## Timeline");
  expect(md).toContain(`Raised: ${title}`);
  expect(md).toContain("Moved from Mitigating to Resolved");
  expect(md).toContain("## Remediation");
  expect(md).toContain("| Certificate expiry alerts | Jonas Berg |");
  expect(md).toContain("Typed while offline.");

  await expectAccessible(review);
  await member.close();
  await facilitator.close();
});

test("a Tier 1 escalation cannot be closed from its page until its post-mortem is published", async ({ browser }) => {
  const facilitator = await contextAs(browser, "facilitator", { viewport: { width: 360, height: 780 } });
  const title = unique("Login loop");
  const { escalation, me } = await resolvedEscalation(facilitator.request, title);
  const id = escalation.id;
  const page = await facilitator.newPage();
  const close = async () => {
    await page.goto(`/escalations/${id}`);
    await hydrated(page);
    const move = page.getByRole("form", { name: "Move to another stage" });
    await move.getByLabel("Move to").selectOption({ label: "Closed" });
    await move.getByRole("button", { name: "Move" }).click();
    return move;
  };
  const move = await close();
  await expect(move).toContainText("closes only once its post-mortem is published");
  await expect(page.locator(".meta .stage")).toHaveText("Resolved");

  const api = facilitator.request;
  const path = `/api/v1/escalations/${id}/postmortem`;
  expect((await api.put(path, { data: { summary: "Sessions looped after the SSO change.", impact: { customers_affected: 40 }, root_causes: ["Cookie domain changed"], learnings: "Test SSO on staging with real domains." } })).status()).toBe(200);
  expect((await api.post(`${path}/submit`, { data: { reviewer_ids: [me.id] } })).status()).toBe(200);
  expect((await api.post(`${path}/approve`)).status()).toBe(200);

  await page.goto(`/escalations/${id}/postmortem`);
  await hydrated(page);
  await expectNoHorizontalScroll(page);
  await expectAccessible(page);
  await close();
  await expect(page.locator(".meta .stage")).toHaveText("Closed");
  await facilitator.close();
});

test("two people writing one post-mortem see each other's saves live, and a clash on one section asks which to keep", async ({ browser }) => {
  const facilitator = await contextAs(browser, "facilitator");
  const title = unique("Search index lagging");
  const { escalation } = await resolvedEscalation(facilitator.request, title);
  const id = escalation.id;
  const pages = [];
  for (const who of ["member", "amara"] as const) {
    const page = await (await contextAs(browser, who)).newPage();
    await page.goto(`/escalations/${id}/postmortem`);
    await hydrated(page);
    pages.push(page);
  }
  const [a, b] = pages;

  // A writes the summary; B sees it appear without reloading.
  await a.getByRole("textbox", { name: "Summary" }).fill("Search results lagged writes by up to 20 minutes.");
  await expect(a.locator(".save-state")).toHaveText(/^Saved/);
  await expect(b.getByRole("textbox", { name: "Summary" })).toHaveValue("Search results lagged writes by up to 20 minutes.");

  // B writes another section meanwhile: no clash.
  await b.getByRole("textbox", { name: "What went well" }).fill("The lag alert fired within minutes.");
  await expect(b.locator(".save-state")).toHaveText(/^Saved/);
  await expect(a.getByRole("textbox", { name: "What went well" })).toHaveValue("The lag alert fired within minutes.");

  // Both change the summary while A is offline: A's save is stale and A chooses.
  await a.route("**/api/postmortem/**", (route) => route.abort("internetdisconnected"));
  await a.getByRole("textbox", { name: "Summary" }).fill("A's rewrite of the summary.");
  await expect(a.locator(".save-state")).toHaveText("Not saved — retrying");
  await b.getByRole("textbox", { name: "Summary" }).fill("B's rewrite of the summary.");
  await expect(b.locator(".save-state")).toHaveText(/^Saved/);
  await a.unroute("**/api/postmortem/**");
  const banner = a.getByRole("alert").filter({ hasText: "Summary" });
  await expect(banner).toBeVisible({ timeout: 15_000 });
  // Nothing was overwritten while A decides.
  expect((await (await a.request.get(`/api/v1/escalations/${id}/postmortem`)).json()).summary).toBe("B's rewrite of the summary.");
  await banner.getByRole("button", { name: "Keep mine" }).click();
  await expect(a.locator(".save-state")).toHaveText(/^Saved/);
  await expect(b.getByRole("textbox", { name: "Summary" })).toHaveValue("A's rewrite of the summary.");
  expect((await (await a.request.get(`/api/v1/escalations/${id}/postmortem`)).json()).summary).toBe("A's rewrite of the summary.");
  for (const page of pages) await page.context().close();
  await facilitator.close();
});
