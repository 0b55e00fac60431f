import { LANGUAGES, type Language } from "../../../drizzle/schema/index.js";

/** The placeholders a canned reply's text may use; any other `{…}` is left as written. */
export const CANNED_PLACEHOLDERS = [
  "requester.first_name",
  "requester.last_name",
  "ticket.number",
  "ticket.title",
  "agent.first_name",
  "branch.name",
] as const;
export type CannedPlaceholder = (typeof CANNED_PLACEHOLDERS)[number];

export interface RenderFacts {
  /** The requester's language: its variant is used, else the first present (fa, en, ru). */
  language: Language | null;
  ticket: { number: string; title: string };
  requester: { firstName: string; lastName: string | null } | null;
  agent: { firstName: string } | null;
  branch?: { name: string } | null;
}

export interface RenderedCannedReply {
  body: string;
  language: Language;
}

/** The language variant a requester reads: theirs when present, else the first one written. */
export function pickCannedLanguage(
  bodies: Partial<Record<Language, string>>,
  language: Language | null,
): Language | null {
  if (language && bodies[language]) return language;
  return LANGUAGES.find((l) => bodies[l]) ?? null;
}

/**
 * A canned reply's text for one ticket: the requester's language variant with the
 * placeholders filled in (a missing fact becomes empty text; an unknown
 * placeholder stays as written, so a typo shows rather than vanishes).
 */
export function renderCannedReply(
  reply: { bodies: Partial<Record<Language, string>> },
  facts: RenderFacts,
): RenderedCannedReply {
  const language = pickCannedLanguage(reply.bodies, facts.language) ?? "fa";
  const values: Record<CannedPlaceholder, string> = {
    "requester.first_name": facts.requester?.firstName ?? "",
    "requester.last_name": facts.requester?.lastName ?? "",
    "ticket.number": facts.ticket.number,
    "ticket.title": facts.ticket.title,
    "agent.first_name": facts.agent?.firstName ?? "",
    "branch.name": facts.branch?.name ?? "",
  };
  const body = (reply.bodies[language] ?? "").replace(/\{([a-z_]+\.[a-z_]+)\}/g, (whole, key: string) =>
    key in values ? values[key as CannedPlaceholder] : whole,
  );
  return { body, language };
}
