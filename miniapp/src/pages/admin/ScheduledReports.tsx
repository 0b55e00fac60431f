import { useEffect, useState } from "react";
import { api, messageOf } from "../../api.js";
import { useApp } from "../../app-context.js";
import { formatDate } from "../../format.js";
import { t } from "../../i18n.js";
import { chatLabel, useReportChats } from "../report-chat-select.js";
import { blankSchedule, type ScheduleDraft, ScheduleForm } from "./schedule-form.js";

/** A scheduled report as GET /api/scheduled-reports gives it. */
interface ScheduledReportDto {
  id: string;
  chatId: number | null;
  report: string;
  format: "pdf" | "xlsx";
  frequency: "daily" | "weekly" | "monthly";
  weekday: number | null;
  monthDay: number | null;
  time: string;
  timeZone: string;
  language: "fa" | "en" | "ru";
  enabled: boolean;
  nextRunAt: string | null;
  lastSentAt: string | null;
}

/** When a schedule runs, in words: "Every week · Saturday · 08:00 (Asia/Tehran)". */
function whenText(s: Pick<ScheduledReportDto, "frequency" | "weekday" | "monthDay" | "time" | "timeZone">) {
  const day =
    s.frequency === "weekly"
      ? ` · ${t(`reportDelivery.weekday_${s.weekday ?? 6}`)}`
      : s.frequency === "monthly"
        ? ` · ${s.monthDay}`
        : "";
  return `${t(`reportDelivery.frequency_${s.frequency}`)}${day} · ${s.time} (${s.timeZone})`;
}

/** The form's draft of a saved schedule. */
const draftOf = (r: ScheduledReportDto): ScheduleDraft => ({
  chatId: r.chatId === null ? "" : String(r.chatId),
  report: r.report,
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
  const { lang, version } = useApp();
  const [rows, setRows] = useState<ScheduledReportDto[] | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const chats = useReportChats();
  // biome-ignore lint/correctness/useExhaustiveDependencies: version and reload are refetch triggers
  useEffect(() => {
    api<ScheduledReportDto[]>("GET", "/api/scheduled-reports")
      .then(setRows)
      .catch((e) => setError(messageOf(e)));
  }, [version, reload]);
  const act = (p: Promise<unknown>) =>
    p.then(
      () => {
        setError(null);
        setReload((n) => n + 1);
      },
      (e) => setError(messageOf(e)),
    );
  const saved = () => {
    setEditing(null);
    setReload((n) => n + 1);
  };
  const remove = (r: ScheduledReportDto) => {
    if (!window.confirm(t("reportDelivery.confirm_delete", { report: t(`reports.tables.${r.report}`) })))
      return;
    act(api("DELETE", `/api/scheduled-reports/${r.id}`));
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
                onChange={(e) =>
                  act(api("PATCH", `/api/scheduled-reports/${r.id}`, { enabled: e.target.checked }))
                }
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
            key={reload}
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
