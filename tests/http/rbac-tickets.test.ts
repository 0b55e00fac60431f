import { describe, expect, it } from "vitest";
import { NF, setupRoleMatrix, ticketRoutes, WHO } from "./rbac-matrix.js";

/** Every ticket route × role × scope (rbac-matrix.ts says what is expected and why). */
const m = setupRoleMatrix();

describe("ticket routes × role × scope", () => {
  for (const route of ticketRoutes(m.api)) {
    it(route.name, async () => {
      const mismatches: string[] = [];
      for (const who of WHO) {
        for (const scope of ["in", "out"] as const) {
          const ticket = await m.ticketIn(scope === "in" ? m.home : m.away);
          const branchBound = who === "agent" || who === "moderator" || who === "auditor";
          const want = scope === "out" && branchBound ? NF : route.expect[who];
          const res = await route.call(m.tokens[who], ticket.id, m.helperId);
          if (res.status !== want)
            mismatches.push(`${who}/${scope}: expected ${want}, got ${res.status} ${await res.text()}`);
        }
      }
      expect(mismatches).toEqual([]);
    });
  }
});
