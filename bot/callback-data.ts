// TODO(merge): bot/delivery is being moved onto the domain in a parallel change; it still
// imports this path. The codec lives in bot/ui/callback-data.ts; delete this file once
// bot/delivery imports that.
export * from "./ui/callback-data.js";
