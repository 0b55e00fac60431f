import { useState } from "react";
import { messageOf } from "../api.js";
import { useApp } from "../app-context.js";
import { localName } from "../format.js";
import { t } from "../i18n.js";
import { useReports } from "../remote/report-queries.js";
import { dayFromInput, dayInput, queryOf, type ReportParams } from "./report-data.js";
import { LiveReportSection } from "./report-live.js";
import {
  AgentsSection,
  BreakdownSection,
  CsatSection,
  Section,
  SlaSection,
  TimingsSection,
  VolumeSection,
} from "./report-sections.js";

const DIMENSIONS = ["category", "branch", "priority", "label", "channel"] as const;
/** The queue's filter a breakdown's bar opens it with. */
const QUEUE_FILTER_OF = {
  category: "categoryId",
  branch: "branchId",
  priority: "priority",
  label: "labelId",
  channel: "channel",
} as const;

/** Staff: how support is going over a range (docs/REPORTS.md), with charts, tables and exports. */
export function ReportsPage() {
  const { lang, meta, open } = useApp();
  const [params, setParams] = useState<ReportParams>({
    // Empty: the server's default (the last 30 days in its time zone, which may not be the device's).
    from: "",
    to: "",
    interval: "day",
    branchId: "",
    categoryId: "",
    priority: "",
  });
  const [by, setBy] = useState<(typeof DIMENSIONS)[number]>("category");
  const query = queryOf(params);
  const reports = useReports(query, by);
  const data = reports.data;
  const error = reports.error ? messageOf(reports.error) : null;

  const set = (patch: Partial<ReportParams>) => setParams((p) => ({ ...p, ...patch }));
  const shownDay = (key: "from" | "to") => params[key] || data?.volume.range[key] || "";
  const dayField = (key: "from" | "to") => (
    <label className="field">
      <span>{t(`reports.${key}`)}</span>
      <input
        key={`${key}-${shownDay(key)}`}
        name={key}
        type={lang === "fa" ? "text" : "date"}
        inputMode={lang === "fa" ? "numeric" : undefined}
        dir="ltr"
        defaultValue={shownDay(key) ? dayInput(shownDay(key), lang) : ""}
        onBlur={(e) => {
          const day = dayFromInput(e.currentTarget.value, lang);
          if (day) set({ [key]: day });
        }}
        onChange={(e) => {
          if (lang !== "fa") {
            const day = dayFromInput(e.currentTarget.value, lang);
            if (day) set({ [key]: day });
          }
        }}
      />
    </label>
  );
  const select = (key: "interval" | "branchId" | "categoryId" | "priority", options: [string, string][]) => (
    <label className="field">
      <span>{t(`reports.${key === "branchId" ? "branch" : key === "categoryId" ? "category" : key}`)}</span>
      <select name={key} value={params[key]} onChange={(e) => set({ [key]: e.currentTarget.value })}>
        {options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </label>
  );
  const all: [string, string] = ["", t("reports.all")];

  return (
    <div className="page reports">
      <h1>{t("reports.title")}</h1>
      <div className="report-controls">
        {dayField("from")}
        {dayField("to")}
        {select(
          "interval",
          (["day", "week", "month"] as const).map((i) => [i, t(`reports.interval_${i}`)]),
        )}
        {select("priority", [
          all,
          ...meta.priorities.map((p): [string, string] => [p, t(`common:priority.${p}`)]),
        ])}
        {select("categoryId", [
          all,
          ...meta.categories.map((c): [string, string] => [c.id, localName(c.name, lang)]),
        ])}
        {meta.branches?.length
          ? select("branchId", [
              all,
              ...meta.branches.map((b): [string, string] => [b.id, localName(b.name, lang)]),
            ])
          : null}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!data && !error && <p className="hint">{t("loading")}</p>}
      {data && (
        <>
          <Section name="volume" query={query}>
            <VolumeSection v={data.volume} lang={lang} />
          </Section>
          <Section name="timings" query={query}>
            <TimingsSection r={data.timings} lang={lang} />
          </Section>
          <Section name="sla" query={query}>
            <SlaSection r={data.sla} lang={lang} />
          </Section>
          <Section name="csat" query={query}>
            <CsatSection r={data.csat} lang={lang} />
          </Section>
          <Section name="agents" query={query}>
            <AgentsSection r={data.agents} lang={lang} />
          </Section>
          <Section name="breakdown" query={`${query}&by=${by}`}>
            <label className="field">
              <span>{t("reports.by")}</span>
              <select name="by" value={by} onChange={(e) => setBy(e.currentTarget.value as typeof by)}>
                {DIMENSIONS.map((d) => (
                  <option key={d} value={d}>
                    {t(`reports.dimension.${d}`)}
                  </option>
                ))}
              </select>
            </label>
            <BreakdownSection
              r={data.breakdown}
              lang={lang}
              onPick={(key) => {
                // "No label" and "no branch" are not filters the queue has: those bars open nothing.
                if (key !== "") open({ name: "queue", filter: { [QUEUE_FILTER_OF[by]]: key } });
              }}
            />
          </Section>
        </>
      )}
      <LiveReportSection query={query} lang={lang} />
    </div>
  );
}
