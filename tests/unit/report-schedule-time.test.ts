import { describe, expect, it } from "vitest";
import { nextRunAfter, periodBefore } from "../../server/domain/report-delivery/next-run.js";
import { drawOrder, visualRuns } from "../../server/http/export/bidi-runs.js";

const at = (iso: string) => new Date(iso);
const next = (rule: Parameters<typeof nextRunAfter>[0], after: string) =>
  nextRunAfter(rule, at(after)).toISOString();

describe("a scheduled report's next run", () => {
  it("is the next Saturday 08:00 in Tehran (UTC+3:30), never the run just made", () => {
    const rule = { frequency: "weekly", weekday: 6, time: "08:00", timeZone: "Asia/Tehran" } as const;
    // Friday 4 December 2026, 10:00 in Tehran.
    expect(next(rule, "2026-12-04T06:30:00Z")).toBe("2026-12-05T04:30:00.000Z");
    expect(next(rule, "2026-12-05T04:30:00Z")).toBe("2026-12-12T04:30:00.000Z");
  });

  it("keeps its wall time across daylight saving changes", () => {
    const berlin = { frequency: "daily", time: "08:00", timeZone: "Europe/Berlin" } as const;
    // CET (UTC+1) before 29 March 2026, CEST (UTC+2) after; back on 25 October.
    expect(next(berlin, "2026-03-28T10:00:00Z")).toBe("2026-03-29T06:00:00.000Z");
    expect(next(berlin, "2026-03-27T10:00:00Z")).toBe("2026-03-28T07:00:00.000Z");
    expect(next(berlin, "2026-10-24T10:00:00Z")).toBe("2026-10-25T07:00:00.000Z");
  });

  it("runs a skipped wall time after the jump, and a doubled one at its first occurrence", () => {
    const ny = (time: string) => ({ frequency: "daily", time, timeZone: "America/New_York" }) as const;
    // 8 March 2026: 02:00 EST jumps to 03:00 EDT, so 02:30 does not exist that day.
    expect(next(ny("02:30"), "2026-03-08T00:00:00Z")).toBe("2026-03-08T07:30:00.000Z");
    // 1 November 2026: 01:30 happens twice (EDT, then EST); the first one.
    expect(next(ny("01:30"), "2026-11-01T00:00:00Z")).toBe("2026-11-01T05:30:00.000Z");
  });

  it("runs a monthly report on the month's last day when the month is shorter", () => {
    const rule = { frequency: "monthly", monthDay: 31, time: "09:00", timeZone: "UTC" } as const;
    expect(next(rule, "2026-02-01T00:00:00Z")).toBe("2026-02-28T09:00:00.000Z");
    expect(next(rule, "2026-02-28T09:00:00Z")).toBe("2026-03-31T09:00:00.000Z");
  });

  it("reports on the local days before the run", () => {
    const tehran = { time: "08:00", timeZone: "Asia/Tehran" } as const;
    const due = at("2026-12-06T04:30:00Z");
    expect(periodBefore({ ...tehran, frequency: "daily" }, due)).toEqual({
      from: "2026-12-05",
      to: "2026-12-05",
    });
    expect(periodBefore({ ...tehran, frequency: "weekly", weekday: 6 }, due)).toEqual({
      from: "2026-11-29",
      to: "2026-12-05",
    });
    expect(
      periodBefore({ ...tehran, frequency: "monthly", monthDay: 1 }, at("2026-03-01T04:30:00Z")),
    ).toEqual({
      from: "2026-02-01",
      to: "2026-02-28",
    });
  });
});

describe("a PDF line's runs from left to right", () => {
  const shown = (text: string, dir: "rtl" | "ltr" | "auto") =>
    visualRuns(text, dir).map((r) => [r.text, r.rtl]);

  it("puts a Latin ticket number left of the Persian words before it, brackets mirrored", () => {
    expect(shown("اینترنت قطع است (T-20260310-0001)", "rtl")).toEqual([
      ["(", true],
      ["T-20260310-0001", false],
      ["اینترنت قطع است )", true],
    ]);
  });

  it("leaves left-to-right text whole, and hands Persian digits to the font engine reversed", () => {
    expect(shown("Printer (room 12)", "auto")).toEqual([["Printer (room 12)", false]]);
    const [digits] = visualRuns("۱۴۰۵/۰۹/۱۶", "ltr");
    expect(drawOrder(digits)).toBe("۶۱/۹۰/۵۰۴۱");
    expect(drawOrder({ text: "سلام دنیا", rtl: true })).toBe("سلام دنیا");
  });
});
