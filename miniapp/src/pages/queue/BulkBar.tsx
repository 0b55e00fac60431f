import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useApp } from "../../app-context.js";
import { formatNumber, fullName } from "../../format.js";
import { t } from "../../i18n.js";
import { useApi } from "../../remote/api-context.js";
import type { Person } from "../../remote/client.js";
import { unwrap } from "../../remote/client.js";
import { invalidateFor } from "../../remote/live.js";
import { errorText } from "../../states.js";
import { haptic } from "../../telegram.js";

type BulkBody =
  | { action: "assign"; assigneeId: string | null }
  | { action: "status"; status: string }
  | { action: "label"; labelId: string; remove: boolean };

/** The one picker's value ("assign:<id|none>", "status:<s>", "label+:<id>", "label-:<id>") as the API's body. */
function bodyOf(choice: string): BulkBody {
  const [kind, value] = [choice.slice(0, choice.indexOf(":")), choice.slice(choice.indexOf(":") + 1)];
  if (kind === "assign") return { action: "assign", assigneeId: value === "none" ? null : value };
  if (kind === "status") return { action: "status", status: value };
  return { action: "label", labelId: value, remove: kind === "label-" };
}

/**
 * Select mode's bar: how many are picked, select all loaded, one action for all of
 * them (assign, status, add or remove a label) and what came of it per ticket. The
 * server checks each ticket as if changed alone; refusals are counted and the first
 * reason said. Moderators and admins assign to anyone; an agent may only take or let go.
 */
export function BulkBar({
  selected,
  onSelectAll,
  onDone,
  onCancel,
}: {
  selected: string[];
  onSelectAll(): void;
  onDone(): void;
  onCancel(): void;
}) {
  const { me, meta, lang } = useApp();
  const { client } = useApi();
  const queries = useQueryClient();
  const [choice, setChoice] = useState("");
  const [result, setResult] = useState<string | null>(null);
  const managesPeople = ["moderator", "admin", "owner"].includes(me.role);
  const staff = useQuery({
    queryKey: ["bulk-assignees"],
    queryFn: () =>
      unwrap(
        client.users.$get({
          query: { active: "true", limit: "200", role: "agent,moderator,admin,owner" } as never,
        }),
      ) as Promise<Person[]>,
    enabled: managesPeople,
    staleTime: 5 * 60_000,
  });
  const apply = useMutation({
    mutationFn: (body: BulkBody) =>
      unwrap(client.tickets.bulk.$post({ json: { ticketIds: selected, ...body } as never })),
    onSuccess: (data) => {
      const failed = data.results.filter((r) => !r.ok);
      const first = failed[0] as { code?: string; reason?: string | null } | undefined;
      const reason = first
        ? t(`errors:${first.reason ?? first.code}`, { defaultValue: t(`errors:${first.code}`) })
        : "";
      const n = (v: number) => formatNumber(v, lang);
      setResult(
        failed.length
          ? t("queue_view.bulk_partly", {
              ok: n(data.results.length - failed.length),
              failed: n(failed.length),
              reason,
            })
          : t("queue_view.bulk_done", { ok: n(data.results.length) }),
      );
      haptic(failed.length ? "error" : "success");
      setChoice("");
      for (const id of selected) void invalidateFor(queries, id);
      onDone();
    },
    onError: (e) => {
      setResult(errorText(e));
      haptic("error");
    },
  });
  return (
    <section className="bulk-bar" aria-label={t("queue_view.select")}>
      <div className="bulk-line">
        <strong>{t("queue_view.selected", { n: formatNumber(selected.length, lang) })}</strong>
        <button type="button" className="secondary" onClick={onSelectAll}>
          {t("queue_view.select_all")}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t("queue_view.select_cancel")}
        </button>
      </div>
      <div className="bulk-line">
        <select
          aria-label={t("queue_view.bulk_action")}
          value={choice}
          onChange={(e) => setChoice(e.target.value)}
        >
          <option value="">{t("queue_view.bulk_action")}</option>
          <optgroup label={t("filter.assignee")}>
            <option value={`assign:${me.id}`}>{t("queue_view.bulk_take")}</option>
            <option value="assign:none">{t("queue_view.bulk_unassign")}</option>
            {(staff.data ?? [])
              .filter((u) => u.id !== me.id)
              .map((u) => (
                <option key={u.id} value={`assign:${u.id}`}>
                  {fullName(u)}
                </option>
              ))}
          </optgroup>
          <optgroup label={t("filter.status")}>
            {meta.statuses.map((s) => (
              <option key={s} value={`status:${s}`}>
                {t(`common:status.${s}`)}
              </option>
            ))}
          </optgroup>
          {meta.labels.length > 0 && (
            <optgroup label={t("filter.label")}>
              {meta.labels.map((l) => (
                <option key={l.id} value={`label+:${l.id}`}>
                  {t("queue_view.bulk_label_add", { name: l.name })}
                </option>
              ))}
              {meta.labels.map((l) => (
                <option key={`-${l.id}`} value={`label-:${l.id}`}>
                  {t("queue_view.bulk_label_remove", { name: l.name })}
                </option>
              ))}
            </optgroup>
          )}
        </select>
        <button
          type="button"
          disabled={!choice || selected.length === 0 || apply.isPending}
          onClick={() => apply.mutate(bodyOf(choice))}
        >
          {t("queue_view.bulk_apply")}
        </button>
      </div>
      {result && (
        <p className="bulk-result" role="status">
          {result}
        </p>
      )}
    </section>
  );
}
