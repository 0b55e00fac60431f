import { describe, expect, it } from "vitest";
import { initialStack, startParamOf } from "../../miniapp/src/deep-link.js";

describe("the Mini App's deep links", () => {
  it("opens the ticket named by startapp=t_<number> above the queue, so Back lands in the queue", () => {
    expect(initialStack("t_T-20261207-0042")).toEqual([
      { name: "queue" },
      { name: "ticket", number: "T-20261207-0042" },
    ]);
    // People type the number without its "T-".
    expect(initialStack("t_20261207-0042")).toEqual([
      { name: "queue" },
      { name: "ticket", number: "T-20261207-0042" },
    ]);
    expect(initialStack(startParamOf("T-20261207-0042"))).toEqual(initialStack("t_T-20261207-0042"));
  });

  it("opens the queue for no parameter or one that names no ticket", () => {
    for (const param of [null, "", "t_", "t_abc", "x_T-20261207-0042", "t_T-20261207-0042;drop"])
      expect(initialStack(param)).toEqual([{ name: "queue" }]);
  });
});
