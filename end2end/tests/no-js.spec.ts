import { test, expect } from "@playwright/test";
import { signIn, unique } from "./helpers";

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
