// TODO(merge): bot/delivery is being moved onto the domain in a parallel change; it still
// imports this path. The keyboards live in bot/ui/keyboards.ts; delete this file once
// bot/delivery imports that.
export * from "./ui/keyboards.js";
