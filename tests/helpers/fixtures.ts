import { eq } from "drizzle-orm";
import { afterAll, beforeAll } from "vitest";
import type { Db, DbHandle } from "../../drizzle/client.js";
import {
  type Branch,
  branches,
  categories,
  type Role,
  type User,
  users,
} from "../../drizzle/schema/index.js";
import {
  type ChangeEvent,
  type Clock,
  createContextFactory,
  type ServiceContext,
  SYSTEM_ACTOR,
} from "../../server/domain/index.js";
import { createTestDb } from "./db.js";

let nextTelegramId = 100_000;

/** A clock that moves one millisecond per reading, so every row has its own time. */
export function tickingClock(start = new Date("2026-03-20T08:00:00Z")): Clock & { set(d: Date): void } {
  let t = start.getTime();
  return {
    now: () => new Date(t++),
    set: (d: Date) => {
      t = d.getTime();
    },
  };
}

export interface World {
  db: Db;
  clock: ReturnType<typeof tickingClock>;
  changes: ChangeEvent[];
  ctx(user: User): ServiceContext;
  system(): ServiceContext;
  user(role: Role, opts?: Partial<User>): Promise<User>;
  branch(code?: string): Promise<Branch>;
  categoryId(code?: string): Promise<string>;
}

/** Builds users, branches and contexts on a test database. */
export function createWorld(db: Db, opts: { staffChatId?: number | null; timeZone?: string } = {}): World {
  const clock = tickingClock();
  const changes: ChangeEvent[] = [];
  const factory = createContextFactory({
    db,
    clock,
    settings: {
      timeZone: opts.timeZone ?? "Asia/Tehran",
      staffChatId: opts.staffChatId === undefined ? -1001000 : opts.staffChatId,
      maxFileBytes: 10 * 1024 * 1024,
    },
    notify: { changed: (e) => changes.push(e) },
  });
  return {
    db,
    clock,
    changes,
    ctx: (user) => factory.forUser(user),
    system: () => ({ ...factory.forSystem(), actor: SYSTEM_ACTOR }),
    async user(role, extra = {}) {
      const telegramId = nextTelegramId++;
      const [row] = await db
        .insert(users)
        .values({ telegramId, firstName: `${role}-${telegramId}`, role, language: "en", ...extra })
        .returning();
      return row;
    },
    async branch(code = `b${Math.random().toString(36).slice(2, 8)}`) {
      const [row] = await db
        .insert(branches)
        .values({ code, name: { fa: `شعبه ${code}`, en: `Branch ${code}` } })
        .returning();
      return row;
    },
    async categoryId(code = "network") {
      const [row] = await db.select({ id: categories.id }).from(categories).where(eq(categories.code, code));
      return row.id;
    },
  };
}

/**
 * Registers a fresh database and world for the calling test file; the returned
 * function gives the world once beforeAll has run.
 */
export function setupTestWorld(opts: Parameters<typeof createWorld>[1] = {}): () => World {
  let handle: DbHandle | undefined;
  let world: World | undefined;
  beforeAll(async () => {
    handle = await createTestDb();
    world = createWorld(handle.db, opts);
  });
  afterAll(async () => {
    await handle?.close();
  });
  return () => {
    if (!world) throw new Error("setupTestWorld: the world exists only inside tests and hooks");
    return world;
  };
}

/** "ok" or the DomainError code a call ended with: matrix tests compare these. */
export const outcome = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => "ok",
    (e) => e?.code ?? String(e),
  );
