import { beforeAll, describe, expect, it } from "vitest";
import { createTicket } from "../../server/domain/index.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { setupFakeTelegram } from "../jobs/outbox-harness.js";
import { setupApi } from "./http-harness.js";

const world = setupTestWorld();
const fakeTelegram = setupFakeTelegram();
const api = setupApi(world, { telegramApiRoot: () => fakeTelegram().url });
let w: World;
beforeAll(() => {
  w = world();
});

describe("attachments kept only in Telegram", () => {
  it("are fetched with getFile and streamed to those who may see the ticket", async () => {
    const session = await api().login(930_001);
    const [me] = await w.db.query.users.findMany({ where: (u, { eq }) => eq(u.id, session.user.id) });
    const ticket = await createTicket({
      ctx: w.ctx(me),
      input: {
        title: "Photo from the bot",
        categoryId: await w.categoryId(),
        attachments: [
          {
            kind: "photo",
            fileName: "screen.jpg",
            mimeType: "image/jpeg",
            sizeBytes: 1000,
            tgFileId: "AgACphoto42",
            tgFileUniqueId: "u42",
          },
        ],
      },
    });
    const [file] = await w.db.query.attachments.findMany({ where: (a, { eq }) => eq(a.ticketId, ticket.id) });
    const res = await api().call(session.accessToken, "GET", `/api/files/${file.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/jpeg");
    expect(await res.text()).toContain("bytes of");
    expect(fakeTelegram().callsOf("getFile").at(-1)?.params.file_id).toBe("AgACphoto42");
    const stranger = await api().login(930_002);
    expect((await api().call(stranger.accessToken, "GET", `/api/files/${file.id}`)).status).toBe(404);
  });
});
