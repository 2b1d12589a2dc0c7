/**
 * Runs the CLI as a user does: a child process (`node --import tsx src/main.ts …`), with its own environment,
 * capturing stdout, stderr and the exit code.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The package root (the child's working directory, so `--import tsx` resolves). */
export const cliRoot = fileURLToPath(new URL("../..", import.meta.url));
/** The entry point the child runs. */
export const mainPath = fileURLToPath(new URL("../../src/main.ts", import.meta.url));

/** What a finished CLI process left behind. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Options of {@link startCli}. */
export interface CliOptions {
  /** `DATABASE_URL` for the child; absent means the child has none. */
  databaseUrl?: string;
  /** Extra environment. */
  env?: Record<string, string>;
  /** Modules to preload with `--import`, after tsx (relative to the package root). */
  preload?: readonly string[];
}

/** A CLI process still running. */
export interface RunningCli {
  /** Resolves when the process exits. */
  done: Promise<CliResult>;
  /** Output so far. */
  stdout(): string;
  stderr(): string;
  /** Sends `signal` (SIGKILL by default). */
  kill(signal?: NodeJS.Signals): void;
}

/** Starts the CLI and returns at once. */
export function startCli(args: readonly string[], options: CliOptions = {}): RunningCli {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  delete env.DATABASE_URL;
  if (options.databaseUrl !== undefined) env.DATABASE_URL = options.databaseUrl;
  const preload = (options.preload ?? []).flatMap((module) => ["--import", module]);
  const child = spawn(process.execPath, ["--import", "tsx", ...preload, mainPath, ...args], {
    cwd: cliRoot,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
  return { done, stdout: () => stdout, stderr: () => stderr, kill: (signal = "SIGKILL") => child.kill(signal) };
}

/** Runs the CLI to completion. */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return startCli(args, options).done;
}

/** Polls `condition` every 50 ms until it holds; fails with `what` after `timeoutMs`. */
export async function waitUntil(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
