/** The queue lives in pages/queue/; this name stays for App.tsx's eager import. */
export { Queue } from "./queue/Queue.js";
