/**
 * Bad database URLs and servers. Every URL carries the suite's secret as its password; none of it may appear in
 * an error or a log line.
 */
import { ConnectionError } from "@pgqrs/core";
import { connect, migrate } from "@pgqrs/postgres-store";
import { createServer } from "node:net";
import { adminUrl, withDatabase, withPassword } from "../settings";
import { spawnWorker } from "../worker-handle";
import type { BadInputCase, BadInputEnv, CaseOutcome } from "./case";

/** A port nothing listens on: bound by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === "object" && address !== null ? address.port : 1;
}

function url(env: BadInputEnv, hostPort: string, database = "app"): string {
  return `postgres://chaos:${encodeURIComponent(env.secret)}@${hostPort}/${database}`;
}

async function connectOnce(target: string): Promise<undefined> {
  const store = await connect(target, { poolConfig: { connectionTimeoutMillis: 5_000 } });
  await store.close();
  return undefined;
}

/** Starts a worker process against the URL and reads the error it logged before exiting. */
async function workerProcessAgainst(env: BadInputEnv, target: string): Promise<CaseOutcome> {
  const handle = spawnWorker(
    { url: target, name: "bad-input-process", concurrency: 1, leaseMs: 5_000, pollIntervalMs: 500, maxAttempts: 3, stepDelayMs: 0, holdMs: 0, verbose: true },
    "bad-input-process",
  );
  const exit = await handle.exited;
  env.logger.info({ lines: handle.lines }, "worker process output");
  for (const line of handle.lines) {
    try {
      const parsed = JSON.parse(line) as { level?: string; err?: { name?: string; code?: string; message?: string } };
      if (parsed.level === "error" && parsed.err !== undefined) return { kind: "logged", error: parsed.err, exitCode: exit.code };
    } catch {
      continue;
    }
  }
  return { kind: "logged", error: {}, exitCode: exit.code };
}

export const connectionCases: BadInputCase[] = [
  {
    name: "connect(mysql:// URL)",
    area: "urls",
    expected: ConnectionError,
    advice: /postgres:\/\/ or postgresql:\/\/ URL/,
    act: (env) => connectOnce(`mysql://chaos:${encodeURIComponent(env.secret)}@127.0.0.1:3306/app`),
  },
  {
    name: "connect(malformed postgres URL)",
    area: "urls",
    expected: ConnectionError,
    advice: /malformed.*expected postgres:\/\/user:password@host:5432\/database/,
    act: (env) => connectOnce(`postgres://chaos:${encodeURIComponent(env.secret)}@[::1/app`),
  },
  {
    name: "connect(nothing listening on the port)",
    area: "servers",
    expected: ConnectionError,
    advice: /connection refused; check that the server is running/,
    act: async (env) => connectOnce(url(env, `127.0.0.1:${await closedPort()}`)),
  },
  {
    name: "connect(unknown host)",
    area: "servers",
    expected: ConnectionError,
    advice: /was not found; check the host name/,
    act: (env) => connectOnce(url(env, "no-such-host.invalid:5432")),
  },
  {
    name: "connect(a server that is not PostgreSQL)",
    area: "servers",
    expected: ConnectionError,
    advice: /check that the URL points at a PostgreSQL server/,
    act: (env) => connectOnce(url(env, `127.0.0.1:${env.garbage.port}`)),
  },
  {
    name: "connect(wrong password)",
    area: "servers",
    expected: ConnectionError,
    advice: /rejected the password for user "chaos"; check the user and password/,
    act: (env) => connectOnce(url(env, `127.0.0.1:${env.password.port}`)),
  },
  {
    name: "migrate(wrong password)",
    area: "servers",
    expected: ConnectionError,
    advice: /rejected the password for user "chaos"; check the user and password/,
    act: async (env) => void (await migrate(url(env, `127.0.0.1:${env.password.port}`))),
  },
  {
    name: "connect(database that does not exist)",
    area: "urls",
    expected: ConnectionError,
    advice: /does not exist .*create it/,
    act: (env) => connectOnce(withPassword(withDatabase(adminUrl, "pgqrs_chaos_no_such_database"), env.secret)),
  },
  {
    name: "a worker process started with a wrong password",
    area: "servers",
    expected: ConnectionError,
    advice: /rejected the password for user "chaos"; check the user and password/,
    act: (env) => workerProcessAgainst(env, url(env, `127.0.0.1:${env.password.port}`)),
  },
];
