import type { WorkflowStore } from "@pgqrs/core/storage";
import { connect } from "@pgqrs/postgres-store";
import { isLoopback } from "./guards";
import { redactSecrets, redactUrl, urlSecrets } from "./redact-url";
import { startDashboard, type RunningDashboard } from "./start-dashboard";
import { buildPageCommand } from "./static-dir";

/** Options of {@link runDashboard}. */
export interface RunDashboardOptions {
  /** The PostgreSQL URL; shown only with its password masked. */
  databaseUrl: string;
  /** `0` picks a free port. @default 4000 */
  port?: number;
  /** The address to listen on; anything but loopback exposes the dashboard to the network. @default "127.0.0.1" */
  host?: string;
  /** Enables resume, retry and cancel. @default false */
  allowActions?: boolean;
  /** The built page. @default the page shipped with the package (see `startDashboard`) */
  staticDir?: string;
  /** Receives the line that names the URL, once the dashboard listens. @default writes it to stdout */
  info?: (line: string, dashboard: RunningDashboard) => void;
  /**
   * Receives warnings, one line each with the password already removed: an address other than loopback, a page
   * that is not built. @default writes `pgqrs-dashboard: <warning>` to stderr
   */
  warn?: (message: string) => void;
  /** Stops the dashboard when aborted. @default SIGINT or SIGTERM */
  signal?: AbortSignal;
}

/** SQLSTATEs meaning the pgqrs tables are missing: undefined_table, invalid_schema_name. */
const missingSchemaCodes = new Set(["42P01", "3F000"]);

function hasMissingSchema(error: unknown): boolean {
  // Walk the cause chain: the driver's error is wrapped (by drizzle, by the store).
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && missingSchemaCodes.has(code)) return true;
  }
  return false;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Resolves when `signal` aborts or, without one, on SIGINT or SIGTERM; `dispose` removes the listeners. */
function stopRequest(signal: AbortSignal | undefined): { stopped: Promise<void>; dispose(): void } {
  let stop = () => undefined as void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  if (signal !== undefined) {
    if (signal.aborted) stop();
    signal.addEventListener("abort", stop, { once: true });
    return { stopped, dispose: () => signal.removeEventListener("abort", stop) };
  }
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  return {
    stopped,
    dispose: () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
    },
  };
}

/**
 * What `pgqrs-dashboard` and `pgqrs dashboard` run: opens the store without migrating (the dashboard never changes
 * the schema), checks that the pgqrs tables are there, serves the dashboard, reports its URL, and on SIGINT or
 * SIGTERM (or `signal`) closes the server and the store, then resolves.
 * @throws the store's `ConnectionError` when the database cannot be reached, unchanged.
 * @throws Error "the database has no pgqrs tables; …" when the schema is missing (the driver's error is its `cause`).
 * @throws Error "cannot listen on host:port: …" when the address cannot be bound (the listen error is its `cause`).
 */
export async function runDashboard(options: RunDashboardOptions): Promise<void> {
  const secrets = urlSecrets(options.databaseUrl);
  const warn = (message: string) => {
    const line = redactSecrets(message, secrets);
    if (options.warn === undefined) process.stderr.write(`pgqrs-dashboard: ${line}\n`);
    else options.warn(line);
  };
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 4000;
  const allowActions = options.allowActions ?? false;

  const store: WorkflowStore = await connect(options.databaseUrl, { migrate: false });
  let dashboard: RunningDashboard;
  try {
    await store.listWorkflows().catch((error: unknown) => {
      const message = hasMissingSchema(error)
        ? "the database has no pgqrs tables; run the migrations first (`pgqrs migrate`, or connect() from a worker)"
        : `the database could not be read: ${messageOf(error)}`;
      throw new Error(message, { cause: error });
    });
    const serve = { store, databaseUrl: options.databaseUrl, port, host, allowActions, staticDir: options.staticDir };
    dashboard = await startDashboard(serve).catch((error: unknown) => {
      throw new Error(`cannot listen on ${host}:${port}: ${messageOf(error)}`, { cause: error });
    });
  } catch (error) {
    await store.close();
    throw error;
  }

  // The stop handlers come before the URL is printed: whoever reads the URL may stop the dashboard at once.
  const { stopped, dispose } = stopRequest(options.signal);
  const line =
    `pgqrs dashboard on ${dashboard.url} (database ${redactUrl(options.databaseUrl)}; ` +
    `actions ${allowActions ? "enabled" : "disabled"})`;
  if (options.info === undefined) process.stdout.write(`${line}\n`);
  else options.info(line, dashboard);
  if (!isLoopback(host)) {
    warn(`listening on ${host}: anyone who can reach this address can read run inputs and outputs`);
  }
  if (dashboard.staticDir === null) {
    warn(
      `the dashboard page is not built, so only the JSON API is served (${dashboard.url}/api/overview); ` +
        `build the page with \`${buildPageCommand}\` and restart`,
    );
  }
  try {
    await stopped;
  } finally {
    dispose();
    await dashboard.close();
    await store.close();
  }
}
