import { describe, expect, it } from "vitest";
import { canMove, statusAfterRequesterReply } from "../../server/domain/lifecycle.js";
import { dayKey, formatTicketNumber, normalizeTicketNumber } from "../../server/domain/tickets/numbering.js";

describe("ticket numbers", () => {
  it("uses the day in the configured time zone, not UTC", () => {
    // 21:00 UTC on 19 March is already 20 March in Tehran (UTC+3:30).
    const at = new Date("2026-03-19T21:00:00Z");
    expect(dayKey(at, "Asia/Tehran")).toBe("20260320");
    expect(dayKey(at, "UTC")).toBe("20260319");
  });

  it("pads to four digits and grows past 9999", () => {
    expect(formatTicketNumber("20260320", 7)).toBe("T-20260320-0007");
    expect(formatTicketNumber("20260320", 12345)).toBe("T-20260320-12345");
  });

  it("understands what people type: Persian and Arabic digits, lower case, spaces", () => {
    expect(normalizeTicketNumber("t-۲۰۲۶۰۳۲۰-۰۰۰۷")).toBe("T-20260320-0007");
    expect(normalizeTicketNumber(" T-٢٠٢٦٠٣٢٠-٠٠١٢ ")).toBe("T-20260320-0012");
    expect(normalizeTicketNumber("20260320-0007")).toBe("T-20260320-0007");
  });
});

describe("requester replies", () => {
  it("bring a waiting ticket back to work and reopen finished ones", () => {
    expect(statusAfterRequesterReply("waiting_customer", true)).toBe("in_progress");
    expect(statusAfterRequesterReply("resolved", true)).toBe("in_progress");
    expect(statusAfterRequesterReply("closed", false)).toBe("open");
    expect(statusAfterRequesterReply("open", false)).toBe("open");
    expect(canMove("requester", "open", "resolved")).toBe(false);
  });
});
