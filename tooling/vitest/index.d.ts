import type { ViteUserConfig } from "vitest/config";

/** The preset every package's vitest.config.ts starts from. */
export declare const preset: ViteUserConfig;
