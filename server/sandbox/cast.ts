/**
 * Who lives in the sandbox and what its chats hold: the simulated people (one
 * requester per language and the staff) and a chat message as the /sandbox page
 * shows it. Kept apart from the stand-in Bot API (world.ts) that moves them.
 */

export type Persona = "owner" | "moderator" | "agent" | "auditor" | "requester";

export interface SandboxPerson {
  id: number;
  firstName: string;
  lastName?: string;
  username: string;
  language: "fa" | "en" | "ru";
  role: Persona;
}

/** The people of the sandbox: three requesters (one per language) and the staff. */
export const SANDBOX_PEOPLE: SandboxPerson[] = [
  {
    id: 710_001,
    firstName: "Sara",
    lastName: "Ahmadi",
    username: "sara_parent",
    language: "fa",
    role: "requester",
  },
  {
    id: 710_002,
    firstName: "Tom",
    lastName: "Baker",
    username: "tom_teacher",
    language: "en",
    role: "requester",
  },
  {
    id: 710_003,
    firstName: "Olga",
    lastName: "Ivanova",
    username: "olga_student",
    language: "ru",
    role: "requester",
  },
  {
    id: 720_001,
    firstName: "Maryam",
    lastName: "Karimi",
    username: "maryam_owner",
    language: "fa",
    role: "owner",
  },
  {
    id: 720_002,
    firstName: "Reza",
    lastName: "Moradi",
    username: "reza_mod",
    language: "fa",
    role: "moderator",
  },
  {
    id: 720_003,
    firstName: "Anna",
    lastName: "Smith",
    username: "anna_agent",
    language: "en",
    role: "agent",
  },
  {
    id: 720_004,
    firstName: "Ivan",
    lastName: "Petrov",
    username: "ivan_audit",
    language: "ru",
    role: "auditor",
  },
];

export interface ChatMessage {
  id: number;
  from: { id: number; name: string; bot: boolean };
  text?: string;
  caption?: string;
  /** Telegram's HTML parse mode was asked for (the page renders the few allowed tags). */
  html: boolean;
  replyMarkup?: unknown;
  threadId?: number;
  replyTo?: number;
  /** A photo or document, by file name (or kind). */
  file?: { kind: string; name: string };
  edited?: boolean;
}
