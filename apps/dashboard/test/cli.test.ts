/**
 * The `pgqrs-dashboard` command as a user runs it: a child process that binds 127.0.0.1 by default, masks the
 * password everywhere, is read-only without --allow-actions, refuses requests addressed to other host names, stops
 * on SIGTERM, and explains a database without pgqrs tables.
 */
import { spawn } from "node:child_process";
import { request } from "node:http";
import { fileURLToPath } from "node:url";
import { createTestDatabase, postgresAvailable } from "@pgqrs/vitest-config/postgres";
import type { TestDatabase } from "@pgqrs/vitest-config/postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migratedDatabase } from "./support/database";

const hasPostgres = await postgresAvailable();
const packageRoot = fileURLToPath(new URL("..", import.meta.url));
const password = "cli-Secret-77";

interface Child {
  /** Resolves with the first stdout line that names the URL. */
  url: Promise<string>;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
  stop(signal: NodeJS.Signals): void;
}

function startCli(args: string[], env: Record<string, string> = {}): Child {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (env.DATABASE_URL === undefined) delete childEnv.DATABASE_URL;
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], {
    cwd: packageRoot,
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let onUrl: (url: string) => void = () => undefined;
  let onExit: (error: Error) => void = () => undefined;
  const url = new Promise<string>((resolve, reject) => {
    onUrl = resolve;
    onExit = reject;
  });
  // A test that awaits the URL of a process that exited fails at once (with its stderr), not at the timeout.
  url.catch(() => undefined);
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    const match = /on (http:\/\/\S+)/.exec(stdout);
    if (match?.[1] !== undefined) onUrl(match[1]);
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on("close", (code) => {
      onExit(new Error(`pgqrs-dashboard exited with ${String(code)} before serving: ${stderr}`));
      resolve({ code, stdout, stderr });
    }),
  );
  return { url, done, stop: (signal) => child.kill(signal) };
}

/** A GET with a chosen Host header (fetch does not let a caller set it). */
function getWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
}

describe.skipIf(!hasPostgres)("pgqrs-dashboard command", () => {
  let database: TestDatabase;
  let urlWithPassword: string;

  beforeAll(async () => {
    database = await migratedDatabase();
    const parsed = new URL(database.url);
    parsed.password = password;
    urlWithPassword = parsed.toString();
  });

  afterAll(async () => {
    await database?.drop();
  });

  it("serves on 127.0.0.1, read-only, never showing the password, and stops on SIGTERM", async () => {
    const cli = startCli(["--port", "0"], { DATABASE_URL: urlWithPassword });
    const url = await cli.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const info = await (await fetch(`${url}/api/info`)).json();
    expect(info).toMatchObject({ allowActions: false, database: expect.stringContaining(":***@127.0.0.1") });
    expect(JSON.stringify(info)).not.toContain(password);
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(await page.text()).toContain('<main id="app">');
    const action = await fetch(`${url}/api/runs/1/resume`, { method: "POST", headers: { "content-type": "application/json" } });
    expect(action.status).toBe(403);
    expect(await getWithHost(`${url}/api/info`, "attacker.example")).toBe(403);
    expect(await getWithHost(`${url}/api/info`, `localhost:${new URL(url).port}`)).toBe(200);

    cli.stop("SIGTERM");
    const result = await cli.done;
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(password);
    expect(result.stdout).toContain("actions disabled");
  });

  it("enables actions with --allow-actions", async () => {
    const cli = startCli(["--database-url", urlWithPassword, "--port", "0", "--allow-actions"]);
    const url = await cli.url;
    expect(await (await fetch(`${url}/api/info`)).json()).toMatchObject({ allowActions: true });
    const action = await fetch(`${url}/api/runs/1/resume`, { method: "POST", headers: { "content-type": "application/json" } });
    expect(action.status).toBe(404);
    cli.stop("SIGINT");
    expect((await cli.done).code).toBe(0);
  });

  it("says how to fix a database without pgqrs tables, and a missing URL", async () => {
    const empty = await createTestDatabase();
    try {
      const parsed = new URL(empty.url);
      parsed.password = password;
      const result = await startCli(["--database-url", parsed.toString(), "--port", "0"]).done;
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("no pgqrs tables");
      expect(result.stderr).not.toContain(password);
    } finally {
      await empty.drop();
    }
    const missing = await startCli([]).done;
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--database-url");
  });
});
