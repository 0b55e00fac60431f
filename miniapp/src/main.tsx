import { QueryClientProvider } from "@tanstack/react-query";
import { createRoot } from "react-dom/client";
import { App } from "./App.js";
import { setupI18n, t } from "./i18n.js";
import { ApiContext } from "./remote/api-context.js";
import type { MetaData } from "./remote/client.js";
import { createApiClient, unwrap } from "./remote/client.js";
import { createQueryClient } from "./remote/query-client.js";
import { createSession } from "./remote/session.js";
import "./styles.css";
import { freshInitData, startTelegram } from "./telegram.js";

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
  const reopen = () => (
    <div className="center" role="alert">
      <p className="error">{t("chat.session_expired")}</p>
      <button type="button" onClick={() => location.reload()}>
        {t("retry")}
      </button>
    </div>
  );
  // Renewal failed for good (refresh refused, and Telegram's initData too old): say so
  // once, instead of every screen failing on its own.
  const session = createSession({ freshInitData, onExpired: () => root.render(reopen()) });
  const client = createApiClient(session);
  root.render(<p className="hint center">{t("signing_in")}</p>);
  try {
    const { user } = await session.signIn(launch.initData);
    await setupI18n(user.language);
    const meta: MetaData = await unwrap(client.meta.$get());
    root.render(
      <ApiContext.Provider value={{ session, client }}>
        <QueryClientProvider client={createQueryClient()}>
          <App me={user} meta={meta} startParam={launch.startParam} />
        </QueryClientProvider>
      </ApiContext.Provider>,
    );
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
