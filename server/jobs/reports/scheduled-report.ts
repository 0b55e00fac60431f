import type { i18n } from "i18next";
import { runScheduledReport, type ServiceContext } from "../../domain/index.js";
import { renderReportFile, reportFileBytes } from "../../http/export/report-file.js";
import type { Logger } from "../../logger.js";

/**
 * The `scheduled_report` job's handler: the domain verb runs the schedule; the file
 * is made here, with the export code the HTTP door uses (server/http/export), in the
 * schedule's language, read as the system with the schedule's filters.
 */
export function scheduledReportHandler(deps: { i18n: i18n; logger: Logger }) {
  return async (ctx: ServiceContext, payload: Record<string, unknown>) =>
    runScheduledReport({
      ctx,
      input: { id: String(payload.id), due: String(payload.due) },
      render: async ({ schedule, input }) => {
        const file = await renderReportFile({
          ctx,
          locale: {
            t: deps.i18n.getFixedT(schedule.language),
            language: schedule.language,
            timeZone: ctx.settings.timeZone,
          },
          name: schedule.report as Parameters<typeof renderReportFile>[0]["name"],
          format: schedule.format,
          input,
          onError: (e) =>
            deps.logger.error({ err: e, schedule: schedule.id }, "scheduled report file failed"),
        });
        return { ...file, bytes: await reportFileBytes(file), caption: file.title };
      },
    });
}
