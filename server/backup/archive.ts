import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { createGunzip, createGzip } from "node:zlib";

/**
 * The backup file: one gzip stream holding a magic line, a JSON header line, then
 * records, each a JSON line `{ "type", "name", "bytes" }` followed by exactly
 * `bytes` bytes, and a last `{ "type": "end" }` line (docs/OPERATIONS.md, "Backup
 * file format"). Plain enough to read with `zcat` and a few lines of any language.
 */
export const MAGIC = "HELPDESK-BACKUP";
/** Bumped when the layout or the meaning of a record changes; restore refuses a newer one. */
export const FORMAT_VERSION = 1;

export interface BackupHeader {
  format: number;
  createdAt: string;
  /** The database it came from. */
  driver: "pglite" | "postgres";
  /** How the database is stored: per-table JSON rows, or a pg_dump custom-format archive. */
  database: "logical" | "pg_dump";
  /** Migrations applied to that database: a restore into older code is refused. */
  migrations: number;
}

export type RecordType = "table" | "file" | "pg_dump";

export interface ArchiveWriter {
  record(type: RecordType, name: string, bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

export async function openArchiveWriter(path: string, header: BackupHeader): Promise<ArchiveWriter> {
  const gzip = createGzip();
  const out = createWriteStream(path);
  gzip.pipe(out);
  const write = async (chunk: Uint8Array | string) => {
    if (!gzip.write(chunk)) await once(gzip, "drain");
  };
  await write(`${MAGIC}\n${JSON.stringify(header)}\n`);
  return {
    async record(type, name, bytes) {
      await write(`${JSON.stringify({ type, name, bytes: bytes.byteLength })}\n`);
      await write(bytes);
    },
    async close() {
      await write(`${JSON.stringify({ type: "end" })}\n`);
      gzip.end();
      await once(out, "close");
    },
  };
}

export interface ArchiveRecord {
  type: RecordType;
  name: string;
  bytes: Buffer;
}

/** Reads the header, then yields the records one by one (one record in memory at a time). */
export async function openArchiveReader(
  path: string,
): Promise<{ header: BackupHeader; records: AsyncGenerator<ArchiveRecord> }> {
  const chunks = createReadStream(path).pipe(createGunzip())[Symbol.asyncIterator]();
  let buf = Buffer.alloc(0);
  const fill = async () => {
    const next = await chunks.next();
    if (next.done) throw new Error("the backup file ends too early (truncated?)");
    buf = Buffer.concat([buf, next.value as Buffer]);
  };
  const line = async (): Promise<string> => {
    for (;;) {
      const at = buf.indexOf(10);
      if (at >= 0) {
        const text = buf.subarray(0, at).toString("utf8");
        buf = buf.subarray(at + 1);
        return text;
      }
      if (buf.length > 1 << 20) throw new Error("not a helpdesk backup (no line break where one belongs)");
      await fill();
    }
  };
  const take = async (n: number): Promise<Buffer> => {
    while (buf.length < n) await fill();
    const out = buf.subarray(0, n);
    buf = buf.subarray(n);
    return out;
  };
  let magic: string;
  try {
    magic = await line();
  } catch (err) {
    throw new Error(`not a helpdesk backup: ${(err as Error).message}`);
  }
  if (magic !== MAGIC) throw new Error("not a helpdesk backup (wrong first line)");
  const header = JSON.parse(await line()) as BackupHeader;
  async function* records(): AsyncGenerator<ArchiveRecord> {
    for (;;) {
      const meta = JSON.parse(await line()) as { type: RecordType | "end"; name: string; bytes: number };
      if (meta.type === "end") return;
      yield { type: meta.type, name: meta.name, bytes: Buffer.from(await take(meta.bytes)) };
    }
  }
  return { header, records: records() };
}
