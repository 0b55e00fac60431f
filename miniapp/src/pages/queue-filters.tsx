import { useState } from "react";
import { useApp } from "../app-context.js";
import { formatNumber, fullName, localName } from "../format.js";
import { t } from "../i18n.js";
import { useStaffPeople } from "../remote/admin-queries.js";
import { TermOptions } from "../term-options.js";

/** The queue's filters as the list route takes them ("" = any). */
export interface QueueFilters {
  status: string;
  priority: string;
  categoryId: string;
  branchId: string;
  labelId: string;
  /** Where the requester first wrote: bot, miniapp, staff_chat, none (staff only). */
  channel: string;
  assigneeId: string;
  /** "at_risk" | "breached" (staff only). */
  sla: string;
  sort: string;
}
export const NO_FILTERS: QueueFilters = {
  status: "",
  priority: "",
  categoryId: "",
  branchId: "",
  labelId: "",
  channel: "",
  assigneeId: "",
  sla: "",
  sort: "updated_desc",
};
const SORTS = ["updated_desc", "updated_asc", "created_desc", "created_asc", "priority_desc"];
const SLA_FILTERS = ["at_risk", "breached"];
const CHANNELS = ["bot", "miniapp", "staff_chat", "none"];
const ASSIGNABLE = "agent,moderator,admin,owner";

/**
 * How many filters narrow the list (the sort does not; nor the assignee filter where
 * a tab fixes the assignee): shown on the toggle.
 */
export const activeFilterCount = (f: QueueFilters, assigneeApplies = true) =>
  (Object.keys(f) as (keyof QueueFilters)[]).filter(
    (k) => k !== "sort" && f[k] !== "" && (k !== "assigneeId" || assigneeApplies),
  ).length;

/**
 * The queue's filter bar: status and priority always, SLA (at risk, breached) for staff; category, branch, label,
 * assignee and sort behind a toggle. The assignee filter is for those who may
 * list staff (moderators and admins) on the All tab; the branch filter for those
 * whose scope spans branches.
 */
export function QueueFilterBar({
  filters,
  onChange,
  showAssignee,
}: {
  filters: QueueFilters;
  onChange: (f: QueueFilters) => void;
  showAssignee: boolean;
}) {
  const { me, meta, lang } = useApp();
  const [open, setOpen] = useState(activeFilterCount(filters) > 0 || filters.sort !== NO_FILTERS.sort);
  const managesPeople = ["moderator", "admin", "owner"].includes(me.role);
  // Asked once the filters open (not for every queue view); kept while the app runs.
  const staff = useStaffPeople(ASSIGNABLE, { active: true, enabled: open && showAssignee && managesPeople });
  const set = (key: keyof QueueFilters) => (e: { target: { value: string } }) =>
    onChange({ ...filters, [key]: e.target.value });
  const any = (label: string) => <option value="">{`${label}: ${t("filter.any")}`}</option>;
  const branches = meta.branches ?? [];
  const count = activeFilterCount(filters, showAssignee);
  return (
    <>
      <select aria-label={t("filter.status")} value={filters.status} onChange={set("status")}>
        {any(t("filter.status"))}
        <TermOptions term="status" values={meta.statuses} />
      </select>
      <select aria-label={t("filter.priority")} value={filters.priority} onChange={set("priority")}>
        {any(t("filter.priority"))}
        <TermOptions term="priority" values={meta.priorities} />
      </select>
      {me.role !== "requester" && (
        <select aria-label={t("sla.filter")} value={filters.sla} onChange={set("sla")}>
          {any(t("sla.filter"))}
          {SLA_FILTERS.map((s) => (
            <option key={s} value={s}>
              {t(`sla.filter_${s}`)}
            </option>
          ))}
        </select>
      )}
      <button type="button" className="secondary" aria-expanded={open} onClick={() => setOpen(!open)}>
        {count > 0 ? t("filter.more_count", { n: formatNumber(count, lang) }) : t("filter.more")}
      </button>
      {count > 0 && (
        <button
          type="button"
          className="secondary"
          onClick={() => onChange({ ...NO_FILTERS, sort: filters.sort })}
        >
          {t("filter.clear")}
        </button>
      )}
      {open && (
        <div className="filters more-filters">
          <select aria-label={t("filter.category")} value={filters.categoryId} onChange={set("categoryId")}>
            {any(t("filter.category"))}
            {meta.categories.map((c) => (
              <option key={c.id} value={c.id}>
                {c.emoji} {localName(c.name, lang)}
                {c.isActive ? "" : ` (${t("ticket.category_inactive")})`}
              </option>
            ))}
          </select>
          {!me.branchId && branches.length > 0 && (
            <select aria-label={t("filter.branch")} value={filters.branchId} onChange={set("branchId")}>
              {any(t("filter.branch"))}
              {branches.map((b) => (
                <option key={b.id} value={b.id}>
                  {localName(b.name, lang)}
                </option>
              ))}
            </select>
          )}
          {/* Labels are staff's own sorting: a requester's view has no staff filters. */}
          {meta.labels.length > 0 && me.role !== "requester" && (
            <select aria-label={t("filter.label")} value={filters.labelId} onChange={set("labelId")}>
              {any(t("filter.label"))}
              {meta.labels.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </select>
          )}
          {me.role !== "requester" && (
            <select aria-label={t("filter.channel")} value={filters.channel} onChange={set("channel")}>
              {any(t("filter.channel"))}
              {CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {t(`channels.${c}`)}
                </option>
              ))}
            </select>
          )}
          {showAssignee && managesPeople && (
            <select aria-label={t("filter.assignee")} value={filters.assigneeId} onChange={set("assigneeId")}>
              {any(t("filter.assignee"))}
              {/* The chosen person before the list is in (or if it could not be loaded). */}
              {filters.assigneeId && !staff.some((u) => u.id === filters.assigneeId) && (
                <option value={filters.assigneeId}>{t("ticket.someone")}</option>
              )}
              {staff.map((u) => (
                <option key={u.id} value={u.id}>
                  {fullName(u)}
                </option>
              ))}
            </select>
          )}
          <select aria-label={t("filter.sort")} value={filters.sort} onChange={set("sort")}>
            {SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`sort.${s}`)}
              </option>
            ))}
          </select>
        </div>
      )}
    </>
  );
}
