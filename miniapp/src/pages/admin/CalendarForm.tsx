import type { InferRequestType } from "hono/client";
import { useState } from "react";
import { useApp } from "../../app-context.js";
import { FieldError, type FieldErrors, useFormRefusal } from "../../field-errors.js";
import { localName } from "../../format.js";
import { calendarForm } from "../../forms/calendar-form.js";
import { t } from "../../i18n.js";
import { type ApiClient, unwrap } from "../../remote/client.js";
import { queryKeys } from "../../remote/query-client.js";
import { useChange } from "../../remote/resource.js";
import { haptic } from "../../telegram.js";
import {
  type CalendarDto,
  dayIntervals,
  dayText,
  type HolidayEntry,
  holidayEntryOf,
  holidayText,
  PRESET_WEEKS,
  type WeekDto,
  weekdayName,
  weekdaysFor,
} from "./sla-text.js";
import { TextField } from "./TextField.js";

const ALL_DAYS = ["0", "1", "2", "3", "4", "5", "6"] as const;
const daysOf = (week: WeekDto) => Object.fromEntries(ALL_DAYS.map((d) => [d, dayText(week[d])]));

/** The first error found anywhere under a path ("week.6" covers "week.6.0.1"). */
const errorUnder = (errors: FieldErrors, path: string): FieldErrors => {
  const key = Object.keys(errors).find((k) => k === path || k.startsWith(`${path}.`));
  return key ? { [path]: errors[key] } : {};
};

type Body = InferRequestType<ApiClient["business-calendars"]["$post"]>["json"];
type Patch = InferRequestType<ApiClient["business-calendars"][":id"]["$patch"]>["json"];

/** Saves the calendar (a new one when there is none yet); the lists refetch. */
function useSave(id: string | undefined) {
  return useChange(
    (client, body: Body) =>
      id
        ? unwrap(client["business-calendars"][":id"].$patch({ param: { id }, json: body as Patch }))
        : unwrap(client["business-calendars"].$post({ json: body })),
    [queryKeys.businessCalendars],
  );
}

/**
 * Adds a calendar (no `calendar`) or edits one: zone, a line of intervals per
 * weekday (the Iran and Mon–Fri buttons fill them), and holidays, entered and
 * shown as Jalali dates in Persian. Checked before sending (forms/calendar-form.ts);
 * each error, ours or the server's, beside its field.
 */
export function CalendarForm({
  calendar,
  onDone,
}: {
  calendar: CalendarDto | null;
  onDone: (saved: boolean) => void;
}) {
  const { lang, meta } = useApp();
  const [name, setName] = useState(calendar?.name ?? "");
  const [timeZone, setTimeZone] = useState(calendar?.timeZone ?? "");
  const [branchId, setBranchId] = useState(calendar?.branchId ?? "");
  const [days, setDays] = useState<Record<string, string>>(() => daysOf(calendar?.week ?? {}));
  const [holidays, setHolidays] = useState<HolidayEntry[]>(calendar?.holidays ?? []);
  const [newHoliday, setNewHoliday] = useState("");
  // Mon–Fri takes the server's own time zone when none is typed: the form sends the preset for that.
  const [preset, setPreset] = useState<"iran" | "mon_fri" | null>(null);
  const { errors, error, clear, refuse, check } = useFormRefusal(lang);
  const saveOne = useSave(calendar?.id);

  const applyPreset = (p: "iran" | "mon_fri") => {
    setPreset(p);
    setDays(daysOf(PRESET_WEEKS[p]));
    if (p === "iran") setTimeZone("Asia/Tehran");
  };
  const addHoliday = () => {
    if (!newHoliday.trim()) return;
    setHolidays([...holidays, holidayEntryOf(newHoliday, lang)]);
    setNewHoliday("");
  };
  const save = async () => {
    clear();
    const week = Object.fromEntries(
      ALL_DAYS.map((d) => [d, dayIntervals(days[d])]).filter(([, intervals]) => intervals.length > 0),
    );
    const body = {
      name,
      ...(timeZone.trim() ? { timeZone } : preset ? { preset } : { timeZone }),
      week,
      holidays,
      branchId: branchId || null,
    };
    // Zone, intervals (start before end, in order), some working hours and real holiday
    // dates are said here at once, nothing sent; the server checks again (a branch that
    // is gone, a second calendar for it) and its 422 lands beside the fields the same way.
    if (!check(calendarForm, body)) return;
    try {
      await saveOne.mutateAsync(body as unknown as Body);
      haptic("success");
      onDone(true);
    } catch (e) {
      refuse(e);
    }
  };
  return (
    <div className="form row-editor calendar-form">
      <TextField
        name="name"
        label={t("admin.sla_admin.name")}
        dir="auto"
        value={name}
        onChange={setName}
        errors={errors}
      />
      <label className="field">
        <span>{t("admin.sla_admin.branch")}</span>
        <select
          name="branchId"
          aria-label={t("admin.sla_admin.branch")}
          value={branchId}
          onChange={(e) => setBranchId(e.target.value)}
        >
          <option value="">{t("admin.sla_admin.default_calendar")}</option>
          {(meta.branches ?? []).map((b) => (
            <option key={b.id} value={b.id}>
              {localName(b.name, lang)}
            </option>
          ))}
        </select>
        <FieldError errors={errors} path="branchId" />
      </label>
      <div className="subnav">
        <button type="button" className="secondary" onClick={() => applyPreset("iran")}>
          {t("admin.sla_admin.preset_iran")}
        </button>
        <button type="button" className="secondary" onClick={() => applyPreset("mon_fri")}>
          {t("admin.sla_admin.preset_mon_fri")}
        </button>
      </div>
      <TextField
        name="timeZone"
        label={t("admin.sla_admin.time_zone")}
        dir="ltr"
        value={timeZone}
        onChange={setTimeZone}
        errors={errors}
      />
      <p className="hint">{t("admin.sla_admin.week_hint")}</p>
      {weekdaysFor(lang).map((d) => (
        <TextField
          key={d}
          name={`week.${d}`}
          label={weekdayName(d, lang)}
          dir="ltr"
          value={days[d]}
          onChange={(v) => setDays({ ...days, [d]: v })}
          errors={errorUnder(errors, `week.${d}`)}
        />
      ))}
      <FieldError errors={errors} path="week" />
      <span className="hint">{t("admin.sla_admin.holidays")}</span>
      <FieldError errors={errors} path="holidays" />
      <ul className="list holidays">
        {holidays.map((h, i) => (
          <li
            key={typeof h === "string" ? h : `${h.jalali}#${i}`}
            className="admin-row"
            data-holiday={typeof h === "string" ? h : ""}
          >
            <span className="row-main">{holidayText(h, lang)}</span>
            <button
              type="button"
              className="secondary"
              aria-label={t("admin.sla_admin.remove_holiday", { date: holidayText(h, lang) })}
              onClick={() => setHolidays(holidays.filter((_, j) => j !== i))}
            >
              ×
            </button>
            <FieldError errors={errors} path={`holidays.${i}`} />
          </li>
        ))}
      </ul>
      <div className="subnav">
        <input
          name="newHoliday"
          aria-label={t("admin.sla_admin.new_holiday")}
          placeholder={t("admin.sla_admin.holiday_example")}
          dir="ltr"
          value={newHoliday}
          onChange={(e) => setNewHoliday(e.target.value)}
        />
        <button type="button" className="secondary" onClick={addHoliday}>
          {t("admin.sla_admin.add_holiday")}
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="subnav">
        <button type="button" onClick={save}>
          {t("admin.save")}
        </button>
        <button type="button" className="secondary" onClick={() => onDone(false)}>
          {t("admin.cancel")}
        </button>
      </div>
    </div>
  );
}
