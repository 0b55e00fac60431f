import { inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { liveChats, type User, users } from "../../drizzle/schema/index.js";
import {
  acceptLive,
  askLive,
  endLive,
  liveChatOfTicket,
  myOpenLiveChat,
  type ServiceContext,
  setLivePresence,
  signalLiveTyping,
} from "../../server/domain/index.js";
import { outcome, setupTestWorld, type World } from "../helpers/fixtures.js";

/** Live chat's typing from the Mini App, and the reads its chat view is drawn from. */
const world = setupTestWorld();
let w: World;
/** Telegram chats the TypingIndicator port was asked to show "typing…" in. */
const shownIn: number[] = [];
const withTyping = (u: User): ServiceContext => ({
  ...w.ctx(u),
  typing: { show: (chat) => shownIn.push(chat) },
});

let requester: User;
let operator: User;
let chatId: string;
let ticketId: string;

beforeAll(async () => {
  w = world();
  await w.db.update(users).set({ presence: "offline" });
  await w.db
    .update(liveChats)
    .set({ state: "ended" })
    .where(inArray(liveChats.state, ["queued", "offered", "active"]));
  requester = await w.user("requester");
  operator = await w.user("agent");
  const asked = await askLive({ ctx: w.ctx(requester), input: {} });
  if (asked.outcome === "closed_hours") throw new Error("closed");
  chatId = asked.chat.id;
  ticketId = asked.chat.ticketId;
});

/** Lets the chat's typing throttle forget the last signal, as 3 s passing would. */
const forgetThrottle = () =>
  w.db.execute(
    sql`update rate_buckets set updated_at = updated_at - interval '10 seconds' where key like ${`live_typing:${chatId}:%`}`,
  );

describe("typing in a live chat", () => {
  it("shows nobody anything while the chat waits, and names the requester's side", async () => {
    expect(await signalLiveTyping({ ctx: withTyping(requester), input: { chatId } })).toEqual({
      shown: false,
    });
    expect(shownIn).toEqual([]);
    const mine = await myOpenLiveChat({ ctx: w.ctx(requester) });
    expect(mine).toMatchObject({ id: chatId, state: "queued", position: 1, operatorName: null });
    expect(await liveChatOfTicket({ ctx: w.ctx(requester), input: { ticketId } })).toMatchObject({
      side: "requester",
      state: "queued",
    });
  });

  it("passes each side's typing to the other's private chat and screen, one per gap", async () => {
    await setLivePresence({ ctx: w.ctx(operator), input: { presence: "online" } });
    await acceptLive({ ctx: w.ctx(operator), input: { chatId } });
    expect(await liveChatOfTicket({ ctx: w.ctx(operator), input: { ticketId } })).toMatchObject({
      side: "operator",
      state: "active",
      operatorName: operator.firstName,
    });
    w.changes.length = 0;

    expect(await signalLiveTyping({ ctx: withTyping(requester), input: { chatId } })).toEqual({
      shown: true,
    });
    expect(shownIn).toEqual([operator.telegramId]);
    expect(w.changes).toEqual([
      expect.objectContaining({ type: "live.typing", ticketId, by: requester.id, requesterId: requester.id }),
    ]);
    // Again at once: too soon, nothing more is shown.
    expect(await signalLiveTyping({ ctx: withTyping(requester), input: { chatId } })).toEqual({
      shown: false,
    });
    expect(shownIn).toHaveLength(1);

    // The operator's own pace is apart from the requester's.
    expect(await signalLiveTyping({ ctx: withTyping(operator), input: { chatId } })).toEqual({ shown: true });
    expect(shownIn).toEqual([operator.telegramId, requester.telegramId]);
    expect(w.changes.at(-1)).toMatchObject({ type: "live.typing", by: operator.id });

    await forgetThrottle();
    expect(await signalLiveTyping({ ctx: withTyping(requester), input: { chatId } })).toEqual({
      shown: true,
    });
    expect(shownIn).toHaveLength(3);
  });

  it("refuses everyone but the two sides, and hides the chat from those who cannot see its ticket", async () => {
    const stranger = await w.user("requester");
    const colleague = await w.user("agent");
    const otherBranch = await w.user("agent", { branchId: (await w.branch()).id });
    expect(await outcome(signalLiveTyping({ ctx: withTyping(stranger), input: { chatId } }))).toBe(
      "NOT_FOUND",
    );
    expect(await outcome(signalLiveTyping({ ctx: withTyping(colleague), input: { chatId } }))).toBe(
      "FORBIDDEN",
    );
    expect(await outcome(liveChatOfTicket({ ctx: w.ctx(stranger), input: { ticketId } }))).toBe("NOT_FOUND");
    expect(await liveChatOfTicket({ ctx: w.ctx(colleague), input: { ticketId } })).toMatchObject({
      side: "observer",
    });
    expect(await myOpenLiveChat({ ctx: w.ctx(stranger) })).toBeNull();
    expect(await outcome(signalLiveTyping({ ctx: withTyping(requester), input: { chatId: "x" } }))).toBe(
      "VALIDATION",
    );
    // An agent of a branch sees only that branch's tickets: this branchless one does not exist for them.
    expect(await outcome(signalLiveTyping({ ctx: withTyping(otherBranch), input: { chatId } }))).toBe(
      "NOT_FOUND",
    );
    expect(await outcome(liveChatOfTicket({ ctx: w.ctx(otherBranch), input: { ticketId } }))).toBe(
      "NOT_FOUND",
    );
  });

  it("shows nothing once the chat has ended", async () => {
    await forgetThrottle();
    await endLive({ ctx: w.ctx(operator), input: { chatId } });
    const before = shownIn.length;
    expect(await signalLiveTyping({ ctx: withTyping(requester), input: { chatId } })).toEqual({
      shown: false,
    });
    expect(shownIn).toHaveLength(before);
    expect(await myOpenLiveChat({ ctx: w.ctx(requester) })).toBeNull();
  });
});
