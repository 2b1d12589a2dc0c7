import { preset } from "@pgqrs/vitest-config";
import { defineConfig, mergeConfig } from "vitest/config";

export default mergeConfig(preset, defineConfig({}));
