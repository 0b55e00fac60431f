/** `npm run db:migrate`: applies migrations to DATABASE_URL, or to the PGlite in DATA_DIR. */
import { createDb } from "../drizzle/client.js";
import { loadConfig } from "../server/config.js";
import { seedDefaults } from "../server/domain/catalog/seed.js";

const config = loadConfig();
const handle = await createDb(config);
await handle.migrate();
await seedDefaults(handle.db);
await handle.close();
console.log(`migrations applied (${handle.driver})`);
