import type { ChangeEvent, ChangeNotifier } from "../domain/context.js";

export type ChangeListener = (event: ChangeEvent) => void;

/**
 * In-process fan-out of committed changes (live updates in the Mini App, waking
 * the outbox worker). With several instances on one PostgreSQL, a LISTEN/NOTIFY
 * relay publishes other instances' changes into this bus too.
 */
export interface ChangeBus extends ChangeNotifier {
  subscribe(listener: ChangeListener): () => void;
}

export function createChangeBus(onListenerError?: (err: unknown) => void): ChangeBus {
  const listeners = new Set<ChangeListener>();
  return {
    changed(event) {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch (err) {
          onListenerError?.(err);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
