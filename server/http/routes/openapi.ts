/**
 * A description of the API for tools and integrators (OpenAPI 3.1). Request and
 * response bodies follow the domain's zod schemas and drizzle row types; this
 * document names every route, its purpose and its security.
 */
const routes: Array<[method: string, path: string, summary: string]> = [
  ["post", "/api/auth/telegram", "Exchange Telegram initData (Authorization: tma <initData>) for tokens"],
  ["post", "/api/auth/refresh", "Rotate a refresh token"],
  ["post", "/api/auth/logout", "Revoke a refresh token"],
  ["get", "/api/auth/me", "The signed-in user, role and scope"],
  [
    "get",
    "/api/tickets",
    "The queue: filters status, priority, categoryId, branchId, labelId, assigneeId (uuid|none), requesterId, createdFrom, createdTo, q; sort; cursor; limit",
  ],
  ["post", "/api/tickets", "Open a ticket (staff may open one on behalf of a user)"],
  ["get", "/api/tickets/{id}", "One ticket with labels and attachments"],
  ["patch", "/api/tickets/{id}", "Change title, category, priority, labels"],
  ["patch", "/api/tickets/{id}/status", "Move along the lifecycle"],
  ["patch", "/api/tickets/{id}/assignee", "Assign, take or unassign"],
  ["get", "/api/tickets/{id}/history", "Every change of the ticket"],
  ["get", "/api/tickets/{id}/messages", "The thread (internal notes for staff only)"],
  ["post", "/api/tickets/{id}/messages", "Reply or internal note, JSON or multipart with files"],
  ["get", "/api/files/{id}", "An attachment's bytes, after the permission check"],
  ["get", "/api/users", "Users in the actor's scope (moderators, admins)"],
  ["get", "/api/users/{id}", "One user"],
  ["patch", "/api/users/{id}", "Role, branch, active, skills, language"],
  ["patch", "/api/users/me/preferences", "Own language and notification preferences"],
  ["get", "/api/branches", "Branches"],
  ["post", "/api/branches", "Create a branch (admin)"],
  ["patch", "/api/branches/{id}", "Update or deactivate a branch (admin)"],
  ["get", "/api/categories", "Categories"],
  ["post", "/api/categories", "Create a category (admin)"],
  ["patch", "/api/categories/{id}", "Update or deactivate a category (admin)"],
  ["get", "/api/labels", "Labels"],
  ["post", "/api/labels", "Create a label (admin)"],
  ["patch", "/api/labels/{id}", "Update or deactivate a label (admin)"],
  ["get", "/api/settings", "Settings with defaults"],
  ["patch", "/api/settings", "Change settings (admin)"],
  ["get", "/api/reports/summary", "Counts by status and tickets created today, in scope (staff)"],
  ["get", "/api/meta", "Enums, categories, labels and branches for the UI"],
  ["get", "/api/events", "Server-Sent Events of changes in scope (?access_token= allowed)"],
  ["get", "/api/notifications/failed", "Undeliverable notifications (admin)"],
  ["post", "/api/notifications/{id}/retry", "Queue a failed notification again (admin)"],
];

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [method, path, summary] of routes) {
    const open = path.startsWith("/api/auth/") && path !== "/api/auth/me";
    paths[path] ??= {};
    paths[path][method] = {
      summary,
      ...(open ? {} : { security: [{ bearer: [] }] }),
      responses: {
        "2XX": { description: "Success" },
        "401": { description: "Not signed in" },
        "403": { description: "Not allowed" },
        "404": { description: "Not found or out of scope" },
        "409": { description: "Conflict or refused transition" },
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
