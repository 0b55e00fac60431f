/**
 * `npm run bench:miniapp`: the Mini App's first screen and its queue, measured in headless
 * Chromium (/usr/bin/chromium, playwright-core) against a production build served by the
 * real HTTP app on an in-memory database (tests/helpers/miniapp-browser.ts):
 *
 * 1. first-screen JavaScript: every script the browser fetched until the queue's first row
 *    showed, gzipped (-9) as a server would send it; the budget is 120 kB;
 * 2. first contentful paint with the CPU slowed 4× (CDP Emulation.setCPUThrottlingRate),
 *    median of --runs reloads; the target is ≤ 1 s;
 * 3. scrolling a queue of 1,000 tickets: down while infinite scroll loads all 50 pages,
 *    then back up through the whole rendered list; frame times (requestAnimationFrame
 *    gaps) and long tasks (PerformanceObserver "longtask"), at 1× and 4× CPU.
 *
 * Prints figures only; nothing here passes or fails. Timings depend on the machine and on
 * what else runs on it: the load average is printed with them. `--port` (default 4160),
 * `--tickets` (default 1000), `--runs` (default 5).
 */
import { loadavg } from "node:os";
import { gzipSync } from "node:zlib";
import { eq } from "drizzle-orm";
import type { Page } from "playwright-core";
import { tickets, users } from "../drizzle/schema/index.js";
import { LIGHT, startMiniAppBrowser } from "../tests/helpers/miniapp-browser.js";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const PORT = arg("port", 4160);
const TICKETS = arg("tickets", 1000);
const RUNS = arg("runs", 5);
const STAFF_TG = 7_700_001;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

const app = await startMiniAppBrowser({ port: PORT });
try {
  const category = (await app.db.db.query.categories.findFirst())!;
  const page = await app.openAs(STAFF_TG, "en", LIGHT, "admin");
  const staff = (await app.db.db.query.users.findFirst({ where: eq(users.telegramId, STAFF_TG) }))!;
  // Rows straight into the table, in batches: the bench measures the browser, and a
  // thousand createTicket calls (numbering, SLA, notifications) would take minutes here.
  console.log(`Seeding ${TICKETS} tickets…`);
  const priorities = ["low", "normal", "high", "critical"] as const;
  for (let from = 1; from <= TICKETS; from += 250) {
    const batch = [];
    for (let i = from; i < Math.min(from + 250, TICKETS + 1); i++)
      batch.push({
        number: `T-20261207-${String(i).padStart(4, "0")}`,
        title: `Projector ${i} in room ${i % 40} shows no picture`,
        description: "The screen stays blue after the HDMI cable was changed.",
        priority: priorities[i % 4],
        categoryId: category.id,
        requesterId: staff.id,
        updatedAt: new Date(Date.now() - (TICKETS - i) * 60_000),
      });
    await app.db.db.insert(tickets).values(batch);
  }
  await page.setViewportSize({ width: 390, height: 844 });

  // 1. First-screen JavaScript, as fetched on a cold load.
  const scripts = new Map<string, number>();
  const onResponse = async (res: import("playwright-core").Response) => {
    if (res.request().resourceType() !== "script") return;
    const body = await res.body().catch(() => null);
    if (body) scripts.set(new URL(res.url()).pathname, gzipSync(body, { level: 9 }).length);
  };
  page.on("response", onResponse);
  await page.reload();
  await page.waitForSelector(".queue-row");
  await page.waitForLoadState("networkidle");
  page.off("response", onResponse);
  const jsBytes = [...scripts.values()].reduce((a, b) => a + b, 0);
  console.log(
    `\nFirst screen (queue), en: ${scripts.size} scripts, ${(jsBytes / 1000).toFixed(1)} kB gzipped (budget 120 kB)`,
  );
  for (const [path, size] of scripts) console.log(`  ${path}  ${(size / 1000).toFixed(1)} kB`);

  // 2. First contentful paint at 4× CPU slowdown.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  const fcps: number[] = [];
  const rows: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await page.reload();
    await page.waitForSelector(".queue-row");
    const t = await page.evaluate(() => ({
      fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? -1,
      now: performance.now(),
    }));
    fcps.push(t.fcp);
    rows.push(t.now);
  }
  console.log(
    `\nFirst contentful paint, CPU 4× slower, ${RUNS} loads: median ${median(fcps).toFixed(0)} ms ` +
      `(all: ${fcps.map((f) => f.toFixed(0)).join(", ")}); first rows shown by ${median(rows).toFixed(0)} ms; target ≤ 1000 ms`,
  );

  // 3. Scrolling 1,000 rows.
  for (const rate of [1, 4]) {
    await cdp.send("Emulation.setCPUThrottlingRate", { rate });
    await page.reload();
    await page.waitForSelector(".queue-row");
    await page.click('[data-view="all"]');
    await page.waitForSelector(".queue-row");
    const down = await scroll(page, "down", TICKETS);
    const up = await scroll(page, "up", TICKETS);
    for (const [what, r] of [
      ["down, loading pages", down],
      ["up, all rows rendered", up],
    ] as const)
      console.log(
        `Scroll ${what} (CPU ${rate}×): ${r.rows} rows, ${r.frames.length} frames in ${(r.ms / 1000).toFixed(1)} s; ` +
          `frame p50 ${pct(r.frames, 0.5).toFixed(1)} ms, p95 ${pct(r.frames, 0.95).toFixed(1)} ms, max ${Math.max(...r.frames).toFixed(0)} ms; ` +
          `frames > 50 ms: ${r.frames.filter((f) => f > 50).length}; long tasks: ${r.longTasks.length} (${r.longTasks.reduce((a, b) => a + b, 0).toFixed(0)} ms, max ${Math.max(0, ...r.longTasks).toFixed(0)} ms)`,
      );
  }
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 });
  console.log(
    `\nLoad average (1, 5, 15 min) at the end: ${load()} on ${(await import("node:os")).cpus().length} cores`,
  );
} finally {
  await app.close();
}

/** Scrolls the page by 300 px a frame to the end (down: until `want` rows are loaded), timing every frame. */
async function scroll(page: Page, dir: "down" | "up", want: number) {
  // tsx names inner functions with a helper (__name) that the page does not have.
  await page.evaluate("window.__name = (f) => f");
  return page.evaluate(
    ({ dir, want }) =>
      new Promise<{ frames: number[]; longTasks: number[]; rows: number; ms: number }>((resolve) => {
        const frames: number[] = [];
        const longTasks: number[] = [];
        const obs = new PerformanceObserver((l) => {
          for (const e of l.getEntries()) longTasks.push(e.duration);
        });
        obs.observe({ type: "longtask", buffered: false });
        const start = performance.now();
        let last = start;
        let still = 0;
        const step = (now: number) => {
          frames.push(now - last);
          last = now;
          const rows = document.querySelectorAll(".queue-row").length;
          const before = window.scrollY;
          window.scrollBy(0, dir === "down" ? 300 : -300);
          const atEnd = window.scrollY === before;
          still = atEnd ? still + 1 : 0;
          const done = dir === "down" ? rows >= want && still > 30 : window.scrollY <= 0;
          // Down: stuck at the end with pages left means waiting for the next page; give up after 60 s.
          if (done || now - start > 60_000) {
            obs.disconnect();
            resolve({ frames: frames.slice(1), longTasks, rows, ms: now - start });
          } else requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      }),
    { dir, want },
  );
}
