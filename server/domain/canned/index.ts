export * from "./list.js";
export * from "./render.js";
export * from "./schemas.js";
export * from "./send.js";
export * from "./write.js";
