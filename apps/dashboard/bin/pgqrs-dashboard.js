#!/usr/bin/env node
// The `pgqrs-dashboard` command: the built server (tsup writes it to dist/ on `pnpm build` and before publishing).
await import("../dist/cli.js");
