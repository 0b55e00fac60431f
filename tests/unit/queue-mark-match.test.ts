import { describe, expect, it } from "vitest";
import { foldForMatch, markMatches } from "../../miniapp/src/pages/queue/mark-match.js";
import { FOLD_FROM, foldWithOrigins } from "../../server/domain/search.js";

/** The queue marks the search's words in the server's snippet, found with the server's own fold. */
describe("markMatches", () => {
  it("folds every character exactly as the server does", () => {
    const sample = `${FOLD_FROM}AbC كيبورد نمی‌کند ۳۰۴ ٣٠٤ ÄÖ`;
    expect(foldForMatch(sample)).toEqual(foldWithOrigins(sample));
  });

  it("marks a word typed on an Arabic keyboard in Persian text, keeping the original letters", () => {
    const parts = markMatches("…از دیروز کیبورد کلاس کار نمی‌کند", "كيبورد");
    expect(parts.filter((p) => p.marked).map((p) => p.text)).toEqual(["کیبورد"]);
    expect(parts.map((p) => p.text).join("")).toBe("…از دیروز کیبورد کلاس کار نمی‌کند");
  });

  it("marks across a ZWNJ and in other digits, every occurrence, any case", () => {
    expect(
      markMatches("نمی‌کند و نمیکند", "نمیکند")
        .filter((p) => p.marked)
        .map((p) => p.text),
    ).toEqual(["نمی‌کند", "نمیکند"]);
    expect(
      markMatches("Room ۳۰۴, not 305", "304")
        .filter((p) => p.marked)
        .map((p) => p.text),
    ).toEqual(["۳۰۴"]);
    expect(markMatches("VPN drops, vpn again", "Vpn").filter((p) => p.marked)).toHaveLength(2);
  });

  it("leaves text without the words, or an empty search, unmarked", () => {
    expect(markMatches("printer", "scanner")).toEqual([{ text: "printer", marked: false }]);
    expect(markMatches("printer", "  ")).toEqual([{ text: "printer", marked: false }]);
  });
});
