// A relative import, not "@pgqrs/vitest-config": Vite's default config loader leaves package imports to
// Node, which cannot load the preset's TypeScript source; a relative file is bundled with this config.
import { preset } from "../../tooling/vitest/index";
import { defineConfig, mergeConfig } from "vitest/config";

export default mergeConfig(
  preset,
  defineConfig({
    // Every test spawns the CLI in a child process (tsx compiles it on start), so give them room.
    test: { testTimeout: 60_000 },
  }),
);
