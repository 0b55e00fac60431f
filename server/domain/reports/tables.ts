import type { AgentsReport } from "./agents.js";
import type { BreakdownReport } from "./breakdowns.js";
import type { CsatReport } from "./csat.js";
import type { LiveReport } from "./live.js";
import type { SlaReport } from "./sla.js";
import type { DurationStats } from "./sql-parts.js";
import type { TimingsReport } from "./timings.js";
import type { VolumeReport } from "./volume.js";

/**
 * How a column's values are written: `day` a local YYYY-MM-DD, `instant` a moment
 * (shown in TIME_ZONE), `duration` seconds (exports show minutes), `ratio` 0–1,
 * `name` a localized name ({ fa, en, … }) or plain text.
 */
export type ColumnType = "text" | "number" | "day" | "instant" | "duration" | "ratio" | "name";

export interface ReportColumn {
  /** A stable key; doors translate it (locales: miniapp reports.columns.<key>). */
  key: string;
  type: ColumnType;
}

export interface ReportTable {
  /** The sheet's key (reports.tables.<key>). */
  key: string;
  columns: ReportColumn[];
  rows: Record<string, unknown>[];
  /** A totals row (same keys), when summing makes sense. */
  totals?: Record<string, unknown>;
}

const col = (key: string, type: ColumnType = "number"): ReportColumn => ({ key, type });

const durationRow = (measure: string, d: DurationStats) => ({ measure, ...d });
const durationColumns = [
  col("measure", "text"),
  col("count"),
  col("median", "duration"),
  col("p90", "duration"),
  col("average", "duration"),
];

export const REPORT_NAMES = ["volume", "timings", "sla", "csat", "agents", "breakdown", "live"] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

export type ReportOf = {
  volume: VolumeReport;
  timings: TimingsReport;
  sla: SlaReport;
  csat: CsatReport;
  agents: AgentsReport;
  breakdown: BreakdownReport;
  live: LiveReport;
};

/** A report's answer as tables: what CSV and XLSX exports write (a sheet per table). */
export function reportTables<N extends ReportName>(name: N, report: ReportOf[N]): ReportTable[] {
  switch (name) {
    case "volume": {
      const v = report as VolumeReport;
      return [
        {
          key: "volume",
          columns: [col("bucket", "day"), col("created"), col("resolved"), col("closed"), col("reopened")],
          rows: v.buckets as unknown as Record<string, unknown>[],
          totals: { bucket: "total", ...v.totals },
        },
        {
          key: "backlog",
          columns: [col("day", "day"), col("open")],
          rows: v.backlog as unknown as Record<string, unknown>[],
        },
      ];
    }
    case "timings": {
      const t = report as TimingsReport;
      return [
        {
          key: "timings",
          columns: durationColumns,
          rows: [
            durationRow("first_response", t.firstResponse),
            durationRow("next_response", t.nextResponse),
            durationRow("resolution", t.resolution),
            ...(t.businessHours
              ? [
                  durationRow("first_response_business", t.businessHours.firstResponse),
                  durationRow("next_response_business", t.businessHours.nextResponse),
                  durationRow("resolution_business", t.businessHours.resolution),
                ]
              : []),
          ],
        },
      ];
    }
    case "sla": {
      const s = report as SlaReport;
      return [
        {
          key: "sla",
          columns: [
            col("target", "text"),
            col("met"),
            col("metLate"),
            col("breached"),
            col("compliance", "ratio"),
            col("warningsRaised"),
            col("breachesRaised"),
          ],
          rows: s.targets as unknown as Record<string, unknown>[],
        },
      ];
    }
    case "csat": {
      const { csat } = report as CsatReport;
      const [s1, s2, s3, s4, s5] = csat.distribution;
      return [
        {
          key: "csat",
          columns: ["resolutions", "rated", "s1", "s2", "s3", "s4", "s5"]
            .map((k) => col(k))
            .concat([col("responseRate", "ratio"), col("average"), col("satisfied", "ratio")]),
          rows: [{ ...csat, s1, s2, s3, s4, s5 }],
        },
      ];
    }
    case "agents": {
      const a = report as AgentsReport;
      const sum = (k: "handled" | "replies" | "resolved" | "ratings") =>
        a.agents.reduce((n, x) => n + x[k], 0);
      return [
        {
          key: "agents",
          columns: [
            col("name", "text"),
            col("role", "text"),
            col("handled"),
            col("replies"),
            col("resolved"),
            col("medianFirstResponse", "duration"),
            col("csatAverage"),
            col("ratings"),
          ],
          rows: a.agents as unknown as Record<string, unknown>[],
          totals: {
            name: "total",
            handled: sum("handled"),
            replies: sum("replies"),
            resolved: sum("resolved"),
            ratings: sum("ratings"),
          },
        },
      ];
    }
    case "breakdown": {
      const b = report as BreakdownReport;
      return [
        {
          key: `by_${b.range.by}`,
          columns: [
            col("key", "text"),
            col("name", "name"),
            col("created"),
            col("resolved"),
            col("open"),
            col("medianFirstResponse", "duration"),
          ],
          rows: b.rows as unknown as Record<string, unknown>[],
          totals: { key: "total", ...b.totals },
        },
      ];
    }
    case "live": {
      const l = report as LiveReport;
      return [
        {
          key: "live",
          columns: [col("asked"), col("ended"), col("open"), col("abandoned")],
          rows: [{ asked: l.asked, ended: l.ended, open: l.open, abandoned: l.abandoned }],
        },
        {
          key: "live_times",
          columns: durationColumns,
          rows: [
            durationRow("queue_wait", l.queueWait),
            durationRow("handle_time", l.handleTime),
            durationRow("abandoned_after", l.abandonedAfter),
          ],
        },
      ];
    }
  }
  throw new Error(`unknown report ${name}`);
}
