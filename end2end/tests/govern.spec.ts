import { test, expect } from "@playwright/test";
import { contextAs, expectAccessible, expectNoHorizontalScroll, hydrated } from "./helpers";

/** The quarter today falls in: `2026-Q4`. */
function currentQuarter() {
  const now = new Date();
  return `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
}

test("a facilitator runs the quarterly review end to end and the sponsor signs it off on a phone", async ({ browser }) => {
  test.setTimeout(120_000);
  const quarter = currentQuarter();
  const facilitator = await contextAs(browser, "facilitator");
  const page = await facilitator.newPage();

  // Open the quarter's review: Flare computes its figures from the demo's escalations.
  await page.goto("/reviews");
  await hydrated(page);
  const open = page.getByRole("form", { name: "Open a review" });
  await open.getByLabel("Quarter").selectOption(quarter);
  await open.getByRole("button", { name: "Open the review" }).click();
  await expect(page).toHaveURL(/\/reviews\/\d+$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Governance review ${quarter}`);
  const id = new URL(page.url()).pathname.split("/").pop();
  const figures = page.getByRole("table", { name: /^Figures for/ });
  await expect(figures.getByRole("row", { name: /Acknowledged in time \(SLA kept\)/ })).toContainText("Tier 1 15 min");
  await expect(figures.getByRole("row", { name: /Decision latency, median/ })).toBeVisible();
  await expect(page.getByText(/escalations raised in .*, drills apart\./)).toBeVisible();

  // Record a finding.
  const findings = page.getByRole("form", { name: "Findings" });
  await findings.getByLabel("Findings").fill("Tier 2 updates every 4 h leave stakeholders asking for news.");
  await findings.getByRole("button", { name: "Save findings" }).click();
  await expect(page.getByRole("form", { name: "Findings" }).getByLabel("Findings")).toHaveValue(/asking for news/);

  // Propose, then adopt, a change to tier 2's update cadence.
  await page.getByText("Propose a runbook change").click();
  const propose = page.getByRole("form", { name: "Propose a runbook change" });
  await propose.getByLabel("Tier").selectOption("2");
  await propose.getByLabel("Update every (minutes)").fill("120");
  await propose.getByLabel("Reason").fill("Stakeholders want tier 2 news every two hours.");
  await propose.getByRole("button", { name: "Propose" }).click();
  const change = page.locator(".adjustments li").filter({ hasText: "Tier 2: update every 2 h 00 min" });
  await expect(change).toContainText("Proposed, not adopted");
  await change.getByRole("button", { name: "Adopt" }).click();
  await expect(change).toContainText(/Adopted: Runbook version \d+/);
  await expectAccessible(page);
  const runbook = await (await page.request.get("/api/v1/runbook")).json();
  expect(runbook.tiers[1].update_minutes).toBe(120);
  expect(runbook.reason).toBe(`Governance review ${quarter}: Stakeholders want tier 2 news every two hours.`);

  // The sponsor signs it off on a phone.
  const sponsor = await contextAs(browser, "executive", {
    viewport: { width: 360, height: 780 }, isMobile: true, hasTouch: true,
  });
  const phone = await sponsor.newPage();
  await phone.goto(`/reviews/${id}`);
  await hydrated(phone);
  await expectNoHorizontalScroll(phone);
  await phone.getByRole("button", { name: "Sign off" }).click();
  await expect(phone.locator(".signed")).toContainText(/Signed off by .+ on \d{4}-\d{2}-\d{2}/);
  await expect(phone.getByRole("button", { name: "Sign off" })).toHaveCount(0);
  await expectAccessible(phone);
  await sponsor.close();

  // Read-only for the facilitator from then on.
  await page.reload();
  await hydrated(page);
  await expect(page.locator(".signed")).toContainText("Signed off by");
  await expect(page.getByRole("form", { name: "Findings" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Adopt" })).toHaveCount(0);
  await expect(page.getByText("asking for news")).toBeVisible();

  // The Markdown export holds the figures and the adopted change.
  await expect(page.getByRole("link", { name: "Export Markdown" })).toHaveAttribute("href", `/api/v1/reviews/${id}.md`);
  const md = await (await page.request.get(`/api/v1/reviews/${id}.md`)).text();
  expect(md).toContain(`# Governance review ${quarter}`);
  expect(md).toMatch(/\| Acknowledged in time \(SLA kept\) \| [^|]+ \| Tier 1 15 min/);
  expect(md).toContain("| Updates on cadence |");
  expect(md).toContain("Tier 2: update every 2 h 00 min");
  expect(md).toMatch(/Adopted: Runbook version \d+/);
  expect(md).toContain("asking for news");
  expect(md).toMatch(/Signed off by .+ on \d{4}-\d{2}-\d{2}/);
  await facilitator.close();
});

test("runbook versions compare side by side, and an escalation's steps are ticked by its owner", async ({ browser }) => {
  const facilitator = await contextAs(browser, "facilitator");
  const page = await facilitator.newPage();
  const me = await (await page.request.get("/api/v1/me")).json();

  // Save tier 4 with a new step and a reason; the history lists it and the comparison marks it.
  await page.goto("/runbook");
  await hydrated(page);
  await page.getByText("Edit tier 4").click();
  const form = page.getByRole("form", { name: "Edit tier 4" });
  const steps = form.getByLabel("Escalation steps");
  await steps.fill(`${await steps.inputValue()}\nTell support what changed`);
  await form.getByLabel("Why this change").fill("Support asked to hear of tier 4 fixes");
  await form.getByRole("button", { name: "Save tier 4" }).click();
  await expect(page.getByRole("table", { name: /Response times and escalation steps/ })).toContainText("Tell support what changed");
  const versions = await (await page.request.get("/api/v1/runbook/versions")).json();
  const mine = versions.findIndex((v: any) => v.reason === "Support asked to hear of tier 4 fixes");
  expect(mine).toBeGreaterThanOrEqual(0);
  expect(versions[mine].author.id).toBe(me.id);
  await page.getByRole("link", { name: "Versions and what changed" }).click();
  await hydrated(page);
  const history = page.getByRole("table", { name: "Every version, newest first" });
  await expect(history).toContainText("Support asked to hear of tier 4 fixes");
  await expect(history).toContainText("Built-in defaults");
  // Compare it with the version before it, chosen in the form.
  const compare = page.getByRole("form", { name: "Compare two versions" });
  await compare.getByLabel("Compare").selectOption(String(versions[mine + 1].version));
  await compare.getByLabel("with").selectOption(String(versions[mine].version));
  await compare.getByRole("button", { name: "Compare" }).click();
  await expect(page).toHaveURL(new RegExp(`a=${versions[mine + 1].version}&b=${versions[mine].version}`));
  await hydrated(page);
  const changed = page.getByRole("table", { name: /side by side|\(left\)/ }).locator("tr.changed");
  await expect(changed.filter({ hasText: "Tell support what changed" })).toContainText("Changed");
  await expectAccessible(page);

  // A new tier 1 shows its steps; its owner ticks the first, and it says who did.
  const launch = (await (await page.request.get("/api/v1/launches")).json())[0];
  const created = await page.request.post("/api/v1/escalations", {
    data: {
      launch_id: launch.id, title: "Steps drill", trigger: "customer_defect", tier: 1,
      impact: { customer: 3, revenue: 3, compliance: 1 }, owner_id: me.id,
      deadline: new Date(Date.now() + 86_400_000).toISOString(),
    },
  });
  expect(created.status()).toBe(201);
  const e = await created.json();
  await page.goto(`/escalations/${e.id}`);
  await hydrated(page);
  const checklist = page.getByRole("region", { name: "Escalation steps" });
  await expect(checklist).toContainText(`0 of`);
  await checklist.getByRole("button", { name: "Mark done" }).first().click();
  await expect(checklist).toContainText(`1 of`);
  await expect(checklist.locator("li").first()).toContainText(me.name);
  await expectAccessible(page);
  await facilitator.close();
});

test("a facilitator sets up a weekly workshop, a member writes minutes, and the calendar feed lists the meetings", async ({ browser }) => {
  test.setTimeout(120_000);
  const facilitator = await contextAs(browser, "facilitator");
  const page = await facilitator.newPage();
  const launches = await (await page.request.get("/api/v1/launches")).json();
  const launch = launches.find((l: any) => l.name.startsWith("Aurora"));

  // The facilitator's home lists the next meetings and the governance review due.
  await page.goto("/");
  await hydrated(page);
  const next = page.getByRole("region", { name: "Next meetings" });
  await expect(next.getByRole("listitem").first()).toContainText(/Daily stand-up|Go\/no-go review/);
  await expect(next).toContainText(/Governance review of \d{4}-Q\d due by \d+ \w+ \d{4}/);

  // Aurora went live with a daily stand-up; its meetings are listed soonest first.
  await page.goto(`/launches/${launch.id}/meetings`);
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Meetings · Aurora/);
  await expect(page.getByRole("region", { name: "Cadences" })).toContainText("Daily stand-up: every weekday at 09:00 (UTC)");

  // A zone that does not exist is refused, naming the field; a real one books the meetings.
  const name = `Risk workshop ${Date.now()}`;
  const form = page.getByRole("form", { name: "Set up a recurring meeting" });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Kind").selectOption("workshop");
  await form.getByLabel("How often").selectOption("week");
  await form.getByLabel("Time zone").fill("Europe/Atlantis");
  await form.getByRole("button", { name: "Set it up" }).click();
  await expect(form.getByText("must be an IANA time zone")).toBeVisible();
  await form.getByLabel("Time zone").fill("America/New_York");
  await form.getByRole("button", { name: "Set it up" }).click();
  await expect(page.getByRole("region", { name: "Cadences" })).toContainText(`${name}: every week at 09:00 (America/New_York)`);
  const coming = page.getByRole("region", { name: "Coming up" });
  await expect(coming.getByRole("link", { name })).toHaveCount(2);

  // The calendar address: a secret URL any calendar app can read without signing in.
  await page.getByRole("button", { name: "Get my calendar address" }).click();
  const address = page.getByLabel("Calendar address", { exact: true });
  await expect(address).toHaveValue(/\/calendar\/[A-Za-z0-9_-]+\.ics$/);
  const path = new URL(await address.inputValue()).pathname;
  const anonymous = await browser.newContext();
  const feed = await anonymous.request.get(path);
  expect(feed.status()).toBe(200);
  expect(feed.headers()["content-type"]).toContain("text/calendar");
  const ics = await feed.text();
  expect(ics).toContain("BEGIN:VCALENDAR");
  expect(ics).toContain(`SUMMARY:${name}`);
  await page.getByRole("button", { name: "Revoke this address" }).click();
  await expect(page.getByRole("button", { name: "Get my calendar address" })).toBeVisible();
  expect((await anonymous.request.get(path)).status()).toBe(404);
  await anonymous.close();

  // A member opens the next workshop on a phone: the agenda lists what is open, they write minutes.
  const href = await coming.getByRole("link", { name }).first().getAttribute("href");
  await facilitator.close();
  const member = await contextAs(browser, "member", { viewport: { width: 360, height: 780 } });
  const phone = await member.newPage();
  await phone.goto(href!);
  await hydrated(phone);
  await expect(phone.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(phone.getByRole("region", { name: "Agenda" }).getByRole("listitem").first()).toContainText(/Tier \d/);
  const minutes = phone.getByRole("form", { name: "Minutes" });
  await minutes.getByLabel("Minutes").fill("Agreed: <b>rollback</b> drill on Friday & a retro.");
  await minutes.getByRole("button", { name: "Save the minutes" }).click();
  await phone.reload();
  await hydrated(phone);
  await expect(phone.getByRole("form", { name: "Minutes" }).getByLabel("Minutes")).toHaveValue("Agreed: <b>rollback</b> drill on Friday & a retro.");
  await expectNoHorizontalScroll(phone);
  await expectAccessible(phone);
  await member.close();
});
