import { describe, expect, it } from "vitest";
import { addCountedTime, type CalendarHours, countedBetween } from "../../server/domain/sla/business-time.js";
import { readClock } from "../../server/domain/sla/clock.js";
import { startClock, stepClock } from "../../server/domain/sla/transitions.js";

const MIN = 60_000;
const HOUR = 60 * MIN;
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Iran's week: Saturday–Wednesday 08:00–16:00, Thursday 08:00–12:00, Friday off (Tehran is UTC+3:30, no DST). */
const iran: CalendarHours = {
  timeZone: "Asia/Tehran",
  week: {
    "6": [["08:00", "16:00"]],
    "0": [["08:00", "16:00"]],
    "1": [["08:00", "16:00"]],
    "2": [["08:00", "16:00"]],
    "3": [["08:00", "16:00"]],
    "4": [["08:00", "12:00"]],
  },
  holidays: [],
};

describe("business time", () => {
  it("counts every minute without a calendar", () => {
    expect(iso(addCountedTime(at("2027-01-06T10:00:00Z"), 90 * MIN, null, []))).toBe(
      "2027-01-06T11:30:00.000Z",
    );
  });

  it("counts only working hours in the calendar's zone, across Thursday's half day and Friday", () => {
    // Wednesday 2027-01-06 15:00 Tehran (11:30Z): 1 h left Wednesday, 4 h Thursday, Friday off, Saturday from 08:00.
    const start = at("2027-01-06T11:30:00Z");
    expect(iso(addCountedTime(start, 1 * HOUR, iran, []))).toBe("2027-01-06T12:30:00.000Z"); // Wed 16:00
    expect(iso(addCountedTime(start, 5 * HOUR, iran, []))).toBe("2027-01-07T08:30:00.000Z"); // Thu 12:00
    expect(iso(addCountedTime(start, 6 * HOUR, iran, []))).toBe("2027-01-09T05:30:00.000Z"); // Sat 09:00
  });

  it("starts at the next opening when created outside hours, and skips holidays", () => {
    const fridayNight = at("2027-01-08T18:00:00Z"); // Friday 21:30 Tehran
    expect(iso(addCountedTime(fridayNight, 30 * MIN, iran, []))).toBe("2027-01-09T05:00:00.000Z");
    const saturdayOff = { ...iran, holidays: ["2027-01-09"] };
    expect(iso(addCountedTime(fridayNight, 30 * MIN, saturdayOff, []))).toBe("2027-01-10T05:00:00.000Z");
  });

  it("leaves paused stretches out, and never reaches a target while paused for good", () => {
    const start = at("2027-01-06T10:00:00Z");
    const pause = { from: at("2027-01-06T10:30:00Z"), to: at("2027-01-06T12:30:00Z") };
    expect(iso(addCountedTime(start, HOUR, null, [pause]))).toBe("2027-01-06T13:00:00.000Z");
    expect(addCountedTime(start, HOUR, null, [{ from: pause.from, to: null }])).toBeNull();
    expect(countedBetween(start, at("2027-01-06T13:00:00Z"), null, [pause])).toBe(HOUR);
  });

  it("follows a zone's daylight-saving change (New York, spring forward)", () => {
    const weekdays: CalendarHours = {
      timeZone: "America/New_York",
      week: { "1": [["09:00", "17:00"]], "5": [["09:00", "17:00"]] },
      holidays: [],
    };
    // Friday 2027-03-12 16:00 EST (21:00Z); DST starts Sunday 14 March; Monday 09:00 EDT is 13:00Z.
    expect(iso(addCountedTime(at("2027-03-12T21:00:00Z"), 2 * HOUR, weekdays, []))).toBe(
      "2027-03-15T14:00:00.000Z",
    );
  });

  it("gives up (null) on a calendar with no working time at all", () => {
    expect(
      addCountedTime(at("2027-01-06T10:00:00Z"), MIN, { timeZone: "UTC", week: {}, holidays: [] }, []),
    ).toBeNull();
  });
});

describe("the SLA clock", () => {
  const policy = {
    firstResponseMinutes: 60,
    nextResponseMinutes: 30,
    resolutionMinutes: 240,
    warnPercent: 20,
    warnMinutes: null,
  };
  const t0 = new Date("2027-01-06T10:00:00Z");
  const plus = (m: number) => new Date(t0.getTime() + m * MIN);

  it("is on track, then at risk at 80%, then breached, raising each once", () => {
    const clock = startClock(t0);
    expect(readClock(clock, policy, null, plus(10)).state).toBe("on_track");
    expect(readClock(clock, policy, null, plus(10)).nextCheckAt?.toISOString()).toBe(plus(48).toISOString());
    const risk = readClock(clock, policy, null, plus(50));
    expect(risk.state).toBe("at_risk");
    expect(risk.raise).toEqual([{ target: "first_response", kind: "warning" }]);
    const late = readClock(clock, policy, null, plus(61));
    expect(late.state).toBe("breached");
    // A breach makes a warning not raised yet moot.
    expect(late.raise).toEqual([{ target: "first_response", kind: "breach" }]);
  });

  it("meets the first response, starts the next on the requester's message, pauses while waiting", () => {
    let clock = startClock(t0);
    clock = stepClock(clock, { kind: "staff_reply" }, readClock(clock, policy, null, plus(20)), plus(20));
    expect(clock.targets.first_response?.state).toBe("met");
    clock = stepClock(
      clock,
      { kind: "requester_message" },
      readClock(clock, policy, null, plus(40)),
      plus(40),
    );
    expect(clock.targets.next_response?.startedAt).toBe(plus(40).toISOString());
    clock = stepClock(
      clock,
      { kind: "status", from: "in_progress", to: "waiting_customer" },
      readClock(clock, policy, null, plus(50)),
      plus(50),
    );
    const paused = readClock(clock, policy, null, plus(500));
    expect(paused.running.every((r) => r.due === null)).toBe(true);
    expect(paused.state).toBe("on_track");
    clock = stepClock(
      clock,
      { kind: "status", from: "waiting_customer", to: "in_progress" },
      paused,
      plus(110),
    );
    // 10 of the next response's 30 minutes were used before the pause: 20 left from minute 110.
    const resumed = readClock(clock, policy, null, plus(110));
    expect(resumed.running.find((r) => r.target === "next_response")?.due?.toISOString()).toBe(
      plus(130).toISOString(),
    );
  });

  it("ends late targets as met late, and unanswered ones as breached when the ticket is resolved", () => {
    let clock = startClock(t0);
    clock = stepClock(
      clock,
      { kind: "status", from: "in_progress", to: "resolved" },
      readClock(clock, policy, null, plus(300)),
      plus(300),
    );
    expect(clock.targets.resolution?.state).toBe("met_late");
    expect(clock.targets.first_response?.state).toBe("breached");
    expect(readClock(clock, policy, null, plus(301)).state).toBe("breached");
    // Reopened: the resolution clock goes on without the finished stretch.
    clock = stepClock(
      clock,
      { kind: "status", from: "resolved", to: "open" },
      readClock(clock, policy, null, plus(400)),
      plus(400),
    );
    expect(clock.targets.resolution?.state).toBe("running");
    expect(clock.pauses).toEqual([{ from: plus(300).toISOString(), to: plus(400).toISOString() }]);
  });

  it("is met when every tracked target ended in time, and none without a policy", () => {
    let clock = startClock(t0);
    clock = stepClock(clock, { kind: "staff_reply" }, readClock(clock, policy, null, plus(5)), plus(5));
    clock = stepClock(
      clock,
      { kind: "status", from: "in_progress", to: "resolved" },
      readClock(clock, policy, null, plus(100)),
      plus(100),
    );
    expect(readClock(clock, policy, null, plus(101)).state).toBe("met");
    const none = {
      ...policy,
      firstResponseMinutes: null,
      nextResponseMinutes: null,
      resolutionMinutes: null,
    };
    expect(readClock(startClock(t0), none, null, plus(1)).state).toBe("none");
  });
});
