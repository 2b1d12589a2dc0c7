import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "@pgqrs/core";
import { ConfigurationError } from "@pgqrs/core";

/** What the worker's HTTP endpoints read. */
export interface HttpEndpoints {
  /** True while the worker polls and the store answered its last call. */
  healthy(): boolean;
  /** The Prometheus text of `/metrics`. */
  metrics(): Promise<string>;
}

/** A listening health/metrics server. */
export interface WorkerHttpServer {
  /** The port it listens on (the one the OS picked when asked for 0). */
  readonly port: number;
  /** Stops listening and ends open connections, keep-alive ones included. Idempotent. */
  close(): Promise<void>;
}

const metricsContentType = "text/plain; version=0.0.4; charset=utf-8";

interface Reply {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

function send(response: ServerResponse, reply: Reply): void {
  response.writeHead(reply.status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...reply.headers });
  response.end(reply.body);
}

async function handle(endpoints: HttpEndpoints, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = new URL(request.url ?? "/", "http://worker").pathname;
  if (path !== "/healthz" && path !== "/metrics") {
    send(response, { status: 404, body: JSON.stringify({ error: "not found; the worker serves GET /healthz and GET /metrics" }) });
    return;
  }
  if (request.method !== "GET" && request.method !== "HEAD") {
    send(response, { status: 405, body: JSON.stringify({ error: `${path} only answers GET` }), headers: { allow: "GET, HEAD" } });
    return;
  }
  if (path === "/healthz") {
    const healthy = endpoints.healthy();
    send(response, { status: healthy ? 200 : 503, body: JSON.stringify({ status: healthy ? "ok" : "unavailable" }) });
    return;
  }
  send(response, { status: 200, body: await endpoints.metrics(), headers: { "content-type": metricsContentType } });
}

/**
 * Starts the worker's read-only HTTP server: `GET /healthz` (200 `{"status":"ok"}` or 503) and
 * `GET /metrics` (Prometheus text format 0.0.4). Other paths answer 404, other methods 405.
 *
 * @throws ConfigurationError naming `port` when the port cannot be listened on (in use, not permitted)
 */
export function startHttpServer(options: { port: number; endpoints: HttpEndpoints; logger: Logger }): Promise<WorkerHttpServer> {
  const server = createServer((request, response) => {
    handle(options.endpoints, request, response).catch((error: unknown) => {
      options.logger.error({ err: error }, "pgqrs worker: an HTTP request failed");
      if (!response.headersSent) send(response, { status: 500, body: JSON.stringify({ error: "internal error" }) });
      else response.destroy();
    });
  });
  // Keep-alive sockets must not hold the process open after stop().
  server.keepAliveTimeout = 5_000;

  return new Promise<WorkerHttpServer>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(
        new ConfigurationError({
          option: "port",
          message: `the worker cannot listen on port ${options.port} (${error.code ?? error.message}); pick a free port, or 0 for any free port`,
        }),
      );
    };
    server.once("error", onError);
    server.listen(options.port, () => {
      server.off("error", onError);
      server.on("error", (error) => options.logger.error({ err: error }, "pgqrs worker: the HTTP server failed"));
      const { port } = server.address() as AddressInfo;
      let closing: Promise<void> | undefined;
      resolve({
        port,
        close() {
          closing ??= new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          });
          return closing;
        },
      });
    });
  });
}
