import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/** The Mini App is built into miniapp/dist and served by the product's HTTP server at /. */
export default defineConfig({
  root: import.meta.dirname,
  base: "/",
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 600 },
  server: { proxy: { "/api": "http://127.0.0.1:3000" } },
});
