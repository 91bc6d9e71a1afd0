import { test, expect } from "@playwright/test";
import { contextAs, hydrated, unique } from "./helpers";

async function demoLaunchId(page: any): Promise<number> {
  const launches = await (await page.request.get("/api/v1/launches")).json();
  return launches.find((l: any) => l.name.startsWith("Aurora")).id;
}

test("a member signs in and raises an escalation", async ({ browser }) => {
  const member = await contextAs(browser, "member");
  const page = await member.newPage();
  const id = await demoLaunchId(page);
  await page.goto(`/launches/${id}`);
  await hydrated(page);
  const title = unique("Search returns stale prices");
  const form = page.getByRole("form", { name: "Raise an escalation" });
  await form.getByLabel("Title").fill(title);
  await form.getByLabel("Trigger").selectOption("risk_forecast");
  await form.getByRole("button", { name: "Raise escalation" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByText("Risk forecast")).toBeVisible();
  await member.close();
});

test("a viewer finds no way to change anything", async ({ browser }) => {
  const viewer = await contextAs(browser, "viewer");
  const page = await viewer.newPage();
  const id = await demoLaunchId(page);
  const escalations = await (await page.request.get(`/api/v1/escalations?launch_id=${id}`)).json();
  for (const path of ["/", `/launches/${id}`, `/escalations/${escalations[0].id}`]) {
    await page.goto(path);
    await hydrated(page);
    // The only form a viewer sees is "Sign out"; no inputs, no other buttons.
    await expect(page.locator("main form")).toHaveCount(0);
    await expect(page.locator("main button")).toHaveCount(0);
    await expect(page.locator("main input, main select, main textarea")).toHaveCount(0);
  }
  await expect(page.getByRole("link", { name: "Audit" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Admin" })).toHaveCount(0);
  // And the server refuses what the UI does not offer.
  const res = await page.request.post("/api/v1/escalations", {
    data: { launch_id: id, title: "Sneaky", trigger: "risk_forecast", tier: 4, impact: { customer: 0, revenue: 0, compliance: 0 } },
  });
  expect(res.status()).toBe(403);
  await viewer.close();
});
