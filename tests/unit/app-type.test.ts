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
    // Bodies are typed too (validated at the door): the lines marked @ts-expect-error
    // stop compiling, and so fail typecheck, the day a route's body type turns into any.
    const id = "00000000-0000-0000-0000-000000000000";
    void client.tickets[":id"].messages.$post({ param: { id }, json: { body: "hi", internal: false } });
    // @ts-expect-error a reply's text is a string
    void client.tickets[":id"].messages.$post({ param: { id }, json: { body: 42 } });
    // @ts-expect-error "urgent" is no priority
    void client.tickets[":id"].$patch({ param: { id }, json: { priority: "urgent" } });
    // @ts-expect-error a ticket needs its category
    void client.tickets.$post({ json: { title: "No category" } });
    void client.labels.$post({ json: { name: "vip" } });
    expect(calls).toEqual([
      "http://helpdesk.test/api/tickets?status=open",
      "http://helpdesk.test/api/tickets/00000000-0000-0000-0000-000000000000/choices",
      "http://helpdesk.test/api/meta",
      "http://helpdesk.test/api/tickets/00000000-0000-0000-0000-000000000000/messages",
      "http://helpdesk.test/api/tickets/00000000-0000-0000-0000-000000000000/messages",
      "http://helpdesk.test/api/tickets/00000000-0000-0000-0000-000000000000",
      "http://helpdesk.test/api/tickets",
      "http://helpdesk.test/api/labels",
    ]);
  });
});
