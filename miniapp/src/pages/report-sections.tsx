import { type ReactNode, useId, useState } from "react";
import { messageOf } from "../api.js";
import { isAdminRole, useApp } from "../app-context.js";
import { formatNumber, localName } from "../format.js";
import { t } from "../i18n.js";
import { useApi } from "../remote/api-context.js";
import { type ExportName, useSendReport } from "../remote/report-queries.js";
import { BarList, LineChart } from "./report-charts.js";
import { ReportChatSelect, useReportChats } from "./report-chat-select.js";
import {
  type AgentsReport,
  type BreakdownReport,
  type CsatReport,
  dayLabel,
  downloadExport,
  durationText,
  percentText,
  type SlaReport,
  type TimingsReport,
  type VolumeReport,
} from "./report-data.js";

/**
 * A section's title with its export buttons (CSV, Excel, PDF) for the same parameters,
 * and for admins "Send to chat": the PDF posted by the bot to the chat they pick among
 * those a report may go to (the staff chat, a branch's, a staff member's private chat).
 */
export function Section({ name, query, children }: { name: ExportName; query: string; children: ReactNode }) {
  const { me, lang } = useApp();
  const { session } = useApi();
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const sending = useSendReport();
  const get = (format: "csv" | "xlsx" | "pdf") =>
    downloadExport(session, name, format, query).catch((e) => setError(messageOf(e)));
  const [choosing, setChoosing] = useState(false);
  const [chatId, setChatId] = useState("");
  const chatField = useId();
  const chats = useReportChats(choosing);
  const send = () => {
    setError(null);
    sending.mutate(
      { name, query, chatId: chatId ? Number(chatId) : null },
      {
        onSuccess: () => {
          setSent(true);
          setChoosing(false);
        },
        onError: (e) => setError(messageOf(e)),
      },
    );
  };
  return (
    <section className="report-section" data-report={name}>
      <div className="report-section-head">
        <h2>{t(`reports.tables.${name}`)}</h2>
        <span className="exports">
          <button type="button" className="secondary" onClick={() => get("csv")}>
            {t("reports.export_csv")}
          </button>
          <button type="button" className="secondary" onClick={() => get("xlsx")}>
            {t("reports.export_xlsx")}
          </button>
          <button type="button" className="secondary" onClick={() => get("pdf")}>
            {t("reportDelivery.export_pdf")}
          </button>
          {isAdminRole(me) && (
            <button
              type="button"
              className="secondary"
              data-action="send"
              onClick={() => {
                setSent(false);
                setChoosing((v) => !v);
              }}
            >
              {t("reportDelivery.send")}
            </button>
          )}
        </span>
      </div>
      {choosing && (
        <div className="form send-to-chat">
          <label htmlFor={chatField}>{t("reportDelivery.send_to")}</label>
          <ReportChatSelect id={chatField} chats={chats} value={chatId} onChange={setChatId} lang={lang} />
          <button type="button" data-action="send-confirm" onClick={send}>
            {t("reportDelivery.send_confirm")}
          </button>
        </div>
      )}
      {sent && <p className="hint">{t("reportDelivery.send_ok")}</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {children}
    </section>
  );
}

type Cell = string | number;
/** A table with numeric columns aligned to the end, and an optional totals row. */
export function Table({
  head,
  rows,
  totals,
  lang,
}: {
  head: string[];
  rows: Cell[][];
  totals?: Cell[];
  lang: string;
}) {
  const cell = (c: Cell, i: number) => (
    <td key={i} className={typeof c === "number" ? "num" : undefined}>
      {typeof c === "number" ? formatNumber(c, lang) : c}
    </td>
  );
  // A table wider than a phone scrolls inside its own box, never the screen.
  return (
    <div className="table-scroll">
      <table className="report-table">
        <thead>
          <tr>
            {head.map((h) => (
              <th key={h}>{t(`reports.columns.${h}`)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional and never reordered
            <tr key={i}>{r.map(cell)}</tr>
          ))}
        </tbody>
        {totals && (
          <tfoot>
            <tr>{totals.map(cell)}</tr>
          </tfoot>
        )}
      </table>
    </div>
  );
}

export function VolumeSection({ v, lang }: { v: VolumeReport; lang: string }) {
  const labels = v.buckets.map((b) => dayLabel(b.bucket, lang));
  return (
    <>
      <LineChart
        title={t("reports.tables.volume")}
        lang={lang}
        labels={labels}
        series={[
          { key: "created", label: t("reports.columns.created"), values: v.buckets.map((b) => b.created) },
          { key: "resolved", label: t("reports.columns.resolved"), values: v.buckets.map((b) => b.resolved) },
        ]}
      />
      <Table
        lang={lang}
        head={["bucket", "created", "resolved", "closed", "reopened"]}
        rows={v.buckets.map((b, i) => [labels[i], b.created, b.resolved, b.closed, b.reopened])}
        totals={[t("reports.total"), v.totals.created, v.totals.resolved, v.totals.closed, v.totals.reopened]}
      />
      <h3>{t("reports.tables.backlog")}</h3>
      <LineChart
        title={t("reports.tables.backlog")}
        lang={lang}
        labels={v.backlog.map((d) => dayLabel(d.day, lang))}
        series={[{ key: "open", label: t("reports.columns.open"), values: v.backlog.map((d) => d.open) }]}
      />
    </>
  );
}

export function TimingsSection({ r, lang }: { r: TimingsReport; lang: string }) {
  const rows = (["first_response", "next_response", "resolution"] as const).map((k) => {
    const d =
      k === "first_response" ? r.firstResponse : k === "next_response" ? r.nextResponse : r.resolution;
    return [t(`reports.columns.${k}`), durationText(d.median, lang), durationText(d.p90, lang), d.count];
  });
  return <Table lang={lang} head={["measure", "median", "p90", "count"]} rows={rows} />;
}

export function SlaSection({ r, lang }: { r: SlaReport; lang: string }) {
  return (
    <Table
      lang={lang}
      head={["target", "met", "metLate", "breached", "compliance", "breachesRaised"]}
      rows={r.targets.map((x) => [
        t(`reports.columns.${x.target}`),
        x.met,
        x.metLate,
        x.breached,
        percentText(x.compliance, lang),
        x.breachesRaised,
      ])}
    />
  );
}

export function CsatSection({ r, lang }: { r: CsatReport; lang: string }) {
  const { csat } = r;
  const stat = (label: string, value: string) => (
    <div className="stat">
      <span className="stat-number">{value}</span>
      <span>{t(`reports.columns.${label}`)}</span>
    </div>
  );
  return (
    <div className="stat-row">
      {stat("csatAverage", csat.average === null ? t("reports.none") : formatNumber(csat.average, lang))}
      {stat("responseRate", percentText(csat.responseRate, lang))}
      {stat("satisfied", percentText(csat.satisfied, lang))}
    </div>
  );
}

export function AgentsSection({ r, lang }: { r: AgentsReport; lang: string }) {
  const sum = (k: "handled" | "replies" | "resolved") => r.agents.reduce((n, a) => n + a[k], 0);
  return (
    <Table
      lang={lang}
      head={["name", "handled", "replies", "resolved", "medianFirstResponse", "csatAverage"]}
      rows={r.agents.map((a) => [
        a.name,
        a.handled,
        a.replies,
        a.resolved,
        durationText(a.medianFirstResponse, lang),
        a.csatAverage === null ? t("reports.none") : formatNumber(a.csatAverage, lang),
      ])}
      totals={[t("reports.total"), sum("handled"), sum("replies"), sum("resolved"), "", ""]}
    />
  );
}

/** A group's name: a branch or category by language, a label as named, a priority or channel translated. */
function groupName(r: BreakdownReport, row: BreakdownReport["rows"][number], lang: string): string {
  if (row.key === null) return t("reports.none");
  if (r.range.by === "priority") return t(`common:priority.${row.key}`);
  if (r.range.by === "channel") return t(`channels.${row.key}`, { defaultValue: row.key ?? "" });
  if (typeof row.name === "string") return row.name;
  return row.name ? localName(row.name as { fa: string }, lang) : row.key;
}

export function BreakdownSection({
  r,
  lang,
  onPick,
}: {
  r: BreakdownReport;
  lang: string;
  onPick?: (key: string) => void;
}) {
  const names = r.rows.map((row) => groupName(r, row, lang));
  return (
    <>
      <BarList
        lang={lang}
        onPick={onPick}
        rows={r.rows.map((row, i) => ({ key: row.key ?? "", label: names[i], value: row.created }))}
      />
      <Table
        lang={lang}
        head={["key", "created", "resolved", "open", "medianFirstResponse"]}
        rows={r.rows.map((row, i) => [
          names[i],
          row.created,
          row.resolved,
          row.open,
          durationText(row.medianFirstResponse, lang),
        ])}
        totals={[t("reports.total"), r.totals.created, r.totals.resolved, r.totals.open, ""]}
      />
    </>
  );
}
