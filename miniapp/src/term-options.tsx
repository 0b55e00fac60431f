import { t } from "./i18n.js";

/**
 * The options of a picker over one of the product's fixed lists — statuses,
 * priorities, languages — each named as common.json names it in the reader's
 * language. The queue filters, the ticket controls, the new-ticket form and the
 * add-a-person form all offer these lists.
 */
export function TermOptions({
  term,
  values,
}: {
  term: "status" | "priority" | "language";
  values: readonly string[];
}) {
  return (
    <>
      {values.map((v) => (
        <option key={v} value={v}>
          {t(`common:${term}.${v}`)}
        </option>
      ))}
    </>
  );
}
