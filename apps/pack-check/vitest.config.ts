import { preset } from "@pgqrs/vitest-config";
import { defineConfig, mergeConfig } from "vitest/config";

// npm installs from the registry: give the one test room.
export default mergeConfig(preset, defineConfig({ test: { testTimeout: 600_000, hookTimeout: 600_000 } }));
