import type { IncomingMessage } from "node:http";

export interface UploadedFile {
  field: string;
  fileName: string;
  mimeType: string;
  bytes: Buffer;
}

export interface ParsedRequest {
  params: Record<string, unknown>;
  files: UploadedFile[];
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Telegram accepts JSON-valued fields as strings (reply_markup, media, …). */
function maybeJson(value: string): unknown {
  const t = value.trim();
  if ((t.startsWith("{") && t.endsWith("}")) || (t.startsWith("[") && t.endsWith("]"))) {
    try {
      return JSON.parse(t);
    } catch {
      return value;
    }
  }
  return value;
}

/** Parameters from the query string and a JSON, urlencoded or multipart body, as the Bot API takes them. */
export async function parseBotRequest(req: IncomingMessage, url: URL): Promise<ParsedRequest> {
  const params: Record<string, unknown> = {};
  for (const [k, v] of url.searchParams) params[k] = maybeJson(v);
  const files: UploadedFile[] = [];
  const body = await readBody(req);
  const type = req.headers["content-type"] ?? "";
  if (body.length === 0) return { params, files };
  if (type.includes("application/json")) {
    Object.assign(params, JSON.parse(body.toString("utf8")));
  } else if (type.includes("application/x-www-form-urlencoded")) {
    for (const [k, v] of new URLSearchParams(body.toString("utf8"))) params[k] = maybeJson(v);
  } else if (type.includes("multipart/form-data")) {
    const form = await new Response(new Uint8Array(body), { headers: { "content-type": type } }).formData();
    for (const [k, v] of form) {
      if (typeof v === "string") params[k] = maybeJson(v);
      else {
        const bytes = Buffer.from(await v.arrayBuffer());
        files.push({ field: k, fileName: v.name, mimeType: v.type || "application/octet-stream", bytes });
        params[k] = `attach://${k}`;
      }
    }
  }
  return { params, files };
}
