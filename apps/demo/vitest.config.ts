import { preset } from "@pgqrs/vitest-config";
import { defineConfig, mergeConfig } from "vitest/config";

export default mergeConfig(
  preset,
  defineConfig({
    // Each test runs the whole tour in a child process (about 15 s on PGlite); they run one after the other so
    // the two tours do not compete for the machine's cores.
    test: { testTimeout: 120_000, fileParallelism: false },
  }),
);
