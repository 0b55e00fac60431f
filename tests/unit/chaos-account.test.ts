import { describe, expect, it } from "vitest";
import { accountClean, accountRun, markOf, type RunLog } from "../../scripts/chaos-account.js";
import type { FakeSend } from "../../scripts/chaos-telegram.js";

/**
 * The chaos run's verdict comes from accountRun alone, so it is checked here on
 * hand-built logs: a clean run, and each way a run can go wrong (a lost message,
 * a message stored twice, a number given twice, a notification posted twice into
 * a private chat, a part the ledger thinks was sent but Telegram never got).
 */
const REQUESTER = 7_000_001;
const STAFF = -100_123;

const send = (chatId: number, id: number, text: string, extra: Partial<FakeSend> = {}): FakeSend => ({
  method: "sendMessage",
  chatId,
  ids: [id],
  text,
  replyTo: null,
  at: 0,
  ...extra,
});

function cleanLog(): RunLog {
  return {
    accepted: [markOf(1), markOf(2), markOf(3)],
    stored: [markOf(1), markOf(2), markOf(3)],
    ticketNumbers: ["T-20261206-0001", "T-20261206-0002"],
    notificationStates: { sent: 4, skipped: 1 },
    ledgerStates: { sent: 3 },
    sentParts: [
      { key: "n1:0", chatId: STAFF, ids: [10] },
      { key: "n2:0", chatId: REQUESTER, ids: [5] },
      { key: "n3:0", chatId: REQUESTER, ids: [6] },
    ],
    sends: [
      // A merged staff post carries two messages, each once.
      send(STAFF, 10, `Still broken ${markOf(1)}\nStill broken ${markOf(2)}`),
      send(REQUESTER, 5, `Try again ${markOf(3)}`),
      send(REQUESTER, 6, "✉️ Added to T-20261206-0001", { replyTo: 50_001 }),
    ],
    expected: [
      { chatId: STAFF, mark: markOf(1) },
      { chatId: STAFF, mark: markOf(2) },
      { chatId: REQUESTER, mark: markOf(3) },
    ],
  };
}

describe("accountRun", () => {
  it("finds a clean run clean", () => {
    const a = accountRun(cleanLog());
    expect(a).toMatchObject({ acceptedMessages: 3, storedOnce: 3, delivered: 3, otherPosts: 0 });
    expect(accountClean(a)).toBe(true);
  });

  it("counts an accepted message that was never stored as lost", () => {
    const log = cleanLog();
    log.stored = [markOf(1), markOf(3)];
    const a = accountRun(log);
    expect(a.lostMessages).toEqual([markOf(2)]);
    expect(accountClean(a)).toBe(false);
  });

  it("counts a message stored twice and a ticket number given twice", () => {
    const log = cleanLog();
    log.stored.push(markOf(3));
    log.ticketNumbers.push("T-20261206-0002");
    const a = accountRun(log);
    expect(a.duplicateMessages).toEqual([markOf(3)]);
    expect(a.duplicateTicketNumbers).toEqual(["T-20261206-0002"]);
    expect(accountClean(a)).toBe(false);
  });

  it("finds a private post sent again after its answer was lost", () => {
    const log = cleanLog();
    // The first send arrived (id 5) but the product died before writing the answer;
    // the retry sent it again and the ledger recorded the second (id 7).
    log.sentParts[1] = { key: "n2:0", chatId: REQUESTER, ids: [7] };
    log.sends.push(send(REQUESTER, 7, `Try again ${markOf(3)}`));
    const a = accountRun(log);
    expect(a.resentPrivate.map((s) => s.ids)).toEqual([[5]]);
    expect(a.markTwicePrivate).toEqual([`${REQUESTER} ${markOf(3)}`]);
    expect(accountClean(a)).toBe(false);
  });

  it("reports a staff group re-send apart (groups are at-least-once by design)", () => {
    const log = cleanLog();
    log.sentParts[0] = { key: "n1:0", chatId: STAFF, ids: [11] };
    log.sends.push(send(STAFF, 11, log.sends[0].text));
    const a = accountRun(log);
    expect(a.resentGroup).toHaveLength(1);
    expect(a.markTwiceGroup).toHaveLength(2);
    expect(accountClean(a)).toBe(true);
  });

  it("finds a part recorded as sent that the Bot API never received, and rows left behind", () => {
    const log = cleanLog();
    log.sentParts.push({ key: "n4:0", chatId: REQUESTER, ids: [99] });
    log.notificationStates.pending = 1;
    log.ledgerStates.intent = 1;
    const a = accountRun(log);
    expect(a.phantomParts).toEqual(["n4:0"]);
    expect(a.stuck).toBe(1);
    expect(a.openParts).toBe(1);
    expect(accountClean(a)).toBe(false);
  });

  it("finds an outbox row marked sent whose words reached no post of its chat", () => {
    const log = cleanLog();
    log.expected.push({ chatId: REQUESTER, mark: markOf(1) });
    const a = accountRun(log);
    expect(a.missingPosts).toEqual([`${REQUESTER} ${markOf(1)}`]);
    expect(accountClean(a)).toBe(false);
  });

  it("tells the bot's own answers (not in the ledger, repeating nothing) from re-sends", () => {
    const log = cleanLog();
    log.sends.push(send(REQUESTER, 8, "Unknown command"));
    const a = accountRun(log);
    expect(a.otherPosts).toBe(1);
    expect(a.resentPrivate).toHaveLength(0);
    expect(accountClean(a)).toBe(true);
  });
});
