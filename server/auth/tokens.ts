import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull } from "drizzle-orm";
import { jwtVerify, SignJWT } from "jose";
import type { Db } from "../../drizzle/client.js";
import { refreshTokens } from "../../drizzle/schema/index.js";
import { DomainError } from "../domain/errors.js";

export const ACCESS_TTL_S = 15 * 60;
export const REFRESH_TTL_S = 30 * 24 * 3600;

const hash = (token: string) => createHash("sha256").update(token).digest("hex");

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/**
 * Short-lived access JWTs (HS256) and rotating refresh tokens stored only as a
 * hash. Using a refresh token replaces it; presenting one that was already
 * replaced means it leaked, so every token of that user is revoked.
 */
export function createTokenService(db: Db, secret: string, now: () => Date = () => new Date()) {
  const key = new TextEncoder().encode(secret);

  async function issue(userId: string): Promise<TokenPair> {
    const at = now();
    const accessToken = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(userId)
      .setIssuedAt(Math.floor(at.getTime() / 1000))
      .setExpirationTime(Math.floor(at.getTime() / 1000) + ACCESS_TTL_S)
      .sign(key);
    const refreshToken = randomBytes(32).toString("base64url");
    await db.insert(refreshTokens).values({
      userId,
      tokenHash: hash(refreshToken),
      expiresAt: new Date(at.getTime() + REFRESH_TTL_S * 1000),
    });
    return { accessToken, refreshToken, expiresIn: ACCESS_TTL_S };
  }

  return {
    issue,
    /** The user id of a valid access token; UNAUTHENTICATED otherwise. */
    async verifyAccess(token: string): Promise<string> {
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: ["HS256"], currentDate: now() });
        if (!payload.sub) throw new Error("no subject");
        return payload.sub;
      } catch {
        throw new DomainError("UNAUTHENTICATED", { reason: "access_token" });
      }
    },
    async rotate(refreshToken: string): Promise<{ userId: string; pair: TokenPair }> {
      const [row] = await db
        .select()
        .from(refreshTokens)
        .where(eq(refreshTokens.tokenHash, hash(refreshToken)));
      if (!row) throw new DomainError("UNAUTHENTICATED", { reason: "refresh_unknown" });
      if (row.revokedAt) {
        await db
          .update(refreshTokens)
          .set({ revokedAt: now() })
          .where(and(eq(refreshTokens.userId, row.userId), isNull(refreshTokens.revokedAt)));
        throw new DomainError("UNAUTHENTICATED", { reason: "refresh_reused" });
      }
      if (row.expiresAt <= now()) throw new DomainError("UNAUTHENTICATED", { reason: "refresh_expired" });
      // Conditional revoke: of two refreshes racing with one token, one wins.
      const [revoked] = await db
        .update(refreshTokens)
        .set({ revokedAt: now() })
        .where(
          and(
            eq(refreshTokens.id, row.id),
            isNull(refreshTokens.revokedAt),
            gt(refreshTokens.expiresAt, now()),
          ),
        )
        .returning();
      if (!revoked) throw new DomainError("UNAUTHENTICATED", { reason: "refresh_reused" });
      const pair = await issue(row.userId);
      return { userId: row.userId, pair };
    },
    async revoke(refreshToken: string): Promise<void> {
      await db
        .update(refreshTokens)
        .set({ revokedAt: now() })
        .where(and(eq(refreshTokens.tokenHash, hash(refreshToken)), isNull(refreshTokens.revokedAt)));
    },
  };
}
export type TokenService = ReturnType<typeof createTokenService>;
