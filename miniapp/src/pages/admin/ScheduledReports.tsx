import { useState } from "react";
import { messageOf } from "../../api.js";
import { useApp } from "../../app-context.js";
import { formatDate } from "../../format.js";
import { t } from "../../i18n.js";
import {
  type ScheduledReport,
  useDeleteSchedule,
  useScheduledReports,
  useToggleSchedule,
} from "../../remote/schedule-queries.js";
import { chatLabel, useReportChats } from "../report-chat-select.js";
import { blankSchedule, REPORTS, type ScheduleDraft, ScheduleForm } from "./schedule-form.js";

/** When a schedule runs, in words: "Every week · Saturday · 08:00 (Asia/Tehran)". */
function whenText(s: Pick<ScheduledReport, "frequency" | "weekday" | "monthDay" | "time" | "timeZone">) {
  const day =
    s.frequency === "weekly"
      ? ` · ${t(`reportDelivery.weekday_${s.weekday ?? 6}`)}`
      : s.frequency === "monthly"
        ? ` · ${s.monthDay}`
        : "";
  return `${t(`reportDelivery.frequency_${s.frequency}`)}${day} · ${s.time} (${s.timeZone})`;
}

/** The form's draft of a saved schedule. */
const draftOf = (r: ScheduledReport): ScheduleDraft => ({
  chatId: r.chatId === null ? "" : String(r.chatId),
  // The table stores the name as text; every stored one was checked against this list.
  report: REPORTS.find((name) => name === r.report) ?? "volume",
  format: r.format,
  frequency: r.frequency,
  weekday: r.weekday ?? 6,
  monthDay: r.monthDay ?? 1,
  time: r.time,
  timeZone: r.timeZone,
  language: r.language,
});

/**
 * Admins: reports the bot posts to a chat daily, weekly or monthly (/api/scheduled-reports):
 * the list (on/off, edit, delete after a confirmation) and the form to add or change one.
 */
export function ScheduledReports() {
  const { lang } = useApp();
  const list = useScheduledReports();
  const toggle = useToggleSchedule();
  const removal = useDeleteSchedule();
  const rows = list.data;
  const [editing, setEditing] = useState<string | null>(null);
  // A new, empty "add" form after each save.
  const [formKey, setFormKey] = useState(0);
  const chats = useReportChats();
  // The last change's refusal (cleared by the next that goes through), else a failed read.
  const [changeError, setChangeError] = useState<string | null>(null);
  const changed = {
    onSuccess: () => setChangeError(null),
    onError: (e: unknown) => setChangeError(messageOf(e)),
  };
  const error = changeError ?? (list.error ? messageOf(list.error) : null);
  const saved = () => {
    setEditing(null);
    setFormKey((n) => n + 1);
  };
  const remove = (r: ScheduledReport) => {
    if (!window.confirm(t("reportDelivery.confirm_delete", { report: t(`reports.tables.${r.report}`) })))
      return;
    removal.mutate(r.id, changed);
  };
  const chatText = (id: number | null) => {
    const c = chats.find((x) => x.chatId === id);
    return id === null ? t("reportDelivery.chat_default") : c ? chatLabel(c, lang) : String(id);
  };
  return (
    <div className="page scheduled-reports">
      <h2>{t("reportDelivery.scheduled_title")}</h2>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {rows?.length === 0 && <p className="hint">{t("reportDelivery.scheduled_empty")}</p>}
      <ul className="list">
        {rows?.map((r) => (
          <li key={r.id} data-schedule={r.id}>
            <strong>
              {t(`reports.tables.${r.report}`)} · {r.format.toUpperCase()} · {r.language}
            </strong>
            <div>{whenText(r)}</div>
            <div className="hint">
              {t("reportDelivery.chat")}: {chatText(r.chatId)} · {t("reportDelivery.next_run")}:{" "}
              {r.nextRunAt ? formatDate(r.nextRunAt, lang) : "—"} · {t("reportDelivery.last_sent")}:{" "}
              {r.lastSentAt ? formatDate(r.lastSentAt, lang) : t("reportDelivery.never")}
            </div>
            <label>
              <input
                type="checkbox"
                checked={r.enabled}
                onChange={(e) => toggle.mutate({ id: r.id, enabled: e.target.checked }, changed)}
              />{" "}
              {t("reportDelivery.enabled")}
            </label>{" "}
            <button type="button" className="secondary" data-action="edit" onClick={() => setEditing(r.id)}>
              {t("reportDelivery.edit")}
            </button>{" "}
            <button type="button" className="secondary" data-action="delete" onClick={() => remove(r)}>
              {t("reportDelivery.delete")}
            </button>
            {editing === r.id && (
              <ScheduleForm
                id={r.id}
                initial={draftOf(r)}
                chats={chats}
                lang={lang}
                onSaved={saved}
                onCancel={() => setEditing(null)}
              />
            )}
          </li>
        ))}
      </ul>
      {editing === null && (
        <>
          <h3>{t("reportDelivery.scheduled_add")}</h3>
          <ScheduleForm
            key={formKey}
            id={null}
            initial={blankSchedule(lang)}
            chats={chats}
            lang={lang}
            onSaved={saved}
          />
        </>
      )}
    </div>
  );
}
