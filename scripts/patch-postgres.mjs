#!/usr/bin/env node
/**
 * Patches postgres.js 3.4.9 (run by `npm install` as the postinstall step).
 *
 * Why: when PostgreSQL drops a connection while a small write is queued (a
 * restart, a failover, pg_terminate_backend, a proxy closing idle sockets), the
 * driver's deferred flush runs against a socket it has already set to null and
 * throws from a timer. Nothing can catch that: the whole helpdesk process exits.
 * And a connection that lost its socket with bytes queued keeps a stale timer,
 * so after reconnecting it never flushes again and its queries hang.
 * Upstream: porsager/postgres#1066, #1154, #1208 (open; 3.4.9 is the latest).
 *
 * The fix, in each build the package ships (ESM src/, CommonJS cjs/src/,
 * Cloudflare cf/src/):
 * - a query sent on a connection without a socket (a transaction's next
 *   statement after the server dropped it) is rejected with CONNECTION_CLOSED,
 *   and the connection stays where the pool reconnects it;
 * - a flush that finds no socket drops the bytes and rejects the queries that
 *   waited for them with CONNECTION_CLOSED (callers see an error, not a hang);
 * - closing or terminating a connection forgets the queued bytes and the timer;
 * - a closed connection forgets the query it was running, so a reconnect starts
 *   clean.
 *
 * Idempotent (a marker says the file is done). Exits non-zero for any other
 * version of the package, or a file that does not look as expected, so a changed
 * driver cannot slip through with the crash back in: check upstream, then update
 * or remove this script. (npm does not run this script when only the postgres
 * package is reinstalled; the server warns at start when the fix is missing.)
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const MARKER = "helpdesk-patch";
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkgDir = join(root, "node_modules", "postgres");
const builds = ["src", "cjs/src", "cf/src"];
const PATCHED_VERSION = "3.4.9";

/** [what to find (exactly once), what to put instead] */
const edits = [
  [
    "  function execute(q) {\n    if (terminated)\n      return queryError(q, Errors.connection('CONNECTION_DESTROYED', options))\n",
    `  function execute(q) {
    if (terminated)
      return queryError(q, Errors.connection('CONNECTION_DESTROYED', options))
    // ${MARKER}: a transaction (or reserved handle) still holds this connection
    // after its socket closed. Refuse at once; returning true keeps the
    // connection among the closed ones, where the pool reconnects it.
    if (!socket)
      return (queryError(q, Errors.connection('CONNECTION_CLOSED', options)), true)
`,
  ],
  [
    "  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)\n",
    `  // ${MARKER}: the socket closed after these bytes were queued. Throwing here
  // (from a timer) would end the process; reject the queries that waited for
  // these bytes instead. Not initial: that is a query the pool handed to this
  // connection for after its reconnect, never sent, still good. Returning true
  // keeps the connection where it is (closed), so the pool reconnects it; false
  // would park it among the full ones for good.
  function dropWriteAfterClose() {
    nextWriteTimer !== null && clearImmediate(nextWriteTimer)
    chunk = nextWriteTimer = null
    const err = Errors.connection('CONNECTION_CLOSED', options)
    query && queryError(query, err)
    while (sent.length)
      queryError(sent.shift(), err)
    query = null
    return true
  }

  function nextWrite(fn) {
    if (!socket)
      return dropWriteAfterClose()
    const x = socket.write(chunk, fn)
`,
  ],
  [
    "    clearImmediate(nextWriteTimer)\n    if (socket) {\n",
    `    clearImmediate(nextWriteTimer)
    chunk = nextWriteTimer = null // ${MARKER}: a stale timer would block every later flush
    if (socket) {
`,
  ],
  [
    "    clearImmediate(nextWriteTimer)\n    socket.removeListener('data', data)\n",
    `    clearImmediate(nextWriteTimer)
    chunk = nextWriteTimer = null // ${MARKER}: a stale timer would block every later flush
    socket.removeListener('data', data)
`,
  ],
  [
    "    !hadError && (query || sent.length) && error(Errors.connection('CONNECTION_CLOSED', options, socket))\n",
    `    !hadError && (query || sent.length) && error(Errors.connection('CONNECTION_CLOSED', options, socket))
    // ${MARKER}: whatever was queued after the socket's error event is settled too,
    // and the reconnect starts without the dead query.
    hadError && (query || sent.length) && error(Errors.connection('CONNECTION_CLOSED', options))
    query = results = errorResponse = null
    result = new Result()
    rows = 0
`,
  ],
];

/** Patches one connection.js text; returns it unchanged when already patched. */
export function patchConnectionSource(text, file = "connection.js") {
  if (text.includes(MARKER)) return text;
  let out = text;
  for (const [find, replace] of edits) {
    const count = out.split(find).length - 1;
    if (count !== 1) {
      throw new Error(
        `${file}: expected one match of ${JSON.stringify(find.trim().split("\n")[0])}, found ${count}. ` +
          "The postgres package changed: see whether upstream fixed porsager/postgres#1208, then update scripts/patch-postgres.mjs.",
      );
    }
    out = out.replace(find, replace);
  }
  return out;
}

function main() {
  if (!existsSync(pkgDir)) return; // installed without postgres (nothing to patch)
  const { version } = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  if (version !== PATCHED_VERSION) {
    throw new Error(
      `postgres@${version} is installed; this fix is written for ${PATCHED_VERSION}. ` +
        "See whether upstream fixed porsager/postgres#1208, then update scripts/patch-postgres.mjs.",
    );
  }
  let patched = 0;
  for (const build of builds) {
    const file = join(pkgDir, build, "connection.js");
    if (!existsSync(file)) continue;
    const before = readFileSync(file, "utf8");
    const after = patchConnectionSource(before, `postgres@${version}/${build}/connection.js`);
    if (after !== before) {
      writeFileSync(file, after);
      patched++;
    }
  }
  if (patched)
    console.log(
      `patch-postgres: fixed the closed-socket write crash in postgres@${version} (${patched} builds)`,
    );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    main();
  } catch (e) {
    console.error(`patch-postgres: ${e.message}`);
    process.exit(1);
  }
}
