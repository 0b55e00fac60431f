import { useId, useState } from "react";
import { FieldError, useFormRefusal } from "../../field-errors.js";
import { scheduleForm } from "../../forms/admin-forms.js";
import { t } from "../../i18n.js";
import { type NewSchedule, useSaveSchedule } from "../../remote/schedule-queries.js";
import { haptic } from "../../telegram.js";
import { type ReportChatChoice, ReportChatSelect } from "../report-chat-select.js";

export const REPORTS = ["volume", "timings", "sla", "csat", "agents", "breakdown", "live"] as const;
const FREQUENCIES = ["daily", "weekly", "monthly"] as const;

/** A schedule as the form edits it (the chat as text: "" is the main staff chat). */
export interface ScheduleDraft {
  chatId: string;
  report: NewSchedule["report"];
  format: "pdf" | "xlsx";
  frequency: "daily" | "weekly" | "monthly";
  weekday: number;
  monthDay: number;
  time: string;
  timeZone: string;
  language: "fa" | "en" | "ru";
}

/** A new schedule starts as the example: the staff chat, every Saturday 08:00 Tehran time. */
export const blankSchedule = (lang: string): ScheduleDraft => ({
  chatId: "",
  report: "volume",
  format: "pdf",
  frequency: "weekly",
  weekday: 6,
  monthDay: 1,
  time: "08:00",
  timeZone: "Asia/Tehran",
  language: (["fa", "en", "ru"].includes(lang) ? lang : "fa") as ScheduleDraft["language"],
});

/**
 * Adding a schedule (no `id`) or changing one: nothing is sent until Save; a mistake
 * (checked here first, then by the server) shows under the field it is about (a time zone that does not exist, a bad time, a
 * chat the bot does not post to). The server recomputes the next run.
 */
export function ScheduleForm({
  id,
  initial,
  chats,
  lang,
  onSaved,
  onCancel,
}: {
  id: string | null;
  initial: ScheduleDraft;
  chats: ReportChatChoice[];
  lang: string;
  onSaved: () => void;
  onCancel?: () => void;
}) {
  const [draft, setDraft] = useState(initial);
  const saving = useSaveSchedule();
  const chatField = useId();
  const { errors, error, clear, refuse, check } = useFormRefusal(lang);
  const set = <K extends keyof ScheduleDraft>(key: K, value: ScheduleDraft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));
  const save = () => {
    clear();
    const body: NewSchedule = {
      ...draft,
      chatId: draft.chatId.trim() === "" ? null : Number(draft.chatId),
      weekday: draft.frequency === "weekly" ? draft.weekday : null,
      monthDay: draft.frequency === "monthly" ? draft.monthDay : null,
    };
    // A bad time, zone or day is said beside its field before anything is sent.
    if (!check(scheduleForm, body)) return;
    saving.mutate(
      { id, body },
      {
        onSuccess: () => {
          haptic("success");
          onSaved();
        },
        onError: refuse,
      },
    );
  };
  return (
    <div className="form schedule-form" data-editing={id ?? "new"}>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <label>
        {t("reportDelivery.report")}
        <select
          data-field="report"
          value={draft.report}
          onChange={(e) => set("report", e.target.value as ScheduleDraft["report"])}
        >
          {REPORTS.map((r) => (
            <option key={r} value={r}>
              {t(`reports.tables.${r}`)}
            </option>
          ))}
        </select>
        <FieldError errors={errors} path="report" />
      </label>
      <label>
        {t("reportDelivery.format")}
        <select
          data-field="format"
          value={draft.format}
          onChange={(e) => set("format", e.target.value as "pdf")}
        >
          <option value="pdf">PDF</option>
          <option value="xlsx">Excel</option>
        </select>
      </label>
      <label>
        {t("reportDelivery.frequency")}
        <select
          data-field="frequency"
          value={draft.frequency}
          onChange={(e) => set("frequency", e.target.value as ScheduleDraft["frequency"])}
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
          <select
            data-field="weekday"
            value={draft.weekday}
            onChange={(e) => set("weekday", Number(e.target.value))}
          >
            {[6, 0, 1, 2, 3, 4, 5].map((d) => (
              <option key={d} value={d}>
                {t(`reportDelivery.weekday_${d}`)}
              </option>
            ))}
          </select>
          <FieldError errors={errors} path="weekday" />
        </label>
      )}
      {draft.frequency === "monthly" && (
        <label>
          {t("reportDelivery.month_day")}
          <input
            data-field="monthDay"
            type="number"
            min={1}
            max={31}
            value={draft.monthDay}
            onChange={(e) => set("monthDay", Number(e.target.value))}
          />
          <FieldError errors={errors} path="monthDay" />
        </label>
      )}
      <label>
        {t("reportDelivery.time")}
        <input data-field="time" value={draft.time} onChange={(e) => set("time", e.target.value)} />
        <FieldError errors={errors} path="time" />
      </label>
      <label>
        {t("reportDelivery.time_zone")}
        <input
          data-field="timeZone"
          dir="ltr"
          value={draft.timeZone}
          onChange={(e) => set("timeZone", e.target.value)}
        />
        <FieldError errors={errors} path="timeZone" />
      </label>
      <label>
        {t("reportDelivery.language")}
        <select
          data-field="language"
          value={draft.language}
          onChange={(e) => set("language", e.target.value as ScheduleDraft["language"])}
        >
          {(["fa", "en", "ru"] as const).map((l) => (
            <option key={l} value={l}>
              {t(`common:language.${l}`)}
            </option>
          ))}
        </select>
      </label>
      <label htmlFor={chatField}>{t("reportDelivery.chat")}</label>
      <ReportChatSelect
        id={chatField}
        chats={chats}
        value={draft.chatId}
        onChange={(v) => set("chatId", v)}
        lang={lang}
      />
      <FieldError errors={errors} path="chatId" />
      <div className="actions">
        <button type="button" data-action="save" disabled={saving.isPending} onClick={save}>
          {t("reportDelivery.save")}
        </button>
        {onCancel && (
          <button type="button" className="secondary" data-action="cancel" onClick={onCancel}>
            {t("reportDelivery.cancel")}
          </button>
        )}
      </div>
    </div>
  );
}
