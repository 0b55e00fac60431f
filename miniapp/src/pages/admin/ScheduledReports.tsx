import { useEffect, useState } from "react";
import { api, messageOf } from "../../api.js";
import { useApp } from "../../app-context.js";
import { formatDate } from "../../format.js";
import { t } from "../../i18n.js";

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

const REPORTS = ["volume", "timings", "sla", "csat", "agents", "breakdown"] as const;
const FREQUENCIES = ["daily", "weekly", "monthly"] as const;
/** A new schedule starts as the issue's example: the staff chat, every Saturday 08:00 Tehran time. */
const blank = (lang: string) => ({
  chatId: "",
  report: "volume",
  format: "pdf" as const,
  frequency: "weekly" as ScheduledReportDto["frequency"],
  weekday: 6,
  monthDay: 1,
  time: "08:00",
  timeZone: "Asia/Tehran",
  language: (["fa", "en", "ru"].includes(lang) ? lang : "fa") as ScheduledReportDto["language"],
});
type Draft = ReturnType<typeof blank>;

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

/** Admins: reports the bot posts to a chat daily, weekly or monthly (/api/scheduled-reports). */
export function ScheduledReports() {
  const { lang, version } = useApp();
  const [rows, setRows] = useState<ScheduledReportDto[] | null>(null);
  const [draft, setDraft] = useState<Draft>(() => blank(lang));
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
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
  const add = () =>
    act(
      api("POST", "/api/scheduled-reports", {
        ...draft,
        chatId: draft.chatId.trim() === "" ? null : Number(draft.chatId),
        weekday: draft.frequency === "weekly" ? draft.weekday : null,
        monthDay: draft.frequency === "monthly" ? draft.monthDay : null,
      }),
    );
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
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
              {t("reportDelivery.chat")}: {r.chatId ?? "—"} · {t("reportDelivery.next_run")}:{" "}
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
            <button
              type="button"
              className="secondary"
              onClick={() => act(api("DELETE", `/api/scheduled-reports/${r.id}`))}
            >
              {t("reportDelivery.delete")}
            </button>
          </li>
        ))}
      </ul>
      <h3>{t("reportDelivery.scheduled_add")}</h3>
      <div className="form">
        <label>
          {t("reportDelivery.report")}
          <select value={draft.report} onChange={(e) => set("report", e.target.value)}>
            {REPORTS.map((r) => (
              <option key={r} value={r}>
                {t(`reports.tables.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("reportDelivery.format")}
          <select value={draft.format} onChange={(e) => set("format", e.target.value as "pdf")}>
            <option value="pdf">PDF</option>
            <option value="xlsx">Excel</option>
          </select>
        </label>
        <label>
          {t("reportDelivery.frequency")}
          <select
            value={draft.frequency}
            onChange={(e) => set("frequency", e.target.value as Draft["frequency"])}
          >
            {FREQUENCIES.map((f) => (
              <option key={f} value={f}>
                {t(`reportDelivery.frequency_${f}`)}
              </option>
            ))}
          </select>
        </label>
        {draft.frequency === "weekly" && (
          <label>
            {t("reportDelivery.weekday")}
            <select value={draft.weekday} onChange={(e) => set("weekday", Number(e.target.value))}>
              {[6, 0, 1, 2, 3, 4, 5].map((d) => (
                <option key={d} value={d}>
                  {t(`reportDelivery.weekday_${d}`)}
                </option>
              ))}
            </select>
          </label>
        )}
        {draft.frequency === "monthly" && (
          <label>
            {t("reportDelivery.month_day")}
            <input
              type="number"
              min={1}
              max={31}
              value={draft.monthDay}
              onChange={(e) => set("monthDay", Number(e.target.value))}
            />
          </label>
        )}
        <label>
          {t("reportDelivery.time")}
          <input type="time" value={draft.time} onChange={(e) => set("time", e.target.value)} />
        </label>
        <label>
          {t("reportDelivery.time_zone")}
          <input value={draft.timeZone} onChange={(e) => set("timeZone", e.target.value)} />
        </label>
        <label>
          {t("reportDelivery.language")}
          <select
            value={draft.language}
            onChange={(e) => set("language", e.target.value as Draft["language"])}
          >
            {(["fa", "en", "ru"] as const).map((l) => (
              <option key={l} value={l}>
                {t(`common:language.${l}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("reportDelivery.chat")}
          <input inputMode="numeric" value={draft.chatId} onChange={(e) => set("chatId", e.target.value)} />
        </label>
        <button type="button" onClick={add}>
          {t("reportDelivery.save")}
        </button>
      </div>
    </div>
  );
}
