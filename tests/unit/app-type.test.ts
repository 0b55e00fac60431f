import { hc } from "hono/client";
import { describe, expect, it } from "vitest";
import type { AppType } from "../../server/http/app.js";

/**
 * AppType carries the API's routes, so a typed client (hono/client) knows them:
 * this file does not compile (npm run typecheck) when a route drops out of the type.
 */
describe("AppType", () => {
  it("types a client that reaches the API's routes", () => {
    const calls: string[] = [];
    const client = hc<AppType>("http://helpdesk.test/api", {
      fetch: async (input: RequestInfo | URL) => {
        calls.push(String(input));
        return new Response("{}", { headers: { "content-type": "application/json" } });
      },
    });
    void client.tickets.$get({ query: { status: "open" } });
    void client.tickets[":id"].choices.$get({ param: { id: "00000000-0000-0000-0000-000000000000" } });
    void client.meta.$get();
    expect(calls).toEqual([
      "http://helpdesk.test/api/tickets?status=open",
      "http://helpdesk.test/api/tickets/00000000-0000-0000-0000-000000000000/choices",
      "http://helpdesk.test/api/meta",
    ]);
  });
});
