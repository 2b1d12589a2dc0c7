import { defineConfig } from "vitest/config";

/** The preset every package's vitest.config.ts starts from. Plain JS so vitest's config loader can import it. */
export const preset = defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
