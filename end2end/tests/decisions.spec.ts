import { test, expect } from "@playwright/test";
import { contextAs, expectAccessible, expectNoHorizontalScroll, hydrated, unique } from "./helpers";

const column = (page: import("@playwright/test").Page, name: string) =>
  page.getByRole("region", { name, exact: true });

test("a decision asked in a stand-up is recorded from a phone and the board follows live", async ({ browser }) => {
  // A launch where the member holds authority and owns an escalation being mitigated.
  const facilitator = await contextAs(browser, "facilitator");
  const member = await contextAs(browser, "member");
  const memberId = (await (await member.request.get("/api/v1/me")).json()).id;
  const api = facilitator.request;
  const launch = await (await api.post("/api/v1/launches", { data: { name: unique("Decisions"), target_date: "2027-06-01" } })).json();
  expect((await api.put(`/api/v1/launches/${launch.id}/authority`, { data: { user_ids: [memberId] } })).status()).toBe(200);
  const title = unique("Vendor outage blocks checkout");
  const created = await api.post("/api/v1/escalations", {
    data: {
      launch_id: launch.id, title, trigger: "customer_defect", tier: 1,
      impact: { customer: 5, revenue: 4, compliance: 0 }, owner_id: memberId,
      deadline: new Date(Date.now() + 86_400_000).toISOString(),
    },
  });
  expect(created.status()).toBe(201);
  const escalation = await created.json();
  for (const [stage, version] of [["triaged", 1], ["mitigating", 2]] as const) {
    const moved = await api.post(`/api/v1/escalations/${escalation.id}/move`, { data: { stage, version } });
    expect(moved.status()).toBe(200);
  }
  await facilitator.close();

  // The member keeps the board open and posts a stand-up update that needs a decision.
  const board = await member.newPage();
  await board.goto(`/launches/${launch.id}/board`);
  await hydrated(board);
  await expect(board.getByRole("status").filter({ hasText: "Live" })).toBeVisible();
  await expect(column(board, "Mitigating").getByRole("article", { name: title })).toBeVisible();

  const page = await member.newPage();
  await page.goto(`/escalations/${escalation.id}`);
  await hydrated(page);
  await page.getByText("Post an update").click();
  const update = page.getByRole("form", { name: "Post an update" });
  await update.getByLabel("Problem").fill("The payment vendor's EU region is down.");
  await update.getByLabel("Current impact").fill("About 300 failed checkouts an hour.");
  await update.getByLabel("Proposed mitigation").fill("Fail over to the backup vendor at higher fees.");
  await update.getByLabel("Decision required (optional)").fill("Accept the backup vendor's fees for launch week?");
  await update.getByRole("button", { name: "Post update" }).click();
  await expect(page.getByRole("list", { name: "Updates, newest first" })).toContainText("payment vendor's EU region is down");
  await expect(column(board, "Awaiting decision").getByRole("article", { name: title })).toBeVisible();

  // An executive on a phone: home leads with what needs a decision; they decide there.
  const executive = await contextAs(browser, "executive", {
    viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
  });
  const phone = await executive.newPage();
  await phone.goto("/");
  await hydrated(phone);
  await expect(phone.getByRole("heading", { level: 2 }).first()).toHaveText("Asked of you");
  await phone.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Needs decision" }).click();
  await expect(phone.getByRole("heading", { level: 1, name: "Needs decision" })).toBeVisible();
  await hydrated(phone);
  const request = phone.getByRole("list", { name: "Open decision requests" })
    .getByRole("listitem").filter({ has: phone.getByRole("link", { name: title }) });
  await expect(request).toContainText("Accept the backup vendor's fees for launch week?");
  await expectNoHorizontalScroll(phone);
  await expectAccessible(phone);
  await request.getByText("Record the decision").click();
  await request.getByLabel("Decision", { exact: true }).fill("Accept the fees for launch week only.");
  await request.getByLabel("Rationale").fill("€9k of fees against about €150k of lost orders.");
  await request.getByRole("button", { name: "Record decision" }).click();
  await expect(phone.getByRole("status").filter({ hasText: "Decision recorded" })).toBeVisible();

  // The member's open board shows the escalation leave Awaiting decision, without a reload.
  await expect(column(board, "Mitigating").getByRole("article", { name: title })).toBeVisible();
  await expect(column(board, "Awaiting decision").getByRole("article", { name: title })).toHaveCount(0);

  // On the record: who decided, and the entry cannot be edited.
  const log = await (await board.request.get(`/api/v1/escalations/${escalation.id}/decisions`)).json();
  expect(log).toHaveLength(1);
  expect(log[0]).toMatchObject({ decision: "Accept the fees for launch week only.", decided_by: { name: "Elena Petrova" } });
  const edit = await board.request.patch(`/api/v1/escalations/${escalation.id}/decisions/${log[0].id}`, { data: { decision: "No" } });
  expect(edit.status()).toBe(405);
  await executive.close();
  await member.close();
});
