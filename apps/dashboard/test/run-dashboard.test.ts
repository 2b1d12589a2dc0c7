/**
 * `runDashboard`, what `pgqrs-dashboard` and `pgqrs dashboard` run, called in process: it serves the JSON API even
 * when the page is not built (and says how to build it), warns about a non-loopback address, stops when its signal
 * aborts, closes the store, and explains a database without pgqrs tables.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "@pgqrs/postgres-store";
import { createTestDatabase, postgresAvailable } from "@pgqrs/vitest-config/postgres";
import type { TestDatabase } from "@pgqrs/vitest-config/postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiOverview } from "../src/api-types";
import { runDashboard } from "../src/run-dashboard";
import { migratedDatabase } from "./support/database";

const hasPostgres = await postgresAvailable();
const password = "run-Secret-42";

function withPassword(url: string): string {
  const parsed = new URL(url);
  parsed.password = password;
  return parsed.toString();
}

/** Starts `runDashboard` and resolves with its URL once it listens. */
function start(options: { databaseUrl: string; host?: string; staticDir?: string }) {
  const controller = new AbortController();
  const lines: string[] = [];
  const warnings: string[] = [];
  let onUrl: (url: string) => void = () => undefined;
  const url = new Promise<string>((resolve) => (onUrl = resolve));
  const done = runDashboard({
    ...options,
    port: 0,
    signal: controller.signal,
    info: (line, dashboard) => {
      lines.push(line);
      onUrl(dashboard.url);
    },
    warn: (message) => warnings.push(message),
  });
  // A dashboard that failed to start fails the test at once, with its error, instead of waiting for a URL.
  const listening = Promise.race([url, done.then(() => Promise.reject(new Error("runDashboard returned before listening")))]);
  return { url: listening, done, lines, warnings, stop: () => controller.abort() };
}

describe.skipIf(!hasPostgres)("runDashboard", () => {
  let database: TestDatabase;
  let emptyPage: string;

  beforeAll(async () => {
    database = await migratedDatabase();
    const store = await connect(database.url, { migrate: false });
    await store.createWorkflow({ name: "zip_files" });
    await store.enqueue({ workflow: "zip_files", input: { bucket: "photos" } });
    await store.close();
    emptyPage = await mkdtemp(join(tmpdir(), "pgqrs-dashboard-no-page-"));
  });

  afterAll(async () => {
    await database?.drop();
    if (emptyPage) await rm(emptyPage, { recursive: true, force: true });
  });

  it("serves the API without a built page, says how to build it, and stops when aborted", async () => {
    const dashboard = start({ databaseUrl: withPassword(database.url), staticDir: emptyPage });
    const url = await dashboard.url;
    expect(dashboard.lines).toEqual([
      expect.stringMatching(/^pgqrs dashboard on http:\/\/127\.0\.0\.1:\d+ \(database postgres:\/\/.*:\*\*\*@.*; actions disabled\)$/),
    ]);
    expect(dashboard.warnings).toEqual([
      expect.stringContaining("build the page with `pnpm --filter @pgqrs/dashboard build:web`"),
    ]);

    const overview = (await (await fetch(`${url}/api/overview`)).json()) as ApiOverview;
    expect(overview.workflows).toEqual([{ name: "zip_files", counts: expect.objectContaining({ total: 1 }) }]);
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(503);
    expect(await page.text()).toContain("pnpm --filter @pgqrs/dashboard build:web");
    expect((await fetch(`${url}/api/nothing`)).status).toBe(404);

    dashboard.stop();
    await expect(dashboard.done).resolves.toBeUndefined();
    await expect(fetch(`${url}/api/info`)).rejects.toThrow();
    expect([...dashboard.lines, ...dashboard.warnings].join("\n")).not.toContain(password);
  });

  it("warns, without the password, when bound to an address other than loopback", async () => {
    const dashboard = start({ databaseUrl: withPassword(database.url), host: "0.0.0.0" });
    await dashboard.url;
    expect(dashboard.warnings).toContainEqual(expect.stringMatching(/^listening on 0\.0\.0\.0: anyone who can reach/));
    dashboard.stop();
    await dashboard.done;
    expect(dashboard.warnings.join("\n")).not.toContain(password);
  });

  it("throws a message naming the missing pgqrs tables, with the driver's error as its cause", async () => {
    const empty = await createTestDatabase();
    try {
      const error: unknown = await runDashboard({ databaseUrl: empty.url, port: 0 }).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/^the database has no pgqrs tables; run the migrations first/);
      expect((error as Error).cause).toBeInstanceOf(Error);
    } finally {
      await empty.drop();
    }
  });
});
