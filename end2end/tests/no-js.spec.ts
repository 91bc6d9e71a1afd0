import { test, expect, type Page } from "@playwright/test";
import { DEMO, expectServerRendered, signIn, unique } from "./helpers";

// This project runs with JavaScript disabled: pages are server-rendered and forms post.
test("without JavaScript: sign in, read pages, create a launch, see errors", async ({ page }) => {
  await signIn(page, "facilitator");
  await expect(page.getByRole("heading", { level: 1, name: "Launches" })).toBeVisible();
  await expect(page.getByRole("link", { name: /Aurora/ })).toBeVisible();

  const name = unique("Offline launch");
  const form = page.getByRole("form", { name: "New launch" });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Target date").fill("2027-05-01");
  await form.getByRole("button", { name: "Create launch" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();

  await page.goto("/");
  const again = page.getByRole("form", { name: "New launch" });
  await again.getByLabel("Name").fill("No date");
  await again.getByRole("button", { name: "Create launch" }).click();
  await expect(page.locator("#target_date-error")).toHaveText("is required");

  await page.getByRole("link", { name: /Aurora/ }).first().click();
  await expect(page.getByRole("table", { name: /Open escalations/ })).toBeVisible();
});

/** A column of the board, by its stage. */
const column = (page: Page, name: string) => page.getByRole("region", { name, exact: true });

test.describe("an executive on a phone, without JavaScript", () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test("reads home → launch → board → an escalation → Needs decision, by links alone", async ({ page }) => {
    await signIn(page, "executive");

    // Home: what waits on the executive comes first, then the launches.
    await expect(page.getByRole("heading", { level: 1, name: "Launches" })).toBeVisible();
    const waiting = page.getByRole("region", { name: "Asked of you", exact: true });
    await expect(waiting.getByRole("link", { name: DEMO.consent, exact: true })).toBeVisible();
    await expect(waiting).toContainText(DEMO.consentQuestion);
    await expect(waiting.getByText("Stalled", { exact: true })).toBeVisible();
    await expectServerRendered(page);

    // The launch.
    await page.getByRole("link", { name: DEMO.launch, exact: true }).click();
    await expect(page).toHaveURL(/\/launches\/\d+$/);
    await expect(page.getByRole("heading", { level: 1, name: DEMO.launch, exact: true })).toBeVisible();
    await expect(page.getByRole("table", { name: /Open escalations/ }).getByRole("link", { name: DEMO.consent, exact: true })).toBeVisible();
    await expectServerRendered(page);

    // Its board: cards in their columns, the stalled decision flagged, no moves offered.
    await page.getByRole("main").getByRole("link", { name: "Open the board", exact: true }).click();
    await expect(page).toHaveURL(/\/launches\/\d+\/board$/);
    await expect(page.getByRole("heading", { level: 1, name: /^Board/ })).toBeVisible();
    await expect(column(page, "Mitigating").getByRole("article", { name: DEMO.checkout })).toContainText("Owner: Jonas Berg");
    const consent = column(page, "Awaiting decision").getByRole("article", { name: DEMO.consent });
    await expect(consent.getByRole("list", { name: "Flags" })).toContainText("Decision stalled");
    await expect(page.getByRole("button", { name: /Move/ })).toHaveCount(0);
    await expectServerRendered(page);

    // The escalation, from its card.
    await consent.getByRole("link", { name: DEMO.consent, exact: true }).click();
    await expect(page).toHaveURL(/\/escalations\/\d+$/);
    await expect(page.getByRole("heading", { level: 1, name: DEMO.consent, exact: true })).toBeVisible();
    await expect(page.locator("p.meta .stage")).toHaveText("Awaiting decision");
    await expect(page.locator("dl.facts").first()).toContainText(/Owner\s*Priya Natarajan/);
    await expect(page.getByText("Decision stalled — call an urgent meeting with the senior sponsor.")).toBeVisible();
    const decisions = page.getByRole("region", { name: "Decisions", exact: true });
    await expect(decisions).toContainText(DEMO.consentQuestion);
    await expect(decisions).toContainText("Asked of Elena Petrova by Priya Natarajan");
    await expect(page.getByRole("list", { name: "Updates, newest first" }))
      .toContainText("The consent banner component was dropped from the new landing page template.");
    await expectServerRendered(page);

    // Needs decision: the stalled request first, open to be decided by the sponsor.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Needs decision", exact: true }).click();
    await expect(page).toHaveURL(/\/decisions$/);
    await expect(page.getByRole("heading", { level: 1, name: "Needs decision" })).toBeVisible();
    // Asked of the sponsor, it leads under "Asked of you"; the others follow.
    const requests = page.getByRole("list", { name: "Open decision requests" });
    const asked = page.getByRole("list", { name: "Asked of you" });
    const stalled = asked.getByRole("listitem").filter({ has: page.getByRole("link", { name: DEMO.consent, exact: true }) });
    await expect(stalled).toContainText("Stalled");
    await expect(stalled).toContainText(DEMO.consentQuestion);
    await expect(stalled.getByRole("form", { name: "Record the decision" }).getByLabel("Decision", { exact: true })).toBeVisible();
    await expect(requests.getByRole("link", { name: DEMO.partner, exact: true })).toBeVisible();
    await expectServerRendered(page);
  });
});
