import { validate } from "@telegram-apps/init-data-node";
import { z } from "zod";
import { DomainError } from "../domain/errors.js";

/** Telegram sends a few hundred bytes; anything this large is not initData. */
export const MAX_INIT_DATA_LENGTH = 4096;
/** Clock skew tolerated for auth_date in the future. */
const FUTURE_SKEW_S = 60;

export interface InitDataUser {
  id: number;
  firstName: string;
  lastName?: string;
  username?: string;
  languageCode?: string;
}

export interface VerifiedInitData {
  user: InitDataUser;
  authDate: Date;
  startParam?: string;
}

const refuse = (reason: string) => new DomainError("UNAUTHENTICATED", { reason });

/**
 * Checks Telegram's signed initData (HMAC-SHA256 keyed by the bot token, constant
 * time compare, done by @telegram-apps/init-data-node) and the rules around it:
 * not older than maxAgeS, not from the future, no repeated keys (a second "user"
 * must not ride along unsigned), a user present. Every failure is UNAUTHENTICATED.
 */
export function verifyInitData(
  raw: string,
  botToken: string,
  maxAgeS: number,
  now = new Date(),
): VerifiedInitData {
  if (!raw || raw.length > MAX_INIT_DATA_LENGTH) throw refuse("size");
  const params = new URLSearchParams(raw);
  const keys = [...params.keys()];
  if (new Set(keys).size !== keys.length) throw refuse("duplicate_keys");
  try {
    validate(params, botToken, { expiresIn: maxAgeS });
  } catch {
    throw refuse("signature_or_expiry");
  }
  const authDate = new Date(Number(params.get("auth_date")) * 1000);
  if (Number.isNaN(authDate.getTime())) throw refuse("malformed");
  if (authDate.getTime() > now.getTime() + FUTURE_SKEW_S * 1000) throw refuse("future");
  if (now.getTime() - authDate.getTime() > maxAgeS * 1000) throw refuse("expired");
  const u = parseUser(params.get("user"));
  if (!u) throw refuse("no_user");
  return {
    user: {
      id: u.id,
      firstName: u.first_name,
      lastName: u.last_name,
      username: u.username,
      languageCode: u.language_code,
    },
    authDate,
    startParam: params.get("start_param") ?? undefined,
  };
}

const initDataUser = z.object({
  id: z.number().int().positive(),
  first_name: z.string().max(256).default(""),
  last_name: z.string().max(256).optional(),
  username: z.string().max(64).optional(),
  language_code: z.string().max(35).optional(),
});

function parseUser(json: string | null) {
  if (!json) return null;
  try {
    const parsed = initDataUser.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
