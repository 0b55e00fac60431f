import { describe, expect, it } from "vitest";
import { type CallbackAction, decodeCallback, encodeCallback } from "../../bot/ui/callback-data.js";

const id = "0b7c8e4a-1d2f-4a3b-9c8d-7e6f5a4b3c2d";

describe("callback data", () => {
  it("decodes Object.prototype's names as unknown buttons, not as actions (found by fuzzing)", () => {
    for (const data of ["valueOf", "constructor", "__proto__", "toString:x", "hasOwnProperty:a:b"])
      expect(decodeCallback(data)).toBeNull();
  });

  it("round-trips every action within Telegram's 64 bytes", () => {
    const all: CallbackAction[] = [
      { a: "take", t: id },
      { a: "rate", t: id, n: 5 },
      { a: "reply", t: id },
      { a: "close", t: id },
      { a: "reopen", t: id },
      { a: "card", t: id },
      { a: "lang", l: "ru" },
      { a: "my", p: 3 },
      { a: "pref", k: "new_ticket" },
      { a: "cat", c: id },
      { a: "pri", p: "critical" },
      { a: "flow", f: "back" },
      { a: "into", t: id },
      { a: "menu", t: id, m: "priority" },
      { a: "asg", t: id, u: "f1e2d3c4-b5a6-4978-8877-665544332211" },
      { a: "asg", t: id, u: "-" },
      { a: "st", t: id, s: "waiting_customer" },
      { a: "pr", t: id, p: "high" },
    ];
    for (const action of all) {
      const data = encodeCallback(action);
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
      expect(decodeCallback(data)).toEqual(action);
    }
  });

  it("still reads buttons sent before UUIDs were shortened", () => {
    expect(decodeCallback(`card:${id.replaceAll("-", "")}`)).toEqual({ a: "card", t: id });
  });

  it("turns stale, forged or unknown data into null", () => {
    for (const bad of [
      undefined,
      "",
      "take",
      "take:xyz",
      "rate:0b7c8e4a1d2f4a3b9c8d7e6f5a4b3c2d:9",
      "drop:tables",
      "lang:de",
      "st:0b7c8e4a1d2f4a3b9c8d7e6f5a4b3c2d:done",
      "asg:0b7c8e4a1d2f4a3b9c8d7e6f5a4b3c2d:someone",
      "my:-1",
      "x".repeat(65),
    ]) {
      expect(decodeCallback(bad)).toBeNull();
    }
  });
});
