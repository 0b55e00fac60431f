/**
 * `npm run reports:rollups`: builds the report rollups again from the raw tables
 * (docs/REPORTS.md "Rollups"), for local days in TIME_ZONE. The triggers keep them
 * exact afterwards; the server also rebuilds them at start when TIME_ZONE changed.
 */
import { createDb } from "../drizzle/client.js";
import { loadConfig } from "../server/config.js";
import { rebuildReportRollups } from "../server/domain/index.js";

const config = loadConfig();
const handle = await createDb(config);
await handle.migrate();
const started = performance.now();
await rebuildReportRollups(handle.db, config.TIME_ZONE);
await handle.close();
console.log(
  `report rollups rebuilt for ${config.TIME_ZONE} in ${((performance.now() - started) / 1000).toFixed(1)} s (${handle.driver})`,
);
