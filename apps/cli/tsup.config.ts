import { defineConfig } from "tsup";

export default defineConfig({
  entry: { main: "src/main.ts" },
  format: ["esm"],
  clean: true,
  sourcemap: true,
  target: "node20",
  // The bin runs as `pgqrs` once installed; workspace packages stay external (npm installs them).
  banner: { js: "#!/usr/bin/env node" },
});
