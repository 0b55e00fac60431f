import { createContext, useContext } from "react";
import type { ApiClient } from "./client.js";
import type { Session } from "./session.js";

export interface ApiState {
  session: Session;
  client: ApiClient;
}

/** The signed-in session and its typed client, made once at boot (main.tsx). */
export const ApiContext = createContext<ApiState | null>(null);

export function useApi(): ApiState {
  const state = useContext(ApiContext);
  if (!state) throw new Error("useApi outside the app");
  return state;
}
