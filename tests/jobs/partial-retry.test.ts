import { beforeAll, describe, expect, it } from "vitest";
import { createTicket } from "../../server/domain/index.js";
import { FAILURES } from "../../server/sandbox/bot-api/server.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { deliveryWorker, drainAll, setupFakeTelegram } from "./outbox-harness.js";

/**
 * A post made of several calls (a card, the rest of a long description, an album, a
 * document) that fails half-way is finished by its retry: nothing sent twice, nothing
 * left out.
 */
const STAFF = -1007500;
const world = setupTestWorld({ staffChatId: STAFF });
const fakeTelegram = setupFakeTelegram();
let w: World;
beforeAll(() => {
  w = world();
});

const photo = (n: number) => ({
  kind: "photo" as const,
  fileName: `p${n}.jpg`,
  mimeType: "image/jpeg",
  sizeBytes: 1000,
  tgFileId: `AgACretry${n}`,
});

describe("a delivery that fails half-way", () => {
  it.each([
    ["the rest of the description", "sendMessage", 1],
    ["the album", "sendMediaGroup", 0],
    ["the document", "sendDocument", 0],
  ])("is finished by its retry when %s fails once: each part arrives once", async (_what, failing, after) => {
    const fake = fakeTelegram();
    const worker = await deliveryWorker(w.db, fake);
    const requester = await w.user("requester");
    const description = Array.from({ length: 400 }, (_, i) => `word${i}`)
      .join(" ")
      .repeat(2)
      .slice(0, 3990)
      .trim();
    await createTicket({
      ctx: w.ctx(requester),
      input: {
        title: `Half-way ${failing}`,
        description,
        categoryId: await w.categoryId(),
        attachments: [
          photo(1),
          photo(2),
          {
            kind: "document",
            fileName: "log.txt",
            mimeType: "text/plain",
            sizeBytes: 10,
            tgFileId: "BQACretrylog",
          },
        ],
      },
    });
    const before = fake.calls.length;
    // The card is the first sendMessage to the group, the description's rest the second.
    fake.failNext(failing, FAILURES.serverError(), { chatId: STAFF, after });
    await drainAll(worker, w.db, 30_000);
    const ok = fake.calls
      .slice(before)
      .filter((c) => Number(c.params.chat_id) === STAFF && !c.failure && c.method.startsWith("send"));
    expect(ok.map((c) => c.method)).toEqual(["sendMessage", "sendMessage", "sendMediaGroup", "sendDocument"]);
  });
});
