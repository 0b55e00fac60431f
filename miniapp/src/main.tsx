import { createRoot } from "react-dom/client";
import { App } from "./App.js";
import { api, type MetaDto, signIn } from "./api.js";
import { setupI18n, t } from "./i18n.js";
import "./styles.css";
import { startTelegram } from "./telegram.js";

/**
 * Boot: read Telegram's launch parameters, sign in with the signed initData,
 * load the user's language and the metadata, then render. Outside Telegram there
 * is no initData, and the app says where to open it; there is no bypass.
 */
async function boot() {
  const root = createRoot(document.getElementById("root") as HTMLElement);
  const launch = startTelegram();
  document.documentElement.dataset.theme = launch.dark ? "dark" : "light";
  const browserLang = navigator.language.slice(0, 2);
  await setupI18n(["fa", "en", "ru"].includes(browserLang) ? browserLang : "fa");
  if (!launch.initData) {
    root.render(<p className="hint center">{t("outside_telegram")}</p>);
    return;
  }
  root.render(<p className="hint center">{t("signing_in")}</p>);
  try {
    const { user } = await signIn(launch.initData);
    await setupI18n(user.language);
    const meta = await api<MetaDto>("GET", "/api/meta");
    root.render(<App me={user} meta={meta} startParam={launch.startParam} />);
  } catch (e) {
    root.render(
      <div className="center">
        <p className="error">{e instanceof Error && e.message ? e.message : t("sign_in_failed")}</p>
        <button type="button" onClick={() => location.reload()}>
          {t("retry")}
        </button>
      </div>,
    );
  }
}

void boot();
