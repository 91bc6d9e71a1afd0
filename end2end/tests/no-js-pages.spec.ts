import { test, expect, type Page } from "@playwright/test";
import { DEMO, PASSWORD, USERS, expectServerRendered, signIn } from "./helpers";

// The no-js project runs this file with JavaScript disabled: every routed page must read in
// full from the server's HTML (SsrMode::Async renders each page's resources into it), and
// every way between them is a plain link or a form post. Each test signs in as a role that
// reads the page and checks the demo data only the loaded page shows.

const OPEN = "Open escalations, highest priority first";

/** A column of the board, by its stage. */
const column = (page: Page, name: string) => page.getByRole("region", { name, exact: true });

/** A link in the header's main navigation. */
const navLink = (page: Page, name: string | RegExp) =>
  page.getByRole("navigation", { name: "Main" }).getByRole("link", typeof name === "string" ? { name, exact: true } : { name });

/** The table row whose row header or link is `name`. */
const rowOf = (page: Page, name: string) =>
  page.getByRole("row").filter({ has: page.getByRole("rowheader", { name, exact: true }) });

/** From the home page to the demo launch, by its tile's link. */
async function openLaunch(page: Page) {
  await page.goto("/");
  await page.getByRole("link", { name: DEMO.launch, exact: true }).click();
  await expect(page).toHaveURL(/\/launches\/\d+$/);
  await expect(page.getByRole("heading", { level: 1, name: DEMO.launch, exact: true })).toBeVisible();
}

/** From the demo launch's page to one of its open escalations, by its row's link. */
async function openEscalation(page: Page, title: string) {
  await openLaunch(page);
  await page.getByRole("table", { name: OPEN }).getByRole("link", { name: title, exact: true }).click();
  await expect(page).toHaveURL(/\/escalations\/\d+$/);
  await expect(page.getByRole("heading", { level: 1, name: title, exact: true })).toBeVisible();
}

test("/login: the form, a refused sign-in, a sign-in that returns to the page asked for, and sign-out, all by form posts", async ({ page }) => {
  await page.goto("/login");
  await expect(page.getByRole("heading", { level: 1, name: "Sign in to Flare" })).toBeVisible();
  const form = page.getByRole("form", { name: "Sign in" });
  await expect(form.getByLabel("Email")).toBeVisible();
  await expect(form.getByLabel("Password")).toBeVisible();
  await expectServerRendered(page);

  // A refusal comes back as the page again, with the reason.
  await form.getByLabel("Email").fill("nobody@flare.test");
  await form.getByLabel("Password").fill("not-the-password");
  await form.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/login\?error=/);
  await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert"))
    .toHaveText("That email and password do not match an active account.");
  await expectServerRendered(page);

  // A page asked for while signed out: the sign-in leads back to it.
  await page.goto("/decisions");
  await expect(page).toHaveURL(/\/login\?next=(\/|%2F)decisions$/);
  const again = page.getByRole("form", { name: "Sign in" });
  await again.getByLabel("Email").fill(USERS.viewer);
  await again.getByLabel("Password").fill(PASSWORD);
  await again.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/decisions$/);
  await expect(page.getByRole("heading", { level: 1, name: "Needs decision" })).toBeVisible();

  // Signing out is a form post too; afterwards pages ask for a sign-in again.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login\?next=/);
  await expect(page.getByRole("heading", { level: 1, name: "Sign in to Flare" })).toBeVisible();
});

test("/ (a viewer): every launch as a tile with its links, and no forms", async ({ page }) => {
  await signIn(page, "viewer");
  await expect(page.getByRole("heading", { level: 1, name: "Launches" })).toBeVisible();
  const tiles = page.getByRole("list", { name: "Launches" });
  const aurora = tiles.getByRole("listitem").filter({ has: page.getByRole("link", { name: DEMO.launch, exact: true }) });
  await expect(aurora).toContainText("open");
  await expect(aurora).toContainText("tier 1–2");
  await expect(aurora.getByRole("link", { name: "Open the board" })).toBeVisible();
  await expect(tiles.getByRole("link", { name: DEMO.otherLaunch, exact: true })).toBeVisible();
  // Only executives see what waits on them; only facilitators start launches.
  await expect(page.getByRole("region", { name: "Needs decision", exact: true })).toHaveCount(0);
  await expect(page.getByRole("form", { name: "New launch" })).toHaveCount(0);
  await expectServerRendered(page);
});

test("/launches/:id (a viewer): the launch, its open escalations by priority and its closed ones", async ({ page }) => {
  await signIn(page, "viewer");
  await openLaunch(page);
  await expect(page.getByText(/sponsor Elena Petrova · lead Farah Haddad/)).toBeVisible();
  await expect(page.getByText("Aurora 2.0 goes live in twelve EU markets: new checkout, new plans, localised storefronts.")).toBeVisible();
  const open = page.getByRole("table", { name: OPEN });
  const checkout = open.getByRole("row").filter({ has: page.getByRole("link", { name: DEMO.checkout, exact: true }) });
  await expect(checkout).toContainText("Tier 1");
  await expect(checkout).toContainText("Mitigating");
  await expect(checkout).toContainText("Jonas Berg");
  await expect(open.getByRole("link", { name: DEMO.consent, exact: true })).toBeVisible();
  await expect(page.getByRole("table", { name: "Closed escalations" }).getByRole("link", { name: DEMO.closed, exact: true })).toBeVisible();
  for (const name of ["Open the board", "RACI matrix", "Escalation team"]) {
    await expect(page.getByRole("main").getByRole("link", { name, exact: true })).toBeVisible();
  }
  await expect(page.getByRole("form", { name: "Raise an escalation" })).toHaveCount(0);
  await expectServerRendered(page);
});

test("/launches/:id/board (a viewer): the columns with their cards and flags; the filter form works as a GET", async ({ page }) => {
  await signIn(page, "viewer");
  await openLaunch(page);
  await page.getByRole("main").getByRole("link", { name: "Open the board", exact: true }).click();
  await expect(page).toHaveURL(/\/launches\/\d+\/board$/);
  await expect(page.getByRole("heading", { level: 1, name: /^Board/ })).toBeVisible();
  await expect(page.getByRole("link", { name: new RegExp(DEMO.launch) })).toBeVisible();
  for (const stage of ["Triggered", "Triaged", "Mitigating", "Awaiting decision", "Resolved"]) {
    await expect(column(page, stage)).toBeVisible();
  }
  const checkout = column(page, "Mitigating").getByRole("article", { name: DEMO.checkout });
  await expect(checkout).toContainText("Owner: Jonas Berg");
  await expect(checkout).toContainText("Tier 1");
  await expect(checkout).toContainText("Customer defect");
  const consent = column(page, "Awaiting decision").getByRole("article", { name: DEMO.consent });
  await expect(consent).toContainText("Owner: Priya Natarajan");
  await expect(consent.getByRole("list", { name: "Flags" })).toContainText("Decision stalled");
  await expect(column(page, "Awaiting decision").getByRole("article", { name: DEMO.partner })).toBeVisible();
  await expect(column(page, "Resolved").getByRole("article", { name: DEMO.reviewed })).toBeVisible();
  // A viewer is offered no moves.
  await expect(page.getByRole("button", { name: /Move/ })).toHaveCount(0);
  await expectServerRendered(page);

  // The filters are a plain GET form: the server answers the narrowed board.
  await page.locator("summary", { hasText: "Filter the board" }).click();
  await page.getByRole("form", { name: "Filter the board" }).getByLabel("Tier").selectOption("1");
  await page.getByRole("form", { name: "Filter the board" }).getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/tier=1/);
  await expect(page.locator("summary", { hasText: "Filters (on)" })).toBeVisible();
  await expect(page.getByRole("form", { name: "Filter the board" }).getByLabel("Tier")).toHaveValue("1");
  await expect(column(page, "Mitigating").getByRole("article", { name: DEMO.checkout })).toBeVisible();
  const tiers = await page.locator("article .tier").allTextContents();
  expect(tiers.length).toBeGreaterThan(0);
  expect(new Set(tiers)).toEqual(new Set(["Tier 1"]));
  await expectServerRendered(page);
});

test("/escalations/:id (a viewer): the escalation in full — owner, updates, workaround, action items, who does what", async ({ page }) => {
  await signIn(page, "viewer");
  await openEscalation(page, DEMO.checkout);
  await expect(page.locator("p.meta .stage")).toHaveText("Mitigating");
  const facts = page.locator("dl.facts").first();
  await expect(facts).toContainText(/Owner\s*Jonas Berg/);
  await expect(facts).toContainText("customer 5 · revenue 5 · compliance 2");
  await expect(facts).toContainText(/Raised\s*\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC/);
  await expect(page.getByText("Payments with 3DS2 challenge time out for about 8% of EU customers since the 14:00 rollout wave.")).toBeVisible();
  await expect(page.getByRole("list", { name: "Updates, newest first" }))
    .toContainText("Route 3DS2 traffic through the backup acquirer while the issuer fixes its ACS.");
  await expect(page.getByRole("region", { name: "Workaround", exact: true })).toContainText("3DS2 payments go through the backup acquirer.");
  const actions = page.getByRole("region", { name: "Action items", exact: true });
  await expect(actions).toContainText("Tell the twelve market leads which cards are affected");
  await expect(actions).toContainText("Issuer ACS timeout fixed and verified in production");
  // Who does what, from the launch's matrix and the team on duty when it was raised.
  const duties = page.getByRole("table", { name: "RACI (the launch's)" });
  const triage = duties.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "Triage and assign an owner", exact: true }) });
  await expect(triage.getByRole("cell").nth(0)).toHaveText("Support (Mei Tanaka)");
  await expect(triage.getByRole("cell").nth(1)).toHaveText("Engineering lead (Jonas Berg)");
  await expect(triage.getByRole("cell").nth(2)).toHaveText("Product owner (Priya Natarajan)");
  // A viewer reads and has nothing to fill in.
  await expect(page.locator("main form")).toHaveCount(0);
  await expectServerRendered(page);
});

test("/escalations/:id/raci (a viewer): the escalation's matrix, inherited from its launch, as a table", async ({ page }) => {
  await signIn(page, "viewer");
  await openEscalation(page, DEMO.checkout);
  await page.getByRole("link", { name: "Open the RACI matrix", exact: true }).click();
  await expect(page).toHaveURL(/\/escalations\/\d+\/raci$/);
  await expect(page.getByRole("heading", { level: 1, name: new RegExp(`^RACI for ${DEMO.checkout}`) })).toBeVisible();
  await expect(page.getByText("This escalation uses its launch's matrix. Saving here makes its own adjusted copy.")).toBeVisible();
  const table = page.getByRole("table", { name: new RegExp(`^RACI for ${DEMO.checkout}`) });
  await expect(table.getByRole("columnheader", { name: "Engineering lead (Jonas Berg)", exact: true })).toBeVisible();
  // Columns in the template's order: product owner, engineering lead, marketing, customer
  // success, sales, support.
  await expect(rowOf(page, "Triage and assign an owner").getByRole("cell")).toHaveText(["C", "A", "I", "I", "I", "R"]);
  await expect(page.getByRole("button", { name: "Save matrix" })).toHaveCount(0);
  await expectServerRendered(page);
});

test("/launches/:id/raci (a viewer): the launch's matrix with the people on duty in its column headers", async ({ page }) => {
  await signIn(page, "viewer");
  await openLaunch(page);
  await page.getByRole("main").getByRole("link", { name: "RACI matrix", exact: true }).click();
  await expect(page).toHaveURL(/\/launches\/\d+\/raci$/);
  await expect(page.getByRole("heading", { level: 1, name: `RACI for ${DEMO.launch}` })).toBeVisible();
  const table = page.getByRole("table", { name: `RACI for ${DEMO.launch}` });
  await expect(table.getByRole("columnheader", { name: "Product owner (Priya Natarajan)", exact: true })).toBeVisible();
  await expect(table.getByRole("rowheader", { name: "Go/no-go decision", exact: true })).toBeVisible();
  await expect(rowOf(page, "Triage and assign an owner").getByRole("cell")).toHaveText(["C", "A", "I", "I", "I", "R"]);
  await expect(rowOf(page, "Go/no-go decision").getByRole("cell")).toHaveText(["A", "R", "C", "I", "C", "I"]);
  await expect(page.getByRole("link", { name: "Export CSV" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Save matrix" })).toHaveCount(0);
  await expectServerRendered(page);
});

test("/launches/:id/team (a viewer): who is on duty now and next in each seat", async ({ page }) => {
  await signIn(page, "viewer");
  await openLaunch(page);
  await page.getByRole("main").getByRole("link", { name: "Escalation team", exact: true }).click();
  await expect(page).toHaveURL(/\/launches\/\d+\/team$/);
  await expect(page.getByRole("heading", { level: 1, name: `Escalation team for ${DEMO.launch}` })).toBeVisible();
  await expect(page.getByRole("table", { name: "On duty now and next" })).toBeVisible();
  // The demo's rotation started this Monday: engineering leads alternate weekly.
  await expect(rowOf(page, "Product owner").getByRole("cell")).toHaveText(["Priya Natarajan", "Priya Natarajan"]);
  await expect(rowOf(page, "Engineering lead").getByRole("cell")).toHaveText(["Jonas Berg", "Tomás Rivera"]);
  await expect(rowOf(page, "Support").getByRole("cell")).toHaveText(["Mei Tanaka", "Mei Tanaka"]);
  await expect(page.getByRole("region", { name: "Rotation", exact: true })).toHaveCount(0);
  await expectServerRendered(page);
});

test("/postmortems and /escalations/:id/postmortem (a viewer): the index, then the demo post-mortem read in full", async ({ page }) => {
  await signIn(page, "viewer");
  await navLink(page, "Post-mortems").click();
  await expect(page).toHaveURL(/\/postmortems$/);
  await expect(page.getByRole("heading", { level: 1, name: "Post-mortems" })).toBeVisible();
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: DEMO.reviewed, exact: true }) });
  await expect(row).toContainText(DEMO.launch);
  await expect(row).toContainText("Tier 2");
  await expect(row).toContainText("In review");
  await expectServerRendered(page);

  await row.getByRole("link", { name: DEMO.reviewed, exact: true }).click();
  await expect(page).toHaveURL(/\/escalations\/\d+\/postmortem$/);
  await expect(page.getByRole("heading", { level: 1, name: `Post-mortem: ${DEMO.reviewed}` })).toBeVisible();
  await expect(page.locator(".pm-status")).toHaveText("In review");
  const impact = page.getByRole("region", { name: "Customer impact", exact: true });
  await expect(impact).toContainText("2340");
  await expect(impact).toContainText("EU, Self-serve");
  await expect(page.getByRole("region", { name: "Summary", exact: true })).toContainText(
    "Welcome emails sent for six hours linked to the staging domain; new customers could not finish onboarding from the email.",
  );
  await expect(page.getByRole("region", { name: "Root causes", exact: true })).toContainText(
    "No check compares links in outgoing templates with the production domain.",
  );
  await expect(page.getByRole("region", { name: "What went well", exact: true })).toContainText("Support spotted it from three tickets within the hour.");
  await expect(page.getByRole("region", { name: "Learnings", exact: true })).toContainText("Production links must be asserted in the release checklist.");
  const remediation = page.getByRole("region", { name: "Remediation items, scrollable" })
    .getByRole("row").filter({ hasText: "Fail the build when a template links to a non-production domain" });
  await expect(remediation).toContainText("Jonas Berg");
  await expect(page.getByRole("region", { name: "Timeline", exact: true })).toContainText(`Raised: ${DEMO.reviewed}`);
  await expect(page.getByRole("region", { name: "Review", exact: true })).toContainText("Farah Haddad — waiting");
  // A viewer reads the text; nothing is editable.
  await expect(page.locator("main textarea")).toHaveCount(0);
  await expectServerRendered(page);
});

test("/decisions (a viewer): every open request, the stalled one first", async ({ page }) => {
  await signIn(page, "viewer");
  await navLink(page, "Needs decision").click();
  await expect(page).toHaveURL(/\/decisions$/);
  await expect(page.getByRole("heading", { level: 1, name: "Needs decision" })).toBeVisible();
  const requests = page.getByRole("list", { name: "Open decision requests" });
  const consent = requests.getByRole("listitem").filter({ has: page.getByRole("link", { name: DEMO.consent, exact: true }) });
  await expect(requests.getByRole("listitem").first()).toContainText(DEMO.consent);
  await expect(consent).toContainText("Stalled");
  await expect(consent).toContainText(DEMO.consentQuestion);
  await expect(consent).toContainText("Asked of Elena Petrova by Priya Natarajan");
  await expect(requests.getByRole("listitem").filter({ has: page.getByRole("link", { name: DEMO.partner, exact: true }) }))
    .toContainText(DEMO.partnerQuestion);
  // A viewer may not decide.
  await expect(page.getByRole("form", { name: "Record the decision" })).toHaveCount(0);
  await expectServerRendered(page);
});

test("/my-work (a member): my action items and the escalations I own", async ({ page }) => {
  await signIn(page, "member");
  await navLink(page, "My work").click();
  await expect(page).toHaveURL(/\/my-work$/);
  await expect(page.getByRole("heading", { level: 1, name: "My work" })).toBeVisible();
  const actions = page.getByRole("region", { name: "Action items", exact: true });
  const rootCause = actions.getByRole("listitem").filter({ hasText: "Issuer ACS timeout fixed and verified in production" });
  await expect(rootCause.getByRole("link", { name: DEMO.checkout, exact: true })).toBeVisible();
  await expect(actions).toContainText("Fail the build when a template links to a non-production domain");
  const owned = page.getByRole("table", { name: "Open, highest priority first" });
  await expect(owned.getByRole("link", { name: DEMO.checkout, exact: true })).toBeVisible();
  await expect(owned.getByRole("link", { name: "Load test shows p99 latency at 2.4 s under launch-day traffic", exact: true })).toBeVisible();
  await expectServerRendered(page);
});

test("/runbook (a viewer): each tier's red flags and response times", async ({ page }) => {
  await signIn(page, "viewer");
  await navLink(page, "Runbook").click();
  await expect(page).toHaveURL(/\/runbook$/);
  await expect(page.getByRole("heading", { level: 1, name: "Runbook" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Response times and escalation steps per tier" })).toBeVisible();
  await expect(rowOf(page, "Tier 1").getByRole("cell")).toHaveText([
    "Customers cannot complete a core journey, revenue is being lost, or a regulatory obligation is breached.",
    "15 min", "1 h 00 min", "2 h 00 min", "Yes", /^Acknowledge and assign an owner with authority and a deadline/,
  ]);
  await expect(rowOf(page, "Tier 4").getByRole("cell")).toHaveText([
    "Cosmetic or internal; no customer impact yet.", "1 d 0 h", "1 d 0 h", "3 d 0 h", "No", /^Acknowledge and assign an owner/,
  ]);
  // Every version is listed with who saved it and why; version 1 is the built-in defaults.
  await page.getByRole("link", { name: "Versions and what changed" }).click();
  await expect(page.getByRole("table", { name: "Every version, newest first" })).toContainText("Built-in defaults");
  await expectServerRendered(page);
  await page.goBack();
  // Only facilitators edit tiers.
  await expect(page.getByRole("form", { name: "Edit tier 1" })).toHaveCount(0);
  await expectServerRendered(page);
});

test("/notifications (the executive): the decision asked of them", async ({ page }) => {
  await signIn(page, "executive");
  await navLink(page, /^Notifications/).click();
  await expect(page).toHaveURL(/\/notifications$/);
  await expect(page.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();
  const asked = page.getByRole("main").getByRole("listitem")
    .filter({ hasText: `A decision is requested from you on "${DEMO.consent}"` }).first();
  await expect(asked).toContainText(DEMO.consentQuestion);
  await expect(asked.getByRole("link", { name: "Open the escalation" })).toBeVisible();
  await expectServerRendered(page);
});

test("/account (the executive): who is signed in, and the password form", async ({ page }) => {
  await signIn(page, "executive");
  await page.getByRole("banner").getByRole("link", { name: /Elena Petrova/ }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
  await expect(page.getByRole("main").getByText("Elena Petrova · executive@flare.test · Executive")).toBeVisible();
  await expect(page.getByRole("form", { name: "Change password" }).getByLabel("Current password")).toBeVisible();
  await expectServerRendered(page);
});

test("/audit (an admin): the event log, and its filter form works as a GET", async ({ page }) => {
  await signIn(page, "admin");
  await navLink(page, "Audit").click();
  await expect(page).toHaveURL(/\/audit$/);
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  const events = page.getByRole("table", { name: "Newest first" });
  await expect(events.getByRole("row").nth(1)).toBeVisible();
  await expectServerRendered(page);

  // Only the users' events: the demo's accounts, each created by Flare.
  const filter = page.getByRole("form", { name: "Filter events" });
  await filter.getByLabel("What changed").selectOption({ label: "Users" });
  await filter.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/entity=user/);
  await expect(page.getByRole("form", { name: "Filter events" }).getByLabel("What changed")).toHaveValue("user");
  const created = page.getByRole("table", { name: "Newest first" }).getByRole("row").filter({ hasText: USERS.viewer });
  await expect(created).toContainText("user.created");
  await expect(created).toContainText("Flare");
  await expect(created).toContainText("Victor Lin");
  await expectServerRendered(page);
});

test("/admin (an admin): the users with their roles, and the token forms", async ({ page }) => {
  await signIn(page, "admin");
  await navLink(page, "Admin").click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole("heading", { level: 1, name: "Users and tokens" })).toBeVisible();
  const users = page.getByRole("region", { name: "Users", exact: true });
  const victor = users.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "Victor Lin", exact: true }) });
  await expect(victor).toContainText(USERS.viewer);
  await expect(victor).toContainText("Support");
  await expect(page.getByLabel("Role of Victor Lin")).toHaveValue("viewer");
  await expect(page.getByLabel("Role of Elena Petrova")).toHaveValue("executive");
  // The token form opens without a script (a native <details>), its people already listed.
  const tokens = page.getByRole("region", { name: "API tokens", exact: true });
  await tokens.locator("summary", { hasText: "Create a token" }).click();
  const issue = tokens.getByRole("form", { name: "Create a token" });
  await expect(issue.getByLabel("Acts as").locator("option", { hasText: "Victor Lin (Viewer)" })).toHaveCount(1);
  await expect(issue.getByLabel("Label")).toBeVisible();
  await expectServerRendered(page);
});
