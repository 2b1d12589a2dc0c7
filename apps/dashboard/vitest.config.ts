import { preset } from "@pgqrs/vitest-config";
import { defineConfig, mergeConfig } from "vitest/config";

export default mergeConfig(
  preset,
  defineConfig({
    test: {
      // Builds the page once (vite build) before any browser test loads it.
      globalSetup: ["./test/global-setup.ts"],
      // Each browser file runs its own Chromium, dashboard and database; two at a time keep a small machine responsive.
      maxWorkers: 2,
      // A browser test waits on page loads and a 2 s refresh; give a busy machine room.
      testTimeout: 60_000,
    },
  }),
);
