import type { Notification, ReportDocument } from "../../server/domain/index.js";
import { DeliveryError, type DeliveryResult } from "../../server/domain/index.js";
import type { Deps } from "./deliverer.js";
import { callTelegram } from "./telegram-call.js";

/** An upload carries the whole file: a report of a few MB on a slow uplink needs more than 15 s. */
const UPLOAD_TIMEOUT_MS = 120_000;

/** The report file an outbox row carries (`payload.document`, server/domain/report-delivery/queue.ts), if any. */
export function reportDocumentOf(n: Notification): ReportDocument | null {
  const doc = (n.payload as { document?: ReportDocument }).document;
  return doc && typeof doc.path === "string" ? doc : null;
}

/**
 * Posts a report file to its chat with sendDocument, its caption already in the
 * chat's language. Through the same Bot API seam (and budget, and send ledger) as
 * every post. Bytes gone from the file store can never be sent: the row fails so
 * the failed list shows it.
 */
export async function sendReportDocument(
  deps: Pick<Deps, "telegram" | "files">,
  n: Notification,
  doc: ReportDocument,
): Promise<DeliveryResult> {
  const bytes = await deps.files?.get(doc.path);
  if (!bytes) throw new DeliveryError("bad_request", `report file missing from the file store: ${doc.path}`);
  const sent = await callTelegram<{ message_id?: number }>(
    deps.telegram,
    "sendDocument",
    {
      chat_id: n.chatId,
      document: { source: Buffer.from(bytes), filename: doc.fileName },
      caption: doc.caption.slice(0, 1024),
    },
    UPLOAD_TIMEOUT_MS,
  );
  return { sentMessageId: sent.message_id ?? null };
}
