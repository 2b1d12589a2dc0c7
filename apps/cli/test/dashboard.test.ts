/**
 * `pgqrs dashboard` as a user runs it: a child process serving `@pgqrs/dashboard` on 127.0.0.1 with the CLI's
 * database URL, read-only unless --allow-actions, never printing the password, stopping with exit 0 on SIGTERM or
 * SIGINT, and saying what to do when the schema, or the dashboard package itself, is missing.
 */
import type { WorkflowStore } from "@pgqrs/core/storage";
import { createTestDatabase, postgresAvailable, type TestDatabase } from "@pgqrs/vitest-config/postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, startCli, waitUntil, type CliOptions, type RunningCli } from "./support/cli";
import { createRunFactory, migratedDatabase, openStore } from "./support/database";

const hasPostgres = await postgresAvailable();
const password = "dash-Secret-31";

function withPassword(url: string): string {
  const parsed = new URL(url);
  parsed.password = password;
  return parsed.toString();
}

/** Starts `pgqrs dashboard …` and resolves with the running process and the URL it printed. */
async function startDashboard(args: readonly string[], options: CliOptions): Promise<{ cli: RunningCli; url: string }> {
  const cli = startCli(["dashboard", ...args], options);
  let exited = false;
  void cli.done.then(() => (exited = true));
  await waitUntil("the dashboard prints its URL", () => exited || /on http:\/\/\S+/.test(cli.stdout()));
  const url = /on (http:\/\/\S+)/.exec(cli.stdout())?.[1];
  if (url === undefined) throw new Error(`pgqrs dashboard exited before serving: ${cli.stderr()}`);
  return { cli, url };
}

interface Overview {
  totals: { total: number };
  workflows: { name: string; counts: { byStatus: Record<string, number>; total: number } }[];
}

describe.skipIf(!hasPostgres)("pgqrs dashboard", () => {
  let database: TestDatabase;
  let store: WorkflowStore;
  let databaseUrl: string;
  let failedRunId: string;

  beforeAll(async () => {
    database = await migratedDatabase();
    databaseUrl = withPassword(database.url);
    store = await openStore(database.url);
    await store.createWorkflow({ name: "zip_files" });
    const runs = createRunFactory(store, "zip_files");
    await runs.succeeded();
    failedRunId = await runs.failed();
    await runs.queued({ bucket: "photos" });
    await runs.queued({ bucket: "videos" });
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it("serves the seeded counts on 127.0.0.1, read-only, and exits 0 on SIGTERM", async () => {
    const { cli, url } = await startDashboard(["--port", "0"], { databaseUrl });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(cli.stdout()).toContain("(database postgres://postgres:***@");
    expect(cli.stdout()).toContain("actions disabled");

    const overview = (await (await fetch(`${url}/api/overview`)).json()) as Overview;
    expect(overview.workflows).toEqual([
      {
        name: "zip_files",
        counts: { byStatus: { QUEUED: 2, RUNNING: 0, PAUSED: 0, SUCCESS: 1, ERROR: 1, CANCELLED: 0 }, total: 4 },
      },
    ]);
    const runs = (await (await fetch(`${url}/api/runs?workflow=zip_files&status=ERROR`)).json()) as { runs: { runId: string }[] };
    expect(runs.runs.map((run) => run.runId)).toEqual([failedRunId]);
    const info = await (await fetch(`${url}/api/info`)).text();
    expect(info).toContain(":***@");
    expect(info).not.toContain(password);

    const retry = await fetch(`${url}/api/runs/${failedRunId}/retry`, {
      method: "POST",
      headers: { "content-type": "application/json" },
    });
    expect(retry.status).toBe(403);
    expect(await retry.json()).toMatchObject({ error: { code: "ACTIONS_DISABLED" } });
    expect((await store.getRun({ runId: failedRunId }))?.status).toBe("ERROR");

    cli.kill("SIGTERM");
    const result = await cli.done;
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(password);
    expect(result.stderr).not.toContain("error:");
  });

  it("retries a failed run through the API with --allow-actions, and exits 0 on SIGINT", async () => {
    const { cli, url } = await startDashboard(["--port", "0", "--allow-actions"], { databaseUrl });
    expect(cli.stdout()).toContain("actions enabled");
    const retry = await fetch(`${url}/api/runs/${failedRunId}/retry`, {
      method: "POST",
      headers: { "content-type": "application/json" },
    });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ runId: failedRunId, status: "QUEUED" });
    cli.kill("SIGINT");
    expect((await cli.done).code).toBe(0);
  });

  it("takes the URL from --database-url and warns, without the password, when bound beyond loopback", async () => {
    const { cli } = await startDashboard(["--database-url", databaseUrl, "--host", "0.0.0.0", "--port", "0"], {});
    await waitUntil("the warning is printed", () => cli.stderr().includes("warning: listening on 0.0.0.0"));
    cli.kill("SIGTERM");
    const result = await cli.done;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^pgqrs dashboard on http:\/\/0\.0\.0\.0:\d+ /);
    expect(result.stderr).toMatch(/^warning: listening on 0\.0\.0\.0: anyone who can reach this address can read run inputs/m);
    expect(result.stdout + result.stderr).not.toContain(password);
  });

  it("exits 2 with the migrate advice on a database without the pgqrs schema", async () => {
    const empty = await createTestDatabase();
    try {
      const result = await runCli(["dashboard", "--port", "0"], { databaseUrl: withPassword(empty.url) });
      expect(result.code).toBe(2);
      expect(result.stderr).toBe("error: the database has no pgqrs schema yet; create it with: pgqrs migrate\n");
      expect(result.stdout).toBe("");
    } finally {
      await empty.drop();
    }
  });

  it("exits 2 when the port is taken, naming --port", async () => {
    const { cli, url } = await startDashboard(["--port", "0"], { databaseUrl });
    const port = new URL(url).port;
    const second = await runCli(["dashboard", "--port", port], { databaseUrl });
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(new RegExp(`^error: cannot listen on 127\\.0\\.0\\.1:${port}: .*choose another --port`));
    cli.kill("SIGTERM");
    expect((await cli.done).code).toBe(0);
  });
});

describe.concurrent("pgqrs dashboard without a database", () => {
  /** Nothing listens there: these checks must fail before connecting. */
  const refusedUrl = "postgres://operator:hunter2-secret@127.0.0.1:1/app";

  it("is a usage error (exit 2) for a bad --port or an empty --host", async () => {
    for (const port of ["70000", "abc", "-1", "4.5"]) {
      const result = await runCli(["dashboard", "--port", port], { databaseUrl: refusedUrl });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`error: option '--port <n>' argument '${port}' is invalid. expected a whole number from 0 to 65535`);
    }
    const host = await runCli(["dashboard", "--host", " "], { databaseUrl: refusedUrl });
    expect(host.code).toBe(2);
    expect(host.stderr).toContain("error: option '--host <address>' argument ' ' is invalid.");
  });

  it("is a usage error (exit 2) without a database URL", async () => {
    const result = await runCli(["dashboard"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: no database URL given; pass --database-url/);
  });

  it("exits 2 naming the server it cannot reach, without the password", async () => {
    const result = await runCli(["dashboard"], { databaseUrl: refusedUrl });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: could not connect to PostgreSQL at 127\.0\.0\.1:1: connection refused/);
    expect(result.stderr).not.toContain("hunter2");
  });

  it("says in one line how to get @pgqrs/dashboard when it is not installed (exit 2)", async () => {
    const result = await runCli(["dashboard"], { databaseUrl: refusedUrl, preload: ["./test/support/without-dashboard.ts"] });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: pgqrs dashboard needs @pgqrs\/dashboard, which is not installed: .*npx @pgqrs\/dashboard\n$/);
    expect(result.stdout).toBe("");
  });

  it("is listed in --help with examples", async () => {
    const root = await runCli(["--help"]);
    expect(root.stdout).toMatch(/^ {2}dashboard \[options\] +serve the web dashboard/m);
    expect(root.stdout).toContain("$ pgqrs dashboard");
    const own = await runCli(["dashboard", "--help"]);
    expect(own.code).toBe(0);
    expect(own.stdout).toContain("Usage: pgqrs dashboard [options]");
    expect(own.stdout).toContain("--port <n>");
    expect(own.stdout).toContain("--allow-actions");
    expect(own.stdout).toContain("$ pgqrs dashboard --port 8080 --allow-actions");
  });
});
