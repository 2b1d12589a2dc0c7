import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import type { WorkflowStore } from "@pgqrs/core/storage";
import { createDashboardApp } from "./create-app";
import { isLoopback } from "./guards";
import { redactUrl, urlSecrets } from "./redact-url";
import { defaultStaticDir } from "./static-dir";

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
  /** The built page. @default the `web` folder next to the built server, or `dist/web` in the workspace */
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
  /** Stops listening and ends open connections. The store stays open (its owner closes it). */
  close(): Promise<void>;
}

/**
 * Serves the dashboard over HTTP.
 * @throws Error when the port is taken or the address cannot be bound (the listen error, unchanged).
 */
export async function startDashboard(options: StartDashboardOptions): Promise<RunningDashboard> {
  const host = options.host ?? "127.0.0.1";
  const app = createDashboardApp({
    store: options.store,
    allowActions: options.allowActions ?? false,
    databaseLabel: redactUrl(options.databaseUrl),
    secrets: urlSecrets(options.databaseUrl),
    staticDir: options.staticDir ?? defaultStaticDir(),
    loopbackOnly: isLoopback(host),
    pollIntervalMs: options.pollIntervalMs,
  });
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
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        if ("closeAllConnections" in server) server.closeAllConnections();
      }),
  };
}
