export * from "./automation.js";
export * from "./catalog.js";
export * from "./enums.js";
export * from "./live.js";
export * from "./sla.js";
export * from "./system.js";
export * from "./tickets.js";
export * from "./users.js";
