import { test, expect, type Page } from "@playwright/test";
import { contextAs, hydrated, DEMO } from "./helpers";

/**
 * Before any script runs (the document is parsed, module scripts have not started), records
 * the board's server-rendered cards, their title text nodes, and every node hydration removes
 * from the board; and wraps the WebSocket constructor to note when each socket is opened.
 */
async function watchHydration(page: Page) {
  await page.addInitScript(() => {
    const w = window as any;
    w.__sockets = [];
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        w.__sockets.push({ url: String(url), at: performance.now() });
      }
    } as typeof WebSocket;
    document.addEventListener("readystatechange", () => {
      if (document.readyState !== "interactive") return;
      const cards = [...document.querySelectorAll("article.card")];
      const removed: string[] = [];
      w.__ssr = {
        hydratedAlready: document.documentElement.hasAttribute("data-hydrated"),
        cards,
        titles: cards.map((c) => c.querySelector(".card-title a")?.firstChild ?? null),
        texts: cards.map((c) => c.querySelector(".card-title")?.textContent ?? null),
        removed,
      };
      const board = document.querySelector(".board");
      if (!board) return;
      new MutationObserver((records) => {
        for (const record of records) {
          for (const node of record.removedNodes) {
            const text = node.textContent?.trim() ?? "";
            if (node.nodeType === Node.ELEMENT_NODE || text) removed.push(`${node.nodeName}: ${text.slice(0, 60)}`);
          }
        }
      }).observe(board, { childList: true, subtree: true });
    });
  });
}

async function auroraBoard(page: Page) {
  const launches = await (await page.request.get("/api/v1/launches")).json();
  const aurora = launches.find((l: any) => l.name === DEMO.launch);
  return `/launches/${aurora.id}/board`;
}

test("the board's server-rendered cards stay in place through hydration", async ({ browser }) => {
  const member = await contextAs(browser, "member");
  const page = await member.newPage();
  await watchHydration(page);
  await page.goto(await auroraBoard(page));
  await hydrated(page);
  await expect(page.getByRole("status").filter({ hasText: "Live" })).toBeVisible();
  // Two frames after hydration, so anything it scheduled has run.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const result = await page.evaluate(() => {
    const w = window as any;
    const before = w.__ssr;
    const after = [...document.querySelectorAll("article.card")];
    return {
      recorded: Boolean(before),
      hydratedBefore: before?.hydratedAlready,
      before: before?.cards.length ?? 0,
      after: after.length,
      sameCards: after.every((card, i) => card === before?.cards[i]),
      allConnected: (before?.cards ?? []).every((card: Element) => card.isConnected),
      sameTitleNodes: after.every((card, i) => card.querySelector(".card-title a")?.firstChild === before?.titles[i]),
      sameTitles: after.every((card, i) => card.querySelector(".card-title")?.textContent === before?.texts[i]),
      removed: before?.removed ?? [],
    };
  });
  expect(result.recorded).toBe(true);
  expect(result.hydratedBefore).toBe(false);
  expect(result.before).toBeGreaterThan(5);
  expect(result.after).toBe(result.before);
  expect(result.sameCards).toBe(true);
  expect(result.allConnected).toBe(true);
  expect(result.sameTitleNodes).toBe(true);
  expect(result.sameTitles).toBe(true);
  expect(result.removed).toEqual([]);
  await member.close();
});

test("the live connection opens once per page load, after the first paint", async ({ browser }) => {
  const member = await contextAs(browser, "member");
  const page = await member.newPage();
  const warnings: string[] = [];
  page.on("console", (message) => {
    if (["warning", "error"].includes(message.type())) warnings.push(message.text());
  });
  await watchHydration(page);
  await page.goto(await auroraBoard(page));
  await hydrated(page);
  await expect(page.getByRole("status").filter({ hasText: "Live" })).toBeVisible();
  // Long enough for a second socket, were one to be opened by a later effect or a retry.
  await page.waitForTimeout(1500);
  const { sockets, firstPaint } = await page.evaluate(() => ({
    sockets: (window as any).__sockets as { url: string; at: number }[],
    firstPaint: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null,
  }));
  expect(sockets.map((s) => new URL(s.url).pathname)).toEqual(["/ws"]);
  // It resumes from the event the server rendered the board at.
  expect(sockets[0].url).toMatch(/\/ws\?after=\d+$/);
  expect(firstPaint).not.toBeNull();
  expect(sockets[0].at).toBeGreaterThan(firstPaint!);
  expect(warnings.filter((w) => /websocket/i.test(w))).toEqual([]);
  await member.close();
});
