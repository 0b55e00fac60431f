import { messageOf } from "../api.js";
import { formatNumber } from "../format.js";
import { t } from "../i18n.js";
import { useLiveReport } from "../remote/report-queries.js";
import { durationText } from "./report-data.js";
import { Section, Table } from "./report-sections.js";

/** Under two minutes a wait reads in seconds: a live queue is measured in them. */
const waitText = (seconds: number | null, lang: string) =>
  seconds !== null && seconds < 120
    ? t("reports.live.seconds", { n: formatNumber(Math.round(seconds), lang) })
    : durationText(seconds, lang);

/**
 * The reports screen's live chat section (docs/REPORTS.md "Live chat"): chats
 * asked, ended, still open and left in the queue, and queue wait, handle time and
 * how long those who left had waited, from GET /api/live/report with the screen's
 * range and filters (the server keeps it to the reader's scope); CSV, Excel and PDF
 * of the same figures, and Send to chat, as every section.
 */
export function LiveReportSection({ query, lang }: { query: string; lang: string }) {
  const live = useLiveReport(query);
  const report = live.data;
  const error = live.error ? messageOf(live.error) : null;
  const stat = (key: "asked" | "ended" | "open" | "abandoned", value: number) => (
    <div className="stat" data-live-stat={key}>
      <span className="stat-number">{formatNumber(value, lang)}</span>
      <span>{t(`reports.live.${key}`)}</span>
    </div>
  );
  return (
    <Section name="live" query={query}>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {report && (
        <>
          <div className="stat-row">
            {stat("asked", report.asked)}
            {stat("ended", report.ended)}
            {stat("open", report.open)}
            {stat("abandoned", report.abandoned)}
          </div>
          <Table
            lang={lang}
            head={["measure", "median", "p90", "count"]}
            rows={(["queue_wait", "handle_time", "abandoned_after"] as const).map((k) => {
              const d =
                k === "queue_wait"
                  ? report.queueWait
                  : k === "handle_time"
                    ? report.handleTime
                    : report.abandonedAfter;
              return [t(`reports.live.${k}`), waitText(d.median, lang), waitText(d.p90, lang), d.count];
            })}
          />
          <p className="hint">{t("reports.live.hint")}</p>
        </>
      )}
    </Section>
  );
}
