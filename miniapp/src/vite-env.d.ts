/// <reference types="vite/client" />

/** A language's Mini App texts, in two parts (miniapp/vite.config.ts). */
declare module "virtual:miniapp-texts/*" {
  const texts: { [key: string]: unknown };
  export default texts;
}
