import { AsyncLocalStorage } from "node:async_hooks";
import type { PGlite } from "@electric-sql/pglite";

/**
 * PGlite runs one statement (or one transaction) at a time, in the order asked. In a
 * burst the bot's updates and the outbox queue hundreds of them, and a person's
 * request in the Mini App waited behind all of them: the queue's p95 rose from 37 ms
 * idle to 470–1,240 ms (docs/NOTIFICATIONS.md, "Burst benchmark"). Work started
 * inside `firstInLine` (the HTTP API's requests) goes before everything waiting when
 * the database is next free; it still waits for the statement or transaction that
 * runs. PostgreSQL serves many connections at once and needs none of this.
 */
const lane = new AsyncLocalStorage<true>();

/**
 * Runs `work` with its database calls ahead of the queued ones (PGlite only). What
 * `work` starts and does not await (an event-bus listener, say) inherits the place,
 * as asynchronous context does; the API starts little such work.
 */
export const firstInLine = <T>(work: () => Promise<T>): Promise<T> => lane.run(true, work);

/** One holder at a time; those waiting in `firstInLine` are let in before the others. */
class Turns {
  #busy = false;
  readonly #first: (() => void)[] = [];
  readonly #rest: (() => void)[] = [];

  async take(): Promise<void> {
    if (!this.#busy) {
      this.#busy = true;
      return;
    }
    await new Promise<void>((resolve) => (lane.getStore() ? this.#first : this.#rest).push(resolve));
  }

  /**
   * The next turn is handed over on the event loop's next round, not at once: PGlite
   * runs a statement synchronously and resolves the next waiter in a microtask, so a
   * long queue would drain in one go while the request that should jump it waits for
   * its I/O (sign-in check, body) to be read. Between turns that I/O is taken in.
   */
  give(): void {
    if (this.#first.length === 0 && this.#rest.length === 0) {
      this.#busy = false;
      return;
    }
    setImmediate(() => {
      const next = this.#first.shift() ?? this.#rest.shift();
      if (next) next();
      else this.#busy = false;
    });
  }
}

/**
 * The same PGlite, its `query`, `exec` and `transaction` taking turns as above. A
 * transaction holds its turn to the end, as PGlite's own lock does; its statements go
 * through the transaction object, not through here.
 */
export function takingTurns(pglite: PGlite): PGlite {
  const turns = new Turns();
  const inTurn =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await turns.take();
      try {
        return await call(...args);
      } finally {
        turns.give();
      }
    };
  const query = inTurn(pglite.query.bind(pglite));
  const exec = inTurn(pglite.exec.bind(pglite));
  const transaction = inTurn(pglite.transaction.bind(pglite));
  // Closed in turn: calls asked before close() still finish, as with PGlite's own lock.
  const close = inTurn(pglite.close.bind(pglite));
  return new Proxy(pglite, {
    get(target, prop) {
      if (prop === "query") return query;
      if (prop === "exec") return exec;
      if (prop === "transaction") return transaction;
      if (prop === "close") return close;
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
