import { localName } from "../format.js";
import { t } from "../i18n.js";
import type { ReportChat } from "../remote/report-queries.js";

/** A chat a report may go to, as GET /api/scheduled-reports/chats gives it (report-delivery/chats.ts). */
export type ReportChatChoice = ReportChat;
export { useReportChats } from "../remote/report-queries.js";

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
