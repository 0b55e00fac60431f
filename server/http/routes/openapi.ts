import { z } from "zod";
import {
  assignBodySchema,
  breakdownQuerySchema,
  bulkTicketsSchema,
  changeStatusBodySchema,
  createBranchSchema,
  createCalendarSchema,
  createCannedReplySchema,
  createCategorySchema,
  createLabelSchema,
  createRuleSchema,
  createSlaPolicySchema,
  createTicketBodySchema,
  createUserSchema,
  deliveryBacklogSchema,
  editMessageBodySchema,
  listAuditSchema,
  listCannedRepliesSchema,
  listCatalogSchema,
  listTicketsSchema,
  listUsersSchema,
  messageBodySchema,
  rateBodySchema,
  reportQuerySchema,
  sendCannedBodySchema,
  setAssignmentPolicySchema,
  updateBranchSchema,
  updateCalendarSchema,
  updateCannedBodySchema,
  updateCategorySchema,
  updateLabelSchema,
  updateRuleSchema,
  updateSettingsSchema,
  updateSlaPolicySchema,
  updateTicketBodySchema,
} from "../../domain/index.js";
import { refreshBody } from "./auth.js";
import { moderationApiRoutes } from "./moderation.js";
import { AUDIT_OPENAPI_ROUTES } from "./openapi-audit.js";
import { liveRouteDocs } from "./openapi-live.js";
import { reportDeliveryRoutes } from "./openapi-report-delivery.js";
import { exportQuery } from "./report-exports.js";
import { preferencesPatchSchema, userPatchSchema } from "./users.js";

/**
 * A description of the API for tools and integrators (OpenAPI 3.1). Request
 * bodies and query strings are generated from the very zod schemas the domain
 * and the routes validate with, so the document cannot drift from what is
 * accepted; fields that come from the path or the server are left out.
 */
export interface Route {
  method: "get" | "post" | "put" | "patch" | "delete";
  path: string;
  summary: string;
  body?: z.ZodType;
  query?: z.ZodType;
  /** Request headers the route honours besides Authorization. */
  headers?: Array<keyof typeof HEADERS>;
}

const HEADERS = {
  "Idempotency-Key":
    "Repeating a write with the same key (per user, 24 h) returns the first answer and writes nothing again; the same key with another body is 422",
  "If-Match": "The ETag of GET /api/tickets/{id} the change is based on: 412 when the ticket changed since",
};

const route = (method: Route["method"], path: string, summary: string, io: Partial<Route> = {}): Route => ({
  method,
  path,
  summary,
  ...io,
});

const routes: Route[] = [
  route(
    "post",
    "/api/auth/telegram",
    "Exchange Telegram initData (Authorization: tma <initData>) for tokens",
  ),
  route("post", "/api/auth/refresh", "Rotate a refresh token", { body: refreshBody }),
  route("post", "/api/auth/logout", "Revoke a refresh token", { body: refreshBody }),
  route("get", "/api/auth/me", "The signed-in user, role and scope"),
  route(
    "get",
    "/api/tickets",
    "The queue in the actor's scope, newest first, with a cursor; each ticket carries sla { state, firstResponseDueAt, nextResponseDueAt, resolutionDueAt } for staff (null for a requester); sla=at_risk|breached and escalated=true filter on it (staff). Each row also has requester { id, name, username }, assignee (staff only), lastMessage { snippet, at, fromRequester, internal }, waitingSince, unread (messages by others since the reader last opened the thread) and, with q, match (the words in context). q searches number, title, description and every message the reader may see, Persian-aware (ی/ي, ک/ك, ZWNJ, Persian/Arabic digits folded)",
    {
      query: listTicketsSchema,
    },
  ),
  route("post", "/api/tickets", "Open a ticket (staff may open one on behalf of a user)", {
    body: createTicketBodySchema,
    headers: ["Idempotency-Key"],
  }),
  route(
    "post",
    "/api/tickets/bulk",
    "One action for up to 100 tickets (staff who work tickets): assign (assigneeId, null unassigns), status, or label (labelId, remove). Each ticket goes through its single change with the same role and scope checks and history; the answer is results [{ ticketId, ok, code?, reason? }] per ticket, so a refused one does not undo the others",
    { body: bulkTicketsSchema },
  ),
  route(
    "get",
    "/api/tickets/requesters",
    "People the actor may open a ticket for (staff): q, limit → id, names, username, branchId",
  ),
  route(
    "get",
    "/api/tickets/{id}",
    "One ticket with labels, attachments, its requester, (for staff) its assignee and sla { state, …DueAt } (null for a requester)",
  ),
  route("patch", "/api/tickets/{id}", "Change title, category, priority, labels (If-Match: 412 if stale)", {
    body: updateTicketBodySchema,
    headers: ["If-Match"],
  }),
  route("patch", "/api/tickets/{id}/status", "Move along the lifecycle (If-Match: 412 if stale)", {
    body: changeStatusBodySchema,
    headers: ["If-Match"],
  }),
  route(
    "put",
    "/api/tickets/{id}/rating",
    "The requester rates the current resolution 1–5 and/or comments (24 h)",
    {
      body: rateBodySchema,
    },
  ),
  route("patch", "/api/tickets/{id}/assignee", "Assign, take or unassign (assigneeId null; If-Match)", {
    body: assignBodySchema,
    headers: ["If-Match"],
  }),
  route("get", "/api/tickets/{id}/history", "Every change of the ticket"),
  route(
    "get",
    "/api/tickets/{id}/choices",
    "What the actor may pick: assignees (never the current one), canUnassign, statuses",
  ),
  route("get", "/api/tickets/{id}/messages", "The thread (internal notes for staff only)"),
  route(
    "post",
    "/api/tickets/{id}/messages",
    "Reply or internal note: JSON, or multipart with body, internal, files (Idempotency-Key)",
    { body: messageBodySchema, headers: ["Idempotency-Key"] },
  ),
  route(
    "patch",
    "/api/tickets/{id}/messages/{messageId}",
    "Edit the text of one's own message within 48 hours (409 edit_window_passed after); marked edited, kept in history, relayed to the delivered Telegram copies",
    { body: editMessageBodySchema },
  ),
  route(
    "post",
    "/api/tickets/{id}/canned",
    "Send a canned reply on the ticket: rendered in the requester's language, with its files (Idempotency-Key)",
    { body: sendCannedBodySchema, headers: ["Idempotency-Key"] },
  ),
  route(
    "get",
    "/api/canned-replies",
    "Canned replies the actor may use (own personal, branch, global; q searches title and text; ticketId adds that ticket's branch; all=true for admins); each with canManage",
    { query: listCannedRepliesSchema },
  ),
  route(
    "post",
    "/api/canned-replies",
    "Create a canned reply (personal: staff; branch: moderators; global: admins)",
    {
      body: createCannedReplySchema.omit({ files: true }),
    },
  ),
  route("get", "/api/canned-replies/{id}", "One canned reply"),
  route("patch", "/api/canned-replies/{id}", "Change a canned reply (files may only be kept or dropped)", {
    body: updateCannedBodySchema,
  }),
  route("delete", "/api/canned-replies/{id}", "Delete a canned reply"),
  route("post", "/api/canned-replies/{id}/files", "Add files to a canned reply: multipart files"),
  route(
    "get",
    "/api/canned-replies/{id}/preview",
    "The reply's text as it would be sent on a ticket: ticketId → { body, language }",
  ),
  route("get", "/api/files/{id}", "An attachment's bytes, after the permission check"),
  route("get", "/api/users", "Users in the actor's scope (moderators, admins)", { query: listUsersSchema }),
  route(
    "post",
    "/api/users",
    "Register a person by Telegram id before their first message (moderators, admins)",
    {
      body: createUserSchema,
    },
  ),
  route("get", "/api/users/{id}", "One user"),
  route("patch", "/api/users/{id}", "Role, branch, active, skills, language, capacity (maxOpenTickets)", {
    body: userPatchSchema,
  }),
  route("patch", "/api/users/me/preferences", "Own language, notification preferences, away (staff)", {
    body: preferencesPatchSchema,
  }),
  route("get", "/api/branches", "Branches", { query: listCatalogSchema }),
  route("post", "/api/branches", "Create a branch (admin)", { body: createBranchSchema }),
  route("patch", "/api/branches/{id}", "Update or deactivate a branch (admin)", { body: updateBranchSchema }),
  route("get", "/api/categories", "Categories", { query: listCatalogSchema }),
  route("post", "/api/categories", "Create a category (admin)", { body: createCategorySchema }),
  route("patch", "/api/categories/{id}", "Update or deactivate a category (admin)", {
    body: updateCategorySchema,
  }),
  route("get", "/api/labels", "Labels", { query: listCatalogSchema }),
  route("post", "/api/labels", "Create a label (admin)", { body: createLabelSchema }),
  route("patch", "/api/labels/{id}", "Update or deactivate a label (admin)", { body: updateLabelSchema }),
  route("get", "/api/settings", "Settings with defaults"),
  route("patch", "/api/settings", "Change settings (admin)", { body: updateSettingsSchema }),
  route("get", "/api/sla-policies", "SLA policies: targets per priority, category and branch (staff)"),
  route("post", "/api/sla-policies", "Create an SLA policy (admin); open tickets' due times are recomputed", {
    body: createSlaPolicySchema,
  }),
  route("patch", "/api/sla-policies/{id}", "Change an SLA policy (admin)", { body: updateSlaPolicySchema }),
  route("delete", "/api/sla-policies/{id}", "Delete an SLA policy (admin)"),
  route(
    "get",
    "/api/automation-rules",
    "Automation rules: on an event, if conditions match, do actions (admin)",
  ),
  route("post", "/api/automation-rules", "Create an automation rule (admin)", { body: createRuleSchema }),
  route("patch", "/api/automation-rules/{id}", "Change an automation rule (admin)", {
    body: updateRuleSchema,
  }),
  route("delete", "/api/automation-rules/{id}", "Delete an automation rule (admin)"),
  route("get", "/api/assignment-policies", "Auto-assignment policies per branch and category (staff)"),
  route(
    "put",
    "/api/assignment-policies",
    "Set the policy of a branch (and category): strategy, capacity (admin)",
    {
      body: setAssignmentPolicySchema,
    },
  ),
  route("delete", "/api/assignment-policies/{id}", "Delete an auto-assignment policy (admin)"),
  route("get", "/api/business-calendars", "Business calendars: zone, weekly hours, holidays (staff)"),
  route(
    "post",
    "/api/business-calendars",
    'Create a calendar (admin): preset "iran" or "mon_fri"; holidays as "2026-03-21", "1405/01/01" (Jalali) or { jalali }',
    { body: createCalendarSchema },
  ),
  route("patch", "/api/business-calendars/{id}", "Change a calendar (admin)", { body: updateCalendarSchema }),
  route("delete", "/api/business-calendars/{id}", "Delete a calendar (admin)"),
  route(
    "get",
    "/api/reports/summary",
    "Counts by status, tickets created and resolved today, and what needs attention (unassigned, at risk, breached, oldest waiting), in scope (staff)",
  ),
  ...(
    [
      ["volume", "Created, resolved, closed, reopened per day/week/month and the daily backlog"],
      [
        "timings",
        "First response, next response and resolution times: median, p90, average (seconds, wall time)",
      ],
      ["sla", "SLA targets met, late, breached per target; warnings and breaches raised; at risk now"],
      ["csat", "Satisfaction: average, response rate, share of 4–5 stars, distribution"],
      ["agents", "Per staff member: tickets handled, replies, finishes, median first response, CSAT"],
    ] as const
  ).map(([name, what]) =>
    route("get", `/api/reports/${name}`, `${what} (staff, in scope; default: the last 30 days)`, {
      query: reportQuerySchema,
    }),
  ),
  route(
    "get",
    "/api/reports/breakdown",
    "Created, resolved, open and median first response by branch, category, priority, label or channel (staff)",
    { query: breakdownQuerySchema },
  ),
  route(
    "get",
    "/api/reports/export/{name}",
    "A report (volume, timings, sla, csat, agents, breakdown) with its own parameters, or the ticket list (tickets) with GET /api/tickets' filters and sort, as format=csv (UTF-8 with BOM, text/csv), xlsx (a sheet per table) or pdf (application/pdf; Persian shaped and right to left; the ticket list's first 5,000 rows); streamed (staff)",
    { query: exportQuery },
  ),
  route("get", "/api/meta", "Enums, categories, labels and branches for the UI"),
  route("get", "/api/audit", "Admin audit log, newest first, with a cursor (admins, owners)", {
    query: listAuditSchema,
  }),
  route("get", "/api/openapi.json", "This document"),
  route("get", "/api/events", "Server-Sent Events of changes in scope (?access_token= allowed)"),
  route("get", "/api/notifications/failed", "Undeliverable notifications (admin)"),
  route(
    "get",
    "/api/notifications/backlog",
    "Chats with queued notifications, worst lag first: queued count, lag in seconds, 429 pause (admin)",
    { query: deliveryBacklogSchema },
  ),
  route("post", "/api/notifications/{id}/retry", "Queue a failed notification again (admin)"),
  ...reportDeliveryRoutes,
  // Bot abuse (docs/OPERATIONS.md "Bot abuse"): kept in its own file.
  ...moderationApiRoutes,
  ...AUDIT_OPENAPI_ROUTES,
  ...liveRouteDocs,
];

/**
 * Filled in from the path (ticketId, id, userId), a header (ifMatch) or by the server
 * (source, origin): not the caller's to send in a body.
 */
const NOT_FROM_CALLER = new Set(["ticketId", "id", "userId", "source", "origin", "ifMatch"]);

function jsonSchemaOf(schema: z.ZodType): { properties?: Record<string, unknown>; required?: string[] } {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as {
    $schema?: string;
    properties?: Record<string, unknown>;
    required?: string[];
  };
  delete json.$schema;
  for (const key of Object.keys(json.properties ?? {}))
    if (NOT_FROM_CALLER.has(key)) delete json.properties?.[key];
  if (json.required) json.required = json.required.filter((k) => !NOT_FROM_CALLER.has(k));
  return json;
}

function queryParameters(schema: z.ZodType) {
  const json = jsonSchemaOf(schema);
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: "query",
    required: json.required?.includes(name) ?? false,
    schema: property,
  }));
}

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { method, path, summary, body, query, headers = [] } of routes) {
    const open = (path.startsWith("/api/auth/") && path !== "/api/auth/me") || path === "/api/openapi.json";
    const params = [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
      name,
      in: "path",
      required: true,
      schema: { type: "string", format: "uuid" },
    }));
    const headerParams = headers.map((name) => ({
      name,
      in: "header",
      required: false,
      description: HEADERS[name],
      schema: { type: "string" },
    }));
    paths[path] ??= {};
    paths[path][method] = {
      summary,
      ...(params.length || query || headerParams.length
        ? { parameters: [...params, ...(query ? queryParameters(query) : []), ...headerParams] }
        : {}),
      ...(body
        ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchemaOf(body) } } } }
        : {}),
      ...(open ? {} : { security: [{ bearer: [] }] }),
      responses: {
        "2XX": { description: "Success" },
        "401": { description: "Not signed in" },
        "403": { description: "Not allowed" },
        "404": { description: "Not found or out of scope" },
        "409": { description: "Conflict or refused transition" },
        "412": { description: "Changed since read (If-Match)" },
        "422": { description: "Invalid input, with field issues" },
        "429": { description: "Too many requests" },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "Telegram helpdesk API", version: "0.1.0" },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } } },
    paths,
  };
}
