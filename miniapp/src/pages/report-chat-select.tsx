import { useEffect, useState } from "react";
import { api } from "../api.js";
import { localName } from "../format.js";
import { t } from "../i18n.js";

/** A chat a report may go to, as GET /api/scheduled-reports/chats gives it (report-delivery/chats.ts). */
export interface ReportChatChoice {
  chatId: number;
  kind: "staff" | "branch" | "person";
  name: { fa: string; en?: string; ru?: string } | string | null;
}

/** The chats an admin may send or schedule reports to; [] until loaded (or when refused). */
export function useReportChats(enabled = true): ReportChatChoice[] {
  const [chats, setChats] = useState<ReportChatChoice[]>([]);
  useEffect(() => {
    if (!enabled) return;
    api<ReportChatChoice[]>("GET", "/api/scheduled-reports/chats")
      .then(setChats)
      .catch(() => setChats([]));
  }, [enabled]);
  return chats;
}

/** "Staff chat", "Branch staff chat: North", "Sara Ahmadi (private chat)". */
export function chatLabel(c: ReportChatChoice, lang: string): string {
  if (c.kind === "staff") return t("reportDelivery.chat_staff");
  if (c.kind === "branch")
    return t("reportDelivery.chat_branch", {
      name: c.name && typeof c.name === "object" ? localName(c.name, lang) : "",
    });
  return t("reportDelivery.chat_person", { name: typeof c.name === "string" ? c.name : "" });
}

/**
 * A chooser of those chats. "" is the main staff chat as it is when the file is
 * sent (the server's default); a saved chat no longer listed still shows, by id.
 */
export function ReportChatSelect({
  chats,
  value,
  onChange,
  lang,
  id,
}: {
  id: string;
  chats: ReportChatChoice[];
  value: string;
  onChange: (chatId: string) => void;
  lang: string;
}) {
  const known = value === "" || chats.some((c) => String(c.chatId) === value);
  return (
    <select id={id} data-field="chatId" value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{t("reportDelivery.chat_default")}</option>
      {chats.map((c) => (
        <option key={c.chatId} value={String(c.chatId)}>
          {chatLabel(c, lang)}
        </option>
      ))}
      {!known && <option value={value}>{value}</option>}
    </select>
  );
}
