import type { MiddlewareHandler } from "hono";
import type { ApiErrorBody } from "./api-types";

const loopbackNames = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/** True for an address that only this machine reaches. */
export function isLoopback(host: string): boolean {
  return loopbackNames.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function hostnameOf(hostHeader: string): string {
  // `[::1]:4000` keeps its brackets; `127.0.0.1:4000` and `localhost` lose the port.
  if (hostHeader.startsWith("[")) return hostHeader.slice(0, hostHeader.indexOf("]") + 1);
  return hostHeader.split(":")[0] ?? "";
}

/** A JSON error body. */
export function errorBody(code: string, message: string): ApiErrorBody {
  return { error: { code, message } };
}

/**
 * For a dashboard bound to loopback: refuses requests whose `Host` names anything but a loopback address, so a web
 * page on another origin cannot read the API through DNS rebinding.
 */
export function loopbackHostGuard(): MiddlewareHandler {
  return async (context, next) => {
    const host = context.req.header("host");
    if (host === undefined || !isLoopback(hostnameOf(host).toLowerCase())) {
      return context.json(errorBody("FORBIDDEN_HOST", "this dashboard only answers requests addressed to localhost"), 403);
    }
    await next();
  };
}

/**
 * Write actions: refused with 403 unless the server was started with `--allow-actions`, and only accepted as
 * `application/json` from the dashboard's own origin. A cross-site form cannot send that content type without a
 * CORS preflight, which this server never approves.
 */
export function actionGuard(allowActions: boolean): MiddlewareHandler {
  return async (context, next) => {
    if (!allowActions) {
      return context.json(
        errorBody("ACTIONS_DISABLED", "write actions are disabled; restart the dashboard with --allow-actions to enable them"),
        403,
      );
    }
    const contentType = context.req.header("content-type") ?? "";
    if (!/^application\/json\b/i.test(contentType)) {
      return context.json(errorBody("BAD_REQUEST", "send actions as application/json"), 415);
    }
    const origin = context.req.header("origin");
    if (origin !== undefined) {
      let originHost: string | null = null;
      try {
        originHost = new URL(origin).host;
      } catch {
        originHost = null;
      }
      if (originHost !== context.req.header("host")) {
        return context.json(errorBody("FORBIDDEN_ORIGIN", "actions are only accepted from the dashboard's own page"), 403);
      }
    }
    await next();
  };
}
