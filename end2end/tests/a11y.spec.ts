import { test } from "@playwright/test";
import { contextAs, expectAccessible, expectNoHorizontalScroll, hydrated } from "./helpers";
import type { APIRequestContext } from "@playwright/test";

/** The previous quarter's governance review (opened here unless it is already): the current
 * quarter's belongs to govern.spec.ts, which may run beside this one. */
async function governanceReview(api: APIRequestContext) {
  const now = new Date();
  const q = Math.floor(now.getUTCMonth() / 3) + 1;
  const period = q === 1 ? `${now.getUTCFullYear() - 1}-Q4` : `${now.getUTCFullYear()}-Q${q - 1}`;
  const opened = await api.post("/api/v1/reviews", { data: { period } });
  if (opened.status() === 201) return opened.json();
  const reviews = await (await api.get("/api/v1/reviews")).json();
  return reviews.find((r: any) => r.period === period);
}

test("every page passes axe-core and fits a 360 px phone", async ({ browser }) => {
  // Twenty-seven pages, each hydrated and checked by axe: about 40 s alone on two cores, and past
  // the default minute when another browser test runs beside it.
  test.setTimeout(150_000);
  const admin = await contextAs(browser, "admin", { viewport: { width: 360, height: 780 } });
  const page = await admin.newPage();
  const launches = await (await page.request.get("/api/v1/launches")).json();
  const launch = launches.find((l: any) => l.name.startsWith("Aurora"));
  const escalations = await (await page.request.get(`/api/v1/escalations?launch_id=${launch.id}`)).json();
  const awaiting = escalations.find((e: any) => e.stage === "awaiting_decision");
  const reviewed = escalations.find((e: any) => e.title.startsWith("Onboarding email links"));
  const review = await governanceReview(page.request);
  const meetings = await (await page.request.get(`/api/v1/launches/${launch.id}/meetings`)).json();
  const pages = [
    "/", `/launches/${launch.id}`, `/launches/${launch.id}/board`, `/escalations/${escalations[0].id}`,
    `/escalations/${awaiting.id}`, "/decisions", "/my-work", "/runbook", "/notifications", "/audit", "/admin", "/admin/webhooks", "/account", "/settings/notifications",
    `/launches/${launch.id}/raci`, `/launches/${launch.id}/team`, `/escalations/${awaiting.id}/raci`,
    `/escalations/${reviewed.id}/postmortem`, "/postmortems",
    "/dashboard", `/launches/${launch.id}/dashboard`, `/launches/${launch.id}/criteria`,
    "/runbook/versions", "/reviews", `/reviews/${review.id}`,
    `/launches/${launch.id}/meetings`, `/meetings/${meetings[0].id}`,
  ];
  for (const path of pages) {
    await page.goto(path);
    await hydrated(page);
    await expectNoHorizontalScroll(page);
    await expectAccessible(page);
  }
  await admin.close();
  const anonymous = await browser.newContext({ viewport: { width: 360, height: 780 } });
  const login = await anonymous.newPage();
  await login.goto("/login");
  await expectNoHorizontalScroll(login);
  await expectAccessible(login);
  await anonymous.close();
});

test("pages pass axe-core on a desktop too", async ({ browser }) => {
  const admin = await contextAs(browser, "admin", { viewport: { width: 1280, height: 900 } });
  const page = await admin.newPage();
  const launches = await (await page.request.get("/api/v1/launches")).json();
  const launch = launches.find((l: any) => l.name.startsWith("Aurora"));
  const escalations = await (await page.request.get(`/api/v1/escalations?launch_id=${launch.id}`)).json();
  const reviewed = escalations.find((e: any) => e.title.startsWith("Onboarding email links"));
  for (const path of ["/", `/launches/${launch.id}`, "/decisions", "/runbook", `/launches/${launch.id}/raci`, `/launches/${launch.id}/team`,
    `/escalations/${reviewed.id}/postmortem`, "/postmortems", "/dashboard", `/launches/${launch.id}/dashboard`,
    `/launches/${launch.id}/criteria`, `/launches/${launch.id}/meetings`]) {
    await page.goto(path);
    await hydrated(page);
    await expectAccessible(page);
  }
  await admin.close();
});
