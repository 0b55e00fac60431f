/**
 * For scripts/systemd-check.sh: a write the product makes into DATA_DIR, through
 * its API as the Mini App makes it. Signs in on the instance at the given port
 * with signed initData (BOT_TOKEN from the environment), opens a ticket with a
 * small PDF attached (kept under DATA_DIR/files) and reads the file back.
 * Prints one JSON line: { ok, detail, id }; exits 1 when it did not work.
 *
 *   BOT_TOKEN=… node --import tsx scripts/systemd-check/upload.ts 3001
 */
import { signInitData } from "../../tests/helpers/init-data.js";

const port = Number(process.argv[2] ?? 3001);
const base = `http://127.0.0.1:${port}`;
const botToken = process.env.BOT_TOKEN ?? "";

async function main() {
  const initData = signInitData({ user: { id: 7_700_001, first_name: "systemd check" } }, botToken);
  const auth = await fetch(`${base}/api/auth/telegram`, {
    method: "POST",
    headers: { authorization: `tma ${initData}` },
  });
  if (auth.status !== 200) throw new Error(`sign-in: ${auth.status} ${await auth.text()}`);
  const { accessToken } = (await auth.json()) as { accessToken: string };
  const headers = { authorization: `Bearer ${accessToken}` };

  const categories = (await (await fetch(`${base}/api/categories`, { headers })).json()) as Array<{
    id: string;
  }>;
  if (!Array.isArray(categories) || categories.length === 0) throw new Error("no category to file under");

  const form = new FormData();
  form.set("title", "systemd check: an attachment");
  form.set("description", "written under ProtectSystem=strict");
  form.set("categoryId", categories[0].id);
  const bytes = Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(4096, 0x20)]);
  form.append("files", new Blob([bytes], { type: "application/pdf" }), "systemd-check.pdf");
  const created = await fetch(`${base}/api/tickets`, { method: "POST", headers, body: form });
  const text = await created.text();
  if (created.status !== 201) throw new Error(`ticket with a file: ${created.status} ${text}`);
  const { id } = JSON.parse(text) as { id: string };
  const ticket = (await (await fetch(`${base}/api/tickets/${id}`, { headers })).json()) as {
    id: string;
    attachments?: Array<{ id: string }>;
  };
  const attachment = ticket.attachments?.[0];
  if (!attachment) throw new Error(`no attachment on ticket ${ticket.id}`);

  // Read back from DATA_DIR through the product.
  const back = await fetch(`${base}/api/files/${attachment.id}`, { headers });
  const got = Buffer.from(await back.arrayBuffer());
  if (back.status !== 200 || !got.equals(bytes))
    throw new Error(`reading the file back: ${back.status}, ${got.length} of ${bytes.length} bytes`);
  return {
    ok: true,
    detail: `ticket ${ticket.id}: ${bytes.length} bytes stored and read back`,
    id: attachment.id,
  };
}

main().then(
  (result) => console.log(JSON.stringify(result)),
  (err: Error) => {
    console.log(JSON.stringify({ ok: false, detail: err.message }));
    process.exit(1);
  },
);
