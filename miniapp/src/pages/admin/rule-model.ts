import type { InferResponseType } from "hono/client";
import type { ApiClient } from "../../remote/client.js";

/** The automation rule as the list answers it (server/domain/automation). */
export type RuleData = InferResponseType<ApiClient["automation-rules"]["$get"], 200>[number];

/** One condition as edited. */
export interface ConditionRow {
  field: (typeof CONDITION_FIELDS)[number];
  op: "is" | "is_not" | "contains";
  value: string;
}

/** One action as edited: its type and the fields that type takes (numbers kept as typed). */
export type ActionRow = { type: (typeof ACTION_TYPES)[number] } & Record<string, string | number | undefined>;

export const RULE_EVENTS = ["ticket_created", "ticket_updated", "message_created"] as const;
export const CONDITION_FIELDS = [
  "category",
  "branch",
  "priority",
  "status",
  "label",
  "text",
  "requester_language",
  "author",
] as const;
export const ACTION_TYPES = [
  "set_priority",
  "set_category",
  "add_label",
  "set_status",
  "assign",
  "assign_auto",
  "add_note",
  "send_canned",
  "notify_chat",
] as const;

/** The inputs each action type takes, by body field. */
export const ACTION_FIELDS: Record<ActionRow["type"], string[]> = {
  set_priority: ["value"],
  set_category: ["value"],
  add_label: ["value"],
  set_status: ["value"],
  assign: ["userId"],
  assign_auto: [],
  add_note: ["body"],
  send_canned: ["cannedReplyId"],
  notify_chat: ["chatId", "text"],
};

/** A fresh condition of a field: text is searched in, the rest compared. */
export const conditionOf = (field: ConditionRow["field"]): ConditionRow => ({
  field,
  op: field === "text" ? "contains" : "is",
  value: "",
});

/** The action as the API wants it: only its own fields; a chat id as a number when it reads as one. */
export function actionBody(a: ActionRow): Record<string, unknown> {
  const out: Record<string, unknown> = { type: a.type };
  for (const f of ACTION_FIELDS[a.type]) {
    const v = a[f] ?? "";
    out[f] = f === "chatId" && /^-?\d+$/.test(String(v).trim()) ? Number(String(v).trim()) : v;
  }
  return out;
}
