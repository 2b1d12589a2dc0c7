// Shared ESLint config. The layer rules of STYLE.md live here, so a package that reaches across a
// boundary fails `pnpm lint` rather than a code review.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const driverPackages = ["pg", "pg-*", "drizzle-orm", "drizzle-orm/*", "@electric-sql/pglite", "@electric-sql/pglite/*"];
const nodeIo = [
  "node:*",
  "fs",
  "fs/*",
  "net",
  "http",
  "https",
  "child_process",
  "os",
  "path",
  "worker_threads",
  "dgram",
  "dns",
  "tls",
];

/** Base rules for every package. */
export const base = tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "**/drizzle/**", "**/.turbo/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "max-params": ["error", 3],
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-non-null-assertion": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["**/*.test.ts", "**/*.test-d.ts", "**/test/**", "**/scripts/**"],
    rules: { "max-params": "off", "@typescript-eslint/no-non-null-assertion": "off" },
  },
);

/** @pgqrs/core: no driver, no ORM, no Node I/O, no process.env (time, ids and loggers are injected). */
export const core = tseslint.config(...base, {
  files: ["src/**/*.ts"],
  ignores: ["src/**/*.test.ts"],
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: [
          { group: driverPackages, message: "@pgqrs/core knows no database driver or ORM; that belongs in a store package." },
          { group: nodeIo, message: "@pgqrs/core does no I/O; inject it (clock, ids, logger) instead." },
          { group: ["@pgqrs/*"], message: "@pgqrs/core depends on no other @pgqrs package." },
        ],
      },
    ],
    "no-restricted-globals": ["error", { name: "process", message: "@pgqrs/core reads no process state; take it as an option." }],
  },
});

/** @pgqrs/client: core only; never the worker, a store or a driver. */
export const client = tseslint.config(...base, {
  files: ["src/**/*.ts"],
  ignores: ["src/**/*.test.ts"],
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: [
          { group: ["@pgqrs/worker", "@pgqrs/worker/*"], message: "@pgqrs/client never imports the worker." },
          { group: ["@pgqrs/postgres-store", "@pgqrs/postgres-store/*"], message: "@pgqrs/client takes a store; it imports none." },
          { group: driverPackages, message: "@pgqrs/client imports no driver or ORM." },
          { group: nodeIo, message: "@pgqrs/client runs in any runtime; no Node I/O." },
        ],
      },
    ],
  },
});

/** @pgqrs/worker: core only; SQL lives in the store. */
export const worker = tseslint.config(...base, {
  files: ["src/**/*.ts"],
  ignores: ["src/**/*.test.ts"],
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: [
          { group: ["@pgqrs/client", "@pgqrs/postgres-store"], message: "@pgqrs/worker depends on core only." },
          { group: driverPackages, message: "@pgqrs/worker imports no driver or ORM; SQL lives in the store." },
        ],
      },
    ],
  },
});

/** Store packages: the storage contract and errors of core, never the worker or client. */
export const store = tseslint.config(...base, {
  files: ["src/**/*.ts"],
  ignores: ["src/**/*.test.ts"],
  rules: {
    "no-restricted-imports": [
      "error",
      { patterns: [{ group: ["@pgqrs/worker", "@pgqrs/client"], message: "A store depends on @pgqrs/core only." }] },
    ],
  },
});
