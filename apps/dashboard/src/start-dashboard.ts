import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import type { WorkflowStore } from "@pgqrs/core/storage";
import { createDashboardApp } from "./create-app";
import { isLoopback } from "./guards";
import { redactUrl, urlSecrets } from "./redact-url";
import { buildPageCommand, findStaticDir, hasBuiltPage } from "./static-dir";

/** Options of {@link startDashboard}. */
export interface StartDashboardOptions {
  store: WorkflowStore;
  /** The database URL, shown on the page with its password masked (and scrubbed from error messages). */
  databaseUrl: string;
  /** `0` picks a free port. @default 4000 */
  port?: number;
  /** The address to listen on; anything but loopback exposes the dashboard to the network. @default "127.0.0.1" */
  host?: string;
  /** Enables resume, retry and cancel. @default false */
  allowActions?: boolean;
  /**
   * The built page (a folder with `index.html`). When it holds no page, only the JSON API is served and every other
   * path answers 503 with how to build the page.
   * @default the `web` folder next to the built server, or `dist/web` in the workspace
   */
  staticDir?: string;
  /** The page's refresh interval. @default 2000 */
  pollIntervalMs?: number;
}

/** A running dashboard. */
export interface RunningDashboard {
  /** `http://host:port`, with the port actually bound. */
  url: string;
  port: number;
  host: string;
  /** The folder the page is served from, or `null` when the page is not built and only the API is served. */
  staticDir: string | null;
  /** Stops listening and ends open connections. The store stays open (its owner closes it). */
  close(): Promise<void>;
}

/**
 * Serves the dashboard over HTTP.
 * @throws Error when the port is taken or the address cannot be bound (the listen error, unchanged).
 */
export async function startDashboard(options: StartDashboardOptions): Promise<RunningDashboard> {
  const host = options.host ?? "127.0.0.1";
  const candidate = options.staticDir ?? findStaticDir();
  const staticDir = candidate !== undefined && hasBuiltPage(candidate) ? candidate : null;
  const app = createDashboardApp({
    store: options.store,
    allowActions: options.allowActions ?? false,
    databaseLabel: redactUrl(options.databaseUrl),
    secrets: urlSecrets(options.databaseUrl),
    staticDir: staticDir ?? undefined,
    loopbackOnly: isLoopback(host),
    pollIntervalMs: options.pollIntervalMs,
  });
  if (staticDir === null) {
    // The API routes (and their 404 for unknown API paths) are registered already; this only answers the page's paths.
    app.get("*", (context) =>
      context.text(
        `The dashboard page is not built, so only its JSON API is served (try /api/overview).\n` +
          `Build the page with \`${buildPageCommand}\` and restart the dashboard.\n`,
        503,
      ),
    );
  }
  const server = createAdaptorServer({ fetch: app.fetch });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 4000, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    host,
    staticDir,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        if ("closeAllConnections" in server) server.closeAllConnections();
      }),
  };
}
