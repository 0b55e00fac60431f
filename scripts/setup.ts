/**
 * `npm run setup [-- --lang fa|en|ru]`: from zero to real Telegram (bot/setup.ts does the
 * asking and checking), then writes BOT_TOKEN and STAFF_CHAT_ID to .env and runs the
 * doctor. TELEGRAM_API_ROOT (from the environment) lets a test point it at a fake.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline/promises";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { runSetup, upsertEnv } from "../bot/setup.js";
import { loadConfig } from "../server/config.js";
import { createI18n } from "../server/i18n.js";

const { values } = parseArgs({
  options: { lang: { type: "string", default: "en" }, "wait-seconds": { type: "string", default: "300" } },
});
const config = loadConfig();
const lang = values.lang === "fa" || values.lang === "ru" ? values.lang : "en";
const t = (await createI18n(config.DEFAULT_LANGUAGE)).getFixedT(lang);
const rl = createInterface({ input: process.stdin, output: process.stdout });
const result = await runSetup({
  io: { ask: (q) => rl.question(q), say: (line) => console.log(line) },
  t,
  apiRoot: config.TELEGRAM_API_ROOT,
  waitForGroupMs: Number(values["wait-seconds"]) * 1000,
});
rl.close();
if (!result) process.exit(1);

const envPath = resolve(".env");
const vars: Record<string, string> = { BOT_TOKEN: result.token };
if (result.staffChatId !== null) vars.STAFF_CHAT_ID = String(result.staffChatId);
writeFileSync(envPath, upsertEnv(existsSync(envPath) ? readFileSync(envPath, "utf8") : "", vars), {
  mode: 0o600,
});
console.log(t("setup:env_written", { path: envPath, vars: Object.keys(vars).join(", ") }));
console.log(t("setup:running_doctor"));
const doctorScript = fileURLToPath(new URL("./doctor.ts", import.meta.url));
const doctor = spawnSync(process.execPath, [...process.execArgv, doctorScript, "--lang", lang], {
  stdio: "inherit",
  env: { ...process.env, BOT_TOKEN: result.token, ...vars },
});
console.log(t("setup:next", { username: result.botUsername }));
process.exit(doctor.status ?? 1);
