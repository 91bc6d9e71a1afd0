import { test, expect, type Browser, type Page } from "@playwright/test";
import { contextAs, expectAccessible, expectNoHorizontalScroll, hydrated, unique } from "./helpers";

/** A launch of this test's own: its matrix starts as the template. */
async function freshLaunch(browser: Browser) {
  const facilitator = await contextAs(browser, "facilitator");
  const res = await facilitator.request.post("/api/v1/launches", { data: { name: unique("RACI"), target_date: "2027-06-01" } });
  expect(res.status()).toBe(201);
  const launch = await res.json();
  await facilitator.close();
  return launch;
}

async function openEditor(page: Page, launchId: number) {
  await page.goto(`/launches/${launchId}/raci`);
  await hydrated(page);
  await expect(page.getByRole("table")).toBeVisible();
}

const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? "");

/** Presses Tab until the element with `id` has focus: the keyboard's way in. */
async function tabTo(page: Page, id: string) {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press("Tab");
    if ((await focusedId(page)) === id) return;
  }
  throw new Error(`Tab never reached #${id}`);
}

test("a facilitator edits the matrix by keyboard alone; a broken row blocks saving; others see the save live", async ({ browser }) => {
  const launch = await freshLaunch(browser);
  const a = await (await contextAs(browser, "facilitator")).newPage();
  const b = await (await contextAs(browser, "amara")).newPage();
  const viewer = await (await contextAs(browser, "viewer", { viewport: { width: 360, height: 780 } })).newPage();
  for (const page of [a, b, viewer]) await openEditor(page, launch.id);
  await expect(a.getByRole("button", { name: "Save matrix" })).toBeDisabled();

  // Into the grid with Tab; the first row is "Triage and assign an owner" (engineering lead A, support R).
  await tabTo(a, "raci-0-0");
  await expect(a.locator("#raci-0-0")).toHaveText("Triage and assign an owner");
  await a.keyboard.press("ArrowRight"); // product owner
  await expect(a.locator("#raci-0-1")).toBeFocused();
  await a.keyboard.press("a");
  // Two A's: the error sits next to the activity and the matrix cannot be saved.
  await expect(a.locator("#raci-0-error")).toContainText("has 2 A's");
  await expect(a.locator("#raci-0-0")).toHaveAttribute("aria-invalid", "true");
  await expect(a.getByRole("button", { name: "Save matrix" })).toBeDisabled();
  await expect(a.getByText("Fix the 1 marked activity to save.")).toBeVisible();

  // The engineering lead becomes responsible instead: valid again.
  await a.keyboard.press("ArrowRight");
  await a.keyboard.press("r");
  await expect(a.locator("#raci-0-error")).toHaveCount(0);
  await expect(a.locator("#raci-0-1")).toHaveText("A");
  await expect(a.locator("#raci-0-2")).toHaveText("R");
  await expect(a.locator("#raci-0-2")).toHaveAccessibleName(/Triage and assign an owner, Engineering lead: Responsible/);

  // Down a row and clear a cell with Delete, then rename the first activity with Enter.
  await a.keyboard.press("ArrowDown");
  await expect(a.locator("#raci-1-2")).toBeFocused();
  await a.keyboard.press("ArrowUp");
  await a.keyboard.press("Home");
  await expect(a.locator("#raci-0-0")).toBeFocused();
  await a.keyboard.press("Enter");
  await expect(a.getByRole("textbox", { name: "Activity name" })).toBeFocused();
  await a.keyboard.press("Control+A");
  const renamed = "Triage and name the owner";
  await a.keyboard.type(renamed);
  await a.keyboard.press("Enter");
  await expect(a.locator("#raci-0-0")).toBeFocused();
  await expect(a.locator("#raci-0-0")).toHaveText(renamed);

  // Tab leaves the grid (one tab stop) and lands on Save.
  await a.keyboard.press("Tab");
  await expect(a.getByRole("button", { name: "Save matrix" })).toBeFocused();
  await a.keyboard.press("Enter");
  await expect(a.getByRole("status").filter({ hasText: "Saved version 1." })).toBeVisible();

  // The second facilitator's open editor and the viewer's page show it without reload.
  await expect(b.locator("#raci-0-0")).toHaveText(renamed);
  await expect(b.getByRole("status").filter({ hasText: "Farah Haddad saved version 1." })).toBeVisible();
  await expect(b.locator("p.meta")).toContainText("Version 1");
  await expect(viewer.getByRole("rowheader", { name: renamed })).toBeVisible();

  // The viewer reads the matrix and has no way to change it.
  await expect(viewer.getByRole("button", { name: "Save matrix" })).toHaveCount(0);
  await expect(viewer.locator("table.raci button")).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: "Add activity" })).toHaveCount(0);
  await expectNoHorizontalScroll(viewer);
  await expectAccessible(viewer);
  await expectAccessible(a);

  // Stored as edited.
  const stored = await (await a.request.get(`/api/v1/launches/${launch.id}/raci`)).json();
  expect(stored.version).toBe(1);
  expect(stored.activities[0]).toMatchObject({ name: renamed, cells: { "role:product_owner": "A", "role:engineering_lead": "R", "role:support": "R" } });
  for (const page of [a, b, viewer]) await page.context().close();
});

test("a conflicting save shows what changed and overwrites nothing until the editor chooses", async ({ browser }) => {
  const launch = await freshLaunch(browser);
  const a = await (await contextAs(browser, "facilitator")).newPage();
  const b = await (await contextAs(browser, "amara")).newPage();
  await openEditor(a, launch.id);
  await openEditor(b, launch.id);

  // B starts an edit by touch: tap a cell, pick a letter.
  await b.locator("#raci-2-4").click();
  await b.getByRole("dialog").getByRole("button", { name: /^C Consulted/ }).click();
  await expect(b.locator("#raci-2-4")).toHaveText("C");

  // Meanwhile A adds an activity and saves.
  await a.getByLabel("New activity").fill("Status page update");
  await a.getByRole("button", { name: "Add activity" }).click();
  const row = (await a.locator("table.raci tbody tr").count()) - 1;
  await a.locator(`#raci-${row}-1`).click();
  await a.getByRole("dialog").getByRole("button", { name: /^A Accountable/ }).click();
  await a.locator(`#raci-${row}-6`).click();
  await a.getByRole("dialog").getByRole("button", { name: /^R Responsible/ }).click();
  await a.getByRole("button", { name: "Save matrix" }).click();
  await expect(a.getByRole("status").filter({ hasText: "Saved version 1." })).toBeVisible();

  // B is told, with what changed, and chooses to load their version.
  const alert = b.getByRole("alert");
  await expect(alert).toContainText("saved version 1 while you were editing");
  await expect(alert).toContainText("Status page update");
  await alert.getByRole("button", { name: "Load their version" }).click();
  await expect(b.getByRole("button", { name: "Status page update", exact: true })).toBeVisible();
  await expect(b.locator("#raci-2-4")).not.toHaveText("C");

  // A stale save through the API is refused and the stored matrix is A's.
  const stale = await b.request.put(`/api/v1/launches/${launch.id}/raci`, {
    data: { version: 0, activities: [{ name: "Only", cells: { "role:sales": "A", "role:support": "R" } }] },
  });
  expect(stale.status()).toBe(409);
  const stored = await (await b.request.get(`/api/v1/launches/${launch.id}/raci`)).json();
  expect(stored.activities.map((x: any) => x.name)).toContain("Status page update");
  await a.context().close();
  await b.context().close();
});
