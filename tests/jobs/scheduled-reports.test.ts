import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { pino } from "pino";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, notifications, scheduledJobs, scheduledReports } from "../../drizzle/schema/index.js";
import {
  createScheduledReport,
  createTicket,
  deleteScheduledReport,
  listScheduledReports,
  type ServiceContext,
  updateScheduledReport,
} from "../../server/domain/index.js";
import { createLocalFileStore } from "../../server/files/local-store.js";
import { createI18n } from "../../server/i18n.js";
import { scheduledReportHandler } from "../../server/jobs/reports/scheduled-report.js";
import { createScheduler } from "../../server/jobs/scheduler/worker.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { hasPdfToText, pdfText } from "../helpers/pdf-text.js";
import { drainAll, outboxWorker, setupFakeTelegram, telegramDeliverer } from "./outbox-harness.js";

/**
 * Scheduled reports: admins' audited CRUD, the next run in the schedule's zone, and
 * the scheduler's job sending the file once, even with two instances claiming at once
 * (on PostgreSQL these are two connections racing for the same row).
 */
const STAFF_CHAT = -1004400;
const world = setupTestWorld({ staffChatId: STAFF_CHAT });
const fakeTelegram = setupFakeTelegram();
const dataDir = mkdtempSync(join(tmpdir(), "scheduled-reports-"));
const files = createLocalFileStore(dataDir);
const logger = pino({ level: "silent" });
let w: World;
let admin: ServiceContext;
let handler: ReturnType<typeof scheduledReportHandler>;

beforeAll(async () => {
  w = world();
  // Friday 4 Dec 2026, 10:00 in Tehran.
  w.clock.set(new Date("2026-12-04T06:30:00Z"));
  admin = { ...w.ctx(await w.user("admin")), files };
  const requester = await w.user("requester");
  await createTicket({
    ctx: w.ctx(requester),
    input: { title: "شبکه قطع است", categoryId: await w.categoryId() },
  });
  handler = scheduledReportHandler({ i18n: await createI18n("fa"), logger });
});

/** A scheduler instance as main.ts makes one, with the report job and the file store. */
const instance = () =>
  createScheduler({
    db: w.db,
    clock: w.clock,
    system: () => ({ ...w.system(), files }),
    handlers: { scheduled_report: handler },
    logger,
  });

const saturdayEight = {
  report: "volume",
  format: "pdf",
  frequency: "weekly",
  weekday: 6,
  time: "08:00",
  timeZone: "Asia/Tehran",
  language: "fa",
} as const;

describe("scheduled reports", () => {
  it("are admins' to manage, audited, each with its run on the scheduler at the next local time", async () => {
    const agent = w.ctx(await w.user("agent"));
    await expect(createScheduledReport({ ctx: agent, input: saturdayEight })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(listScheduledReports({ ctx: agent })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      createScheduledReport({ ctx: admin, input: { ...saturdayEight, weekday: undefined } }),
    ).rejects.toMatchObject({ code: "VALIDATION" });
    await expect(
      createScheduledReport({ ctx: admin, input: { ...saturdayEight, chatId: -100123 } }),
    ).rejects.toMatchObject({ code: "VALIDATION" });

    const row = await createScheduledReport({ ctx: admin, input: saturdayEight });
    // Saturday 5 Dec 2026 08:00 in Tehran (UTC+3:30).
    expect(row.nextRunAt?.toISOString()).toBe("2026-12-05T04:30:00.000Z");
    const [job] = await w.db
      .select()
      .from(scheduledJobs)
      .where(eq(scheduledJobs.key, `scheduled_report:${row.id}`));
    expect(job).toMatchObject({ kind: "scheduled_report", state: "pending" });
    expect(job.runAt.toISOString()).toBe("2026-12-05T04:30:00.000Z");

    const moved = await updateScheduledReport({
      ctx: admin,
      input: { id: row.id, frequency: "daily", time: "09:15" },
    });
    expect(moved.nextRunAt?.toISOString()).toBe("2026-12-05T05:45:00.000Z");
    const off = await updateScheduledReport({ ctx: admin, input: { id: row.id, enabled: false } });
    expect(off.nextRunAt).toBeNull();
    const [cancelled] = await w.db
      .select()
      .from(scheduledJobs)
      .where(eq(scheduledJobs.key, `scheduled_report:${row.id}`));
    expect(cancelled.state).toBe("cancelled");
    await deleteScheduledReport({ ctx: admin, input: { id: row.id } });
    const actions = (
      await w.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.entityId, row.id))
    ).map((a) => a.action);
    expect(actions.sort()).toEqual([
      "scheduled_report.create",
      "scheduled_report.delete",
      "scheduled_report.update",
      "scheduled_report.update",
    ]);
  });

  it("is sent once by two instances claiming together, then planned for the next week", async () => {
    const row = await createScheduledReport({ ctx: admin, input: saturdayEight });
    const a = instance();
    const b = instance();
    // Not due yet: nothing is sent.
    await Promise.all([a.runDue(), b.runDue()]);
    const queued = () =>
      w.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.chatId, STAFF_CHAT), eq(notifications.type, "system")));
    expect(await queued()).toHaveLength(0);

    w.clock.set(new Date("2026-12-05T04:30:05Z"));
    const ran = await Promise.all([a.runDue(), b.runDue()]);
    expect(ran.reduce((s, n) => s + n, 0)).toBe(1);
    // The same run again (a crash after the work, before "done") sends nothing twice.
    await handler({ ...w.system(), files }, { id: row.id, due: "2026-12-05T04:30:00.000Z" });
    const rows = await queued();
    expect(rows).toHaveLength(1);

    const [after] = await w.db.select().from(scheduledReports).where(eq(scheduledReports.id, row.id));
    expect(after.lastSentFor?.toISOString()).toBe("2026-12-05T04:30:00.000Z");
    expect(after.nextRunAt?.toISOString()).toBe("2026-12-12T04:30:00.000Z");
    const [next] = await w.db
      .select()
      .from(scheduledJobs)
      .where(eq(scheduledJobs.key, `scheduled_report:${row.id}`));
    expect(next).toMatchObject({ state: "pending" });
    expect(next.runAt.toISOString()).toBe("2026-12-12T04:30:00.000Z");

    // The outbox posts it to the staff chat as a PDF covering the seven days before.
    const fake = fakeTelegram();
    const worker = outboxWorker(w.db, await telegramDeliverer(w.db, fake, undefined, files));
    await drainAll(worker, w.db);
    const docs = fake.callsOf("sendDocument").filter((c) => Number(c.params.chat_id) === STAFF_CHAT);
    expect(docs).toHaveLength(1);
    expect(docs[0].files[0].fileName).toBe("volume-2026-11-28_2026-12-04.pdf");
    if (!hasPdfToText) return;
    const text = pdfText(docs[0].files[0].bytes, dataDir);
    expect(text).toContain("تیکتها");
    expect(text).toContain("۲۰۲۶-۱۲-۰۴");
  });

  it("sends nothing for a schedule switched off before its run", async () => {
    const row = await createScheduledReport({ ctx: admin, input: { ...saturdayEight, format: "xlsx" } });
    await w.db.update(scheduledReports).set({ enabled: false }).where(eq(scheduledReports.id, row.id));
    const outcome = await handler(
      { ...w.system(), files },
      { id: row.id, due: row.nextRunAt?.toISOString() },
    );
    expect(outcome).toBe("gone");
  });
});
