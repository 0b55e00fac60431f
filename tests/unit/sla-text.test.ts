import { describe, expect, it } from "vitest";
import { formatDue, slaCardLine } from "../../bot/ui/sla.js";
import { createI18n } from "../../server/i18n.js";

/** The bot's SLA texts in each language: absolute due times, Jalali dates and Persian digits in fa. */
const NOW = new Date("2026-03-20T08:00:00Z");
const cols = (over: Partial<Record<string, unknown>>) => ({
  slaState: "on_track" as const,
  firstResponseDueAt: null,
  nextResponseDueAt: null,
  resolutionDueAt: null,
  ...over,
});

describe("SLA lines of the staff card", () => {
  it("reads in English, Russian and Persian, with the earliest running target", async () => {
    const i18n = await createI18n("en");
    const ticket = cols({
      resolutionDueAt: new Date("2026-03-20T12:00:00Z"),
      nextResponseDueAt: new Date("2026-03-20T09:30:00Z"),
    });
    expect(slaCardLine(ticket, i18n.getFixedT("en"), "en", "UTC", NOW)).toBe(
      "⏱ SLA: next response due 09:30",
    );
    expect(slaCardLine(ticket, i18n.getFixedT("ru"), "ru", "UTC", NOW)).toBe(
      "⏱ SLA: следующий ответ до 09:30",
    );
    // Tehran is UTC+3:30: 13:00 there, in Persian digits.
    expect(slaCardLine(ticket, i18n.getFixedT("fa"), "fa", "Asia/Tehran", NOW)).toBe(
      "⏱ SLA: مهلت پاسخ بعدی ۱۳:۰۰",
    );
  });

  it("says at risk, overdue, breached, met, paused, or nothing without SLA", async () => {
    const t = (await createI18n("en")).getFixedT("en");
    const line = (over: Partial<Record<string, unknown>>) => slaCardLine(cols(over), t, "en", "UTC", NOW);
    const soon = new Date("2026-03-20T08:20:00Z");
    expect(line({ slaState: "at_risk", firstResponseDueAt: soon })).toBe(
      "⚠️ SLA at risk: first response due 08:20",
    );
    // Stored as at risk, but due already: breached before the scheduler marks it.
    expect(line({ slaState: "at_risk", firstResponseDueAt: new Date("2026-03-20T07:50:00Z") })).toBe(
      "🔥 SLA breached: first response was due 07:50",
    );
    expect(line({ slaState: "breached" })).toBe("🔥 SLA breached");
    expect(line({ slaState: "met" })).toBe("✅ SLA met");
    expect(line({ slaState: "on_track" })).toBe("⏸ SLA paused");
    expect(line({ slaState: "none" })).toBeNull();
  });

  it("gives a due time on another day its date, Jalali in Persian", () => {
    const later = new Date("2026-03-23T08:00:00Z");
    expect(formatDue(later, NOW, "en", "UTC")).toBe("23 Mar 2026, 08:00");
    // 23 March 2026 is 3 Farvardin 1405.
    expect(formatDue(later, NOW, "fa", "UTC")).toMatch(/^۳ فروردین ۱۴۰۵/);
  });
});
