import { fileURLToPath } from "node:url";
import { preset } from "@pgqrs/vitest-config";
import { defineConfig, mergeConfig } from "vitest/config";

export default mergeConfig(
  preset,
  defineConfig({
    // The type tests (*.test-d.ts) run under tsc and count in the results. Errors elsewhere are the
    // typecheck task's business (`tsc -p tsconfig.json`), not this test run's.
    test: {
      typecheck: { enabled: true, include: ["src/**/*.test-d.ts"], tsconfig: "./tsconfig.json", ignoreSourceErrors: true },
    },
    resolve: {
      alias: {
        // The end-to-end tests drive a real worker. @pgqrs/worker already lists @pgqrs/client as a
        // devDependency, so listing it back would make a package cycle that turbo refuses; the tests
        // reach its source directly instead (tsconfig.json maps the same path for types).
        "@pgqrs/worker": fileURLToPath(new URL("../worker/src/index.ts", import.meta.url)),
      },
    },
  }),
);
