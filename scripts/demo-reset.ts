/**
 * `npm run demo:reset`: forgets the sandbox's database and files (DATA_DIR/sandbox), so
 * the next `npm start` in sandbox mode seeds the demo helpdesk again. Stop the server
 * first. A real database (DATABASE_URL, or DATA_DIR/pglite) is never touched.
 */
import { existsSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadConfig } from "../server/config.js";

const dir = resolve(join(loadConfig().DATA_DIR, "sandbox"));
if (existsSync(dir)) {
  rmSync(dir, { recursive: true, force: true });
  console.log(`Removed the sandbox data in ${dir}. The next npm start seeds the demo again.`);
} else {
  console.log(`No sandbox data in ${dir}. The next npm start seeds the demo.`);
}
