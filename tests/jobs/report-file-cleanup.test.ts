import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { pino } from "pino";
import { beforeAll, describe, expect, it } from "vitest";
import { notifications, scheduledJobs } from "../../drizzle/schema/index.js";
import {
  REPORT_FILE_CHECK_MS,
  REPORT_FILE_RETENTION_MS,
  type ServiceContext,
  sendReportToChat,
} from "../../server/domain/index.js";
import { createLocalFileStore } from "../../server/files/local-store.js";
import { jobHandlers } from "../../server/jobs/scheduler/handlers.js";
import { createScheduler } from "../../server/jobs/scheduler/worker.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { drainAll, outboxWorker, setupFakeTelegram, telegramDeliverer } from "./outbox-harness.js";

/**
 * A report file rendered for a chat lives in the file store only until its post is
 * done: the scheduler's `report_file_cleanup` job removes it once the outbox row is
 * sent (or failed), and after REPORT_FILE_RETENTION_MS even if it never was.
 */
const STAFF_CHAT = -1004500;
const world = setupTestWorld({ staffChatId: STAFF_CHAT });
const fakeTelegram = setupFakeTelegram();
const files = createLocalFileStore(mkdtempSync(join(tmpdir(), "report-file-cleanup-")));
let w: World;
let admin: ServiceContext;

beforeAll(async () => {
  w = world();
  w.clock.set(new Date("2026-12-04T06:30:00Z"));
  admin = { ...w.ctx(await w.user("admin")), files };
});

const scheduler = () =>
  createScheduler({
    db: w.db,
    clock: w.clock,
    system: () => ({ ...w.system(), files }),
    handlers: { report_file_cleanup: jobHandlers.report_file_cleanup },
    logger: pino({ level: "silent" }),
  });
const send = (name: string) =>
  sendReportToChat({
    ctx: admin,
    input: {},
    render: async () => ({
      bytes: new TextEncoder().encode(`report ${name}`),
      fileName: `${name}.csv`,
      contentType: "text/csv",
      caption: name,
    }),
  });
const pathOf = async (notificationId: string) => {
  const [row] = await w.db.select().from(notifications).where(eq(notifications.id, notificationId));
  return (row.payload as { document: { path: string } }).document.path;
};
const cleanupJob = async (notificationId: string) => {
  const [row] = await w.db.select().from(notifications).where(eq(notifications.id, notificationId));
  const [job] = await w.db
    .select()
    .from(scheduledJobs)
    .where(eq(scheduledJobs.key, `report_file:${row.idempotencyKey}`));
  return job;
};
const later = (ms: number) => w.clock.set(new Date(w.clock.now().getTime() + ms));

describe("report files sent to a chat", () => {
  it("are kept while the post waits and removed once it was sent", async () => {
    const sent = await send("volume");
    const path = await pathOf(sent.notificationId);
    expect(await files.get(path)).not.toBeNull();
    expect(await cleanupJob(sent.notificationId)).toMatchObject({
      kind: "report_file_cleanup",
      state: "pending",
    });

    // Not posted yet: the file stays and the job looks again later.
    later(REPORT_FILE_CHECK_MS + 1000);
    expect(await scheduler().runDue()).toBe(1);
    expect(await files.get(path)).not.toBeNull();
    const again = await cleanupJob(sent.notificationId);
    expect(again.state).toBe("pending");
    // Planned one check later (the test clock ticks a millisecond per reading).
    expect(again.runAt.getTime() - w.clock.now().getTime()).toBeGreaterThan(REPORT_FILE_CHECK_MS - 1000);

    // The outbox posts it (the bytes read from the store), then the next check removes it.
    const fake = fakeTelegram();
    await drainAll(outboxWorker(w.db, await telegramDeliverer(w.db, fake, undefined, files)), w.db);
    expect(fake.callsOf("sendDocument")).toHaveLength(1);
    later(REPORT_FILE_CHECK_MS + 1000);
    expect(await scheduler().runDue()).toBe(1);
    expect(await files.get(path)).toBeNull();
    expect((await cleanupJob(sent.notificationId)).state).toBe("done");
  });

  it("are removed after the retention even when never posted", async () => {
    const stuck = await send("agents");
    const path = await pathOf(stuck.notificationId);
    later(REPORT_FILE_RETENTION_MS - 60_000);
    await scheduler().runDue();
    expect(await files.get(path)).not.toBeNull();
    later(REPORT_FILE_CHECK_MS + 60_000);
    await scheduler().runDue();
    expect(await files.get(path)).toBeNull();
    const [row] = await w.db.select().from(notifications).where(eq(notifications.id, stuck.notificationId));
    expect(row.state).toBe("pending");
  });
});
