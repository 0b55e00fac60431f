import {
  bootstrapOwners,
  type ContextFactory,
  type Db,
  findUserByTelegramId,
  setUserRole,
  upsertTelegramUser,
} from "../domain/index.js";
import type { SandboxPerson } from "./cast.js";

/**
 * The sandbox's staff exist before anyone opens the Mini App: the owner is bootstrapped,
 * the others get their roles from the owner through the same verb an admin uses.
 */
export async function prepareSandboxPeople(db: Db, contexts: ContextFactory, people: SandboxPerson[]) {
  const staff = people.filter((p) => p.role !== "requester");
  for (const p of staff) {
    await upsertTelegramUser(
      db,
      {
        telegramId: p.id,
        firstName: p.firstName,
        lastName: p.lastName,
        username: p.username,
        languageCode: p.language,
      },
      { language: p.language },
    );
  }
  const owners = staff.filter((p) => p.role === "owner");
  await bootstrapOwners(
    db,
    owners.map((p) => p.id),
    owners[0]?.language ?? "fa",
  );
  const owner = await findUserByTelegramId(db, owners[0].id);
  if (!owner) return;
  for (const p of staff.filter((x) => x.role !== "owner")) {
    const user = await findUserByTelegramId(db, p.id);
    if (user && user.role !== p.role)
      await setUserRole({ ctx: contexts.forUser(owner), input: { userId: user.id, role: p.role } });
  }
}
