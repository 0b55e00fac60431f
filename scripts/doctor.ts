/**
 * `npm run doctor [-- --lang fa|en|ru]`: checks BOT_TOKEN, webhook/polling,
 * PUBLIC_URL and the staff chats, prints what to fix (English unless --lang), and
 * exits 1 when something fails.
 */
import { parseArgs } from "node:util";
import { Telegram } from "telegraf";
import { formatDoctor, runDoctor } from "../bot/doctor.js";
import { createDb } from "../drizzle/client.js";
import { loadConfig } from "../server/config.js";
import { createI18n } from "../server/i18n.js";

const { values } = parseArgs({ options: { lang: { type: "string", default: "en" } } });
const config = loadConfig();
const handle = await createDb(config);
await handle.migrate();
const checks = await runDoctor({
  db: handle.db,
  telegram: config.BOT_TOKEN ? new Telegram(config.BOT_TOKEN, { apiRoot: config.TELEGRAM_API_ROOT }) : null,
  publicUrl: config.PUBLIC_URL,
  staffChatId: config.STAFF_CHAT_ID ? Number(config.STAFF_CHAT_ID) : null,
});
const i18n = await createI18n(config.DEFAULT_LANGUAGE);
console.log(formatDoctor(checks, i18n.getFixedT(values.lang ?? "en")));
await handle.close();
process.exit(checks.some((c) => c.level === "fail") ? 1 : 0);
