import type { CannedReply, Ticket, User } from "../../../drizzle/schema/index.js";

/**
 * The text of a canned reply for a ticket: the body in the requester's language, else
 * the first present (fa, en, ru), with its placeholders filled. A stand-in for the
 * canned replies feature's own renderer (server/domain/canned/), to be swapped for it.
 */
export function fillCannedForRule(
  reply: Pick<CannedReply, "bodies">,
  facts: {
    ticket: Pick<Ticket, "number" | "title">;
    requester: Pick<User, "firstName" | "lastName" | "language"> | null;
    agent: Pick<User, "firstName" | "lastName"> | null;
  },
): string {
  const lang = facts.requester?.language;
  const body =
    (lang && reply.bodies[lang as keyof CannedReply["bodies"]]) ||
    reply.bodies.fa ||
    reply.bodies.en ||
    reply.bodies.ru ||
    "";
  const values: Record<string, string> = {
    "requester.first_name": facts.requester?.firstName ?? "",
    "requester.last_name": facts.requester?.lastName ?? "",
    "agent.first_name": facts.agent?.firstName ?? "",
    "agent.last_name": facts.agent?.lastName ?? "",
    "ticket.number": facts.ticket.number,
    "ticket.title": facts.ticket.title,
  };
  // An unknown placeholder stays as written, so a typo is visible rather than silently empty.
  return body.replace(/\{([a-z_]+\.[a-z_]+)\}/g, (all, name: string) => values[name] ?? all).trim();
}
