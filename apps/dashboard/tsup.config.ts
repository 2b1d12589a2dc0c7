import { defineConfig } from "tsup";

export default defineConfig({
  entry: { cli: "src/cli.ts", index: "src/index.ts" },
  format: ["esm"],
  dts: { entry: { index: "src/index.ts" } },
  // Vite builds the page into dist/web afterwards (`pnpm build` runs tsup, then vite build).
  clean: true,
  sourcemap: true,
  target: "node20",
  // The bin runs as `pgqrs-dashboard` once installed (a hashbang is harmless in the library entry too).
  banner: { js: "#!/usr/bin/env node" },
});
