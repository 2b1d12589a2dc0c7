import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/** The page: plain TypeScript and DOM, built into dist/web, which the server serves as static files. */
export default defineConfig({
  root: fileURLToPath(new URL("./web", import.meta.url)),
  base: "/",
  logLevel: "warn",
  build: {
    outDir: fileURLToPath(new URL("./dist/web", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    // No inline scripts or styles: the server's Content-Security-Policy allows only files from its own origin.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
