import type { Db } from "../../drizzle/client.js";
import type { Role } from "../../drizzle/schema/index.js";

/**
 * Who performs an operation. Doors build it from the authenticated user; jobs use
 * SYSTEM_ACTOR, which passes every permission check but is recorded as no user.
 */
export interface Actor {
  id: string | null;
  role: Role | "system";
  branchId: string | null;
  telegramId: number | null;
  /**
   * A shadow-banned requester in the API: their writes are answered and not kept
   * (server/domain/abuse/shadow.ts). The bot drops their messages before any verb.
   */
  shadowed?: boolean;
}

export const SYSTEM_ACTOR: Actor = Object.freeze({
  id: null,
  role: "system",
  branchId: null,
  telegramId: null,
});

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** A committed change, published after the transaction (live updates, outbox wake-up). */
export interface ChangeEvent {
  /** `live.typing`: one side of a live chat is typing in the Mini App (nothing changed; docs/LIVE.md). */
  type: "ticket.created" | "ticket.updated" | "message.created" | "live.typing";
  ticketId: string;
  branchId: string | null;
  requesterId: string;
  assigneeId: string | null;
  /** Internal notes are announced to staff only. */
  internal?: boolean;
  /** live.typing: who is typing (the other side's screen shows it, theirs does not). */
  by?: string;
}

export interface ChangeNotifier {
  changed(event: ChangeEvent): void;
}
export const silentNotifier: ChangeNotifier = { changed: () => {} };

/** Where attachment bytes are kept when a copy is stored (local directory or S3). */
export interface FileStore {
  put(key: string, bytes: Uint8Array): Promise<string>;
  get(path: string): Promise<Uint8Array | null>;
  /** Forgets a stored file (an upload whose message was refused); a missing one is fine. */
  remove(key: string): Promise<void>;
}

/**
 * Shows "typing…" in someone's private chat with the bot (Telegram's sendChatAction,
 * about 5 s): the other side of a live chat typing in the Mini App. Best effort and
 * at once, never through the outbox: a late or lost one is worth nothing.
 */
export interface TypingIndicator {
  show(telegramChatId: number): void;
}

/** Settings the domain reads from configuration rather than from the database. */
export interface DomainSettings {
  timeZone: string;
  /** Global staff chat from the environment; the settings table can override it. */
  staffChatId: number | null;
  maxFileBytes: number;
}

export interface ServiceContext {
  db: Db;
  actor: Actor;
  clock: Clock;
  notify: ChangeNotifier;
  files?: FileStore;
  /** Unset (no bot, tests): typing reaches the Mini App only. */
  typing?: TypingIndicator;
  settings: DomainSettings;
  /**
   * The automation rule making this change (server/domain/automation): its history rows
   * say so, and its changes queue no rules again, so rules never loop.
   */
  rule?: { id: string; name: string };
  /** Why the system makes this change (e.g. "sla_escalation"): the comment of its history rows. */
  because?: string;
}

/** Builds a context for the same deployment with another actor (e.g. system jobs). */
export function withActor(ctx: ServiceContext, actor: Actor): ServiceContext {
  return { ...ctx, actor };
}
