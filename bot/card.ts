// TODO(merge): bot/delivery is being moved onto the domain in a parallel change; it still
// imports this path. The card lives in bot/ui/card.ts; delete this file once bot/delivery
// imports that.
export * from "./ui/card.js";
