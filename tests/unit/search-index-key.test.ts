import { describe, expect, it } from "vitest";
import { indexKey } from "../../server/domain/tickets/search-filter.js";

describe("the part of a search the trigram index is asked for", () => {
  it("is the longest run of six or more digits when the search has other words too", () => {
    expect(indexKey("T-BENCH-0000777")).toBe("0000777");
    expect(indexKey("invoice T-BENCH-00000421")).toBe("00000421");
    expect(indexKey("T-20261207-0042")).toBe("20261207");
    // Persian and Arabic digits are folded first, as the database folds them.
    expect(indexKey("فاکتور ۱۲۳۴۵۶")).toBe("123456");
    expect(indexKey("فاتورة ١٢٣٤٥٦")).toBe("123456");
  });

  it("is the whole search otherwise", () => {
    expect(indexKey("Licence problem 9")).toBe("Licence problem 9");
    expect(indexKey("room 42")).toBe("room 42");
    expect(indexKey("123456")).toBe("123456");
    // A year is in every ticket number of that year: the index is asked for the whole search.
    expect(indexKey("invoice 2026")).toBe("invoice 2026");
    expect(indexKey("شهریه ۱۴۰۵")).toBe("شهریه ۱۴۰۵");
    expect(indexKey("inv2024001 paid")).toBe("inv2024001 paid");
    expect(indexKey("نمی‌کند")).toBe("نمی‌کند");
  });
});
