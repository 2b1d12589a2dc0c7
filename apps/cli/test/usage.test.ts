import { execFile } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { adminUrl, postgresAvailable } from "@pgqrs/vitest-config/postgres";
import { describe, expect, it } from "vitest";
import { cliRoot, runCli } from "./support/cli";

const execFileAsync = promisify(execFile);

const commands = [
  [],
  ["migrate"],
  ["status"],
  ["workflows"],
  ["workflows", "list"],
  ["workflows", "create"],
  ["workflows", "pause"],
  ["workflows", "resume"],
  ["runs"],
  ["runs", "list"],
  ["runs", "show"],
  ["runs", "resume"],
  ["runs", "retry"],
  ["runs", "cancel"],
  ["events"],
  ["events", "send"],
  ["trigger"],
  ["wait"],
  ["top"],
  ["dashboard"],
];

/** A URL to a port nothing listens on, with a password that must never be printed. */
const refusedUrl = "postgres://operator:hunter2-secret@127.0.0.1:1/app";

describe.concurrent("pgqrs without a database", () => {
  it.each(commands.map((command) => [command.join(" ") || "(root)", command] as const))(
    "%s --help prints usage and examples, exit 0",
    async (_label, command) => {
      const result = await runCli([...command, "--help"]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("Usage: pgqrs");
      expect(result.stdout).toContain("Examples:");
      expect(result.stderr).toBe("");
    },
  );

  it("exits 2 and says how to give a URL when there is none", async () => {
    const result = await runCli(["status"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: no database URL given; pass --database-url postgres:\/\/.* or set DATABASE_URL/);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stdout).toBe("");
  });

  it("exits 2 for a URL that is not postgres://, without echoing it", async () => {
    const result = await runCli(["runs", "list", "--database-url", "mysql://root:topsecret@db/app"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: the database URL must start with postgres:\/\/ or postgresql:\/\//);
    expect(result.stderr).not.toContain("topsecret");
  });

  it("exits 2 for a malformed URL", async () => {
    const result = await runCli(["status"], { databaseUrl: "postgres://user:p@ss@[bad/x" });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: the database URL is malformed/);
    expect(result.stderr).not.toContain("p@ss");
  });

  it("exits 2 when the server cannot be reached, in one line and without the password", async () => {
    const result = await runCli(["status"], { databaseUrl: refusedUrl });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: could not connect to PostgreSQL at 127\.0\.0\.1:1: connection refused/);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).not.toContain("hunter2");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("prints the stack with --verbose, still without the password", async () => {
    const result = await runCli(["--verbose", "--database-url", refusedUrl, "migrate"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: could not connect/);
    expect(result.stderr).toMatch(/\n\s+at /);
    expect(result.stderr).not.toContain("hunter2");
  });

  it("exits 2 for bad --params JSON before connecting", async () => {
    const result = await runCli(["trigger", "zip_files", "--params", "{bucket: photos}"], { databaseUrl: refusedUrl });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: --params is not valid JSON \(.*\); example: --params/);
  });

  it("exits 2 for a bad --payload JSON or event name before connecting", async () => {
    const payload = await runCli(["events", "send", "42", "approved", "--payload", "{by: ops}"], { databaseUrl: refusedUrl });
    expect(payload.code).toBe(2);
    expect(payload.stderr).toMatch(/^error: --payload is not valid JSON \(.*\); example: --payload '\{"by":"ops@example.com"\}'\n$/);
    expect(payload.stderr).not.toContain("hunter2");

    const name = await runCli(["events", "send", "42", "not an event!"], { databaseUrl: refusedUrl });
    expect(name.code).toBe(2);
    expect(name.stderr).toMatch(/^error: invalid event name "not an event!"/);
  });

  it("exits 2 for unknown options, bad option values and missing arguments", async () => {
    const unknown = await runCli(["runs", "list", "--colour"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("error: unknown option '--colour'");

    const limit = await runCli(["runs", "list", "--limit", "0"]);
    expect(limit.code).toBe(2);
    expect(limit.stderr).toMatch(/error: option '--limit <n>' argument '0' is invalid\. expected a whole number >= 1/);

    const status = await runCli(["runs", "list", "--status", "DONE"]);
    expect(status.code).toBe(2);
    expect(status.stderr).toContain("expected one of QUEUED, RUNNING, PAUSED, SUCCESS, ERROR, CANCELLED");

    const missing = await runCli(["runs", "show"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("error: missing required argument 'runId'");

    const unknownCommand = await runCli(["frobnicate"]);
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toContain("error: unknown command 'frobnicate'");
  });

  it("keeps a password out of commander's own messages", async () => {
    const result = await runCli(["status", "--database-url=postgres://u:s3cr3t-pw@h/db", "--bogus"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option '--bogus'");
    const echoed = await runCli(["status", "--bogus=postgres://u:s3cr3t-pw@h/db"]);
    expect(echoed.code).toBe(2);
    expect(echoed.stderr).toContain("error: unknown option '--bogus=postgres://u:***@h/db'");
    expect(echoed.stderr).not.toContain("s3cr3t-pw");
  });

  it("exits 2 for an invalid workflow name", async () => {
    const result = await runCli(["workflows", "create", "a b"], { databaseUrl: refusedUrl });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: invalid workflow name "a b"/);
  });
});

const hasPostgres = await postgresAvailable();

describe.skipIf(!hasPostgres)("pgqrs against a server without the database", () => {
  it("exits 2 naming the missing database", async () => {
    const url = new URL(adminUrl);
    url.pathname = "/pgqrs_cli_no_such_database";
    const result = await runCli(["status"], { databaseUrl: url.toString() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: database "pgqrs_cli_no_such_database" does not exist/);
  });
});

describe("the built bin", () => {
  it("is an executable ESM file with a node shebang that runs the same CLI", async () => {
    // Built inside the package so the bundle resolves its dependencies as an installed bin does.
    const outDir = join(cliRoot, "node_modules", ".cache", "pgqrs-cli-test-build");
    await execFileAsync(join(cliRoot, "node_modules", ".bin", "tsup"), ["--out-dir", outDir], { cwd: cliRoot });
    const bin = join(outDir, "main.js");
    expect(readFileSync(bin, "utf8").split("\n")[0]).toBe("#!/usr/bin/env node");
    expect(statSync(bin).mode & 0o111).not.toBe(0);
    // In the workspace the @pgqrs/* dependencies are TypeScript sources, so tsx loads them; published, they are built.
    const version = await execFileAsync(process.execPath, ["--import", "tsx", bin, "--version"], { cwd: cliRoot });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const noUrl = await execFileAsync(process.execPath, ["--import", "tsx", bin, "status"], {
      cwd: cliRoot,
      env: { ...process.env, DATABASE_URL: "" },
    }).catch((error: { code: number; stderr: string }) => error);
    expect(noUrl).toMatchObject({ code: 2, stderr: expect.stringMatching(/^error: no database URL given/) });
  });
});
