import { serveStatic } from "@hono/node-server/serve-static";
import { PgqrsError } from "@pgqrs/core";
import type { RunStatus, WorkflowStore } from "@pgqrs/core/storage";
import { Hono } from "hono";
import type { Context } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { ApiInfo, ApiRunPage, ApiThroughput } from "./api-types";
import { runStatuses } from "./api-types";
import { actionGuard, errorBody, loopbackHostGuard } from "./guards";
import { buildOverview } from "./overview";
import { redactSecrets } from "./redact-url";
import { toRunDetail, toRunSummary } from "./serialize-run";
import { computeThroughput } from "./throughput";

/** Options of {@link createDashboardApp}. */
export interface DashboardAppOptions {
  store: WorkflowStore;
  /** Enables the resume, retry and cancel endpoints (`--allow-actions`). @default false */
  allowActions?: boolean;
  /** The database as shown on the page: already redacted (see `redactUrl`). */
  databaseLabel: string;
  /** Strings scrubbed from every error message the API returns (the database password). @default [] */
  secrets?: readonly string[];
  /** The built page (Vite's output); without it only the API is served. */
  staticDir?: string;
  /** Refuse requests whose `Host` is not a loopback name (set when bound to loopback). @default true */
  loopbackOnly?: boolean;
  /** The page's refresh interval. @default 2000 */
  pollIntervalMs?: number;
  /** How long a computed throughput chart is reused. @default 5000 */
  throughputCacheMs?: number;
  /** The current time (tests pass a fake clock's). @default Date.now */
  now?: () => number;
}

const contentSecurityPolicy = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", "data:"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
};

function isRunStatus(value: string): value is RunStatus {
  return (runStatuses as readonly string[]).includes(value);
}

/**
 * The dashboard as a Hono app: the JSON API under `/api` and the built page. Reads go through the `WorkflowStore`
 * contract only; the three writes (resume a PAUSED run, retry an ERROR run, cancel a QUEUED, PAUSED or RUNNING run)
 * answer 403 unless `allowActions`.
 */
export function createDashboardApp(options: DashboardAppOptions): Hono {
  const { store } = options;
  const allowActions = options.allowActions ?? false;
  const now = options.now ?? Date.now;
  const secrets = options.secrets ?? [];
  const throughputCacheMs = options.throughputCacheMs ?? 5000;
  let throughputCache: { at: number; value: Promise<ApiThroughput> } | null = null;

  const throughput = (): Promise<ApiThroughput> => {
    const at = now();
    if (throughputCache === null || at - throughputCache.at >= throughputCacheMs) {
      const value = computeThroughput({ store, now: at });
      // A failed computation is not cached: the next request tries again.
      value.catch(() => (throughputCache = null));
      throughputCache = { at, value };
    }
    return throughputCache.value;
  };

  const app = new Hono();
  app.use("*", secureHeaders({ contentSecurityPolicy, crossOriginEmbedderPolicy: false, strictTransportSecurity: false }));
  if (options.loopbackOnly ?? true) app.use("*", loopbackHostGuard());
  app.use("/api/*", async (context, next) => {
    await next();
    context.header("cache-control", "no-store");
  });

  app.get("/api/info", (context) => {
    const info: ApiInfo = { database: options.databaseLabel, allowActions, pollIntervalMs: options.pollIntervalMs ?? 2000 };
    return context.json(info);
  });

  app.get("/api/overview", async (context) =>
    context.json(await buildOverview({ store, throughput: await throughput(), now: now() })),
  );

  app.get("/api/workflows", async (context) => context.json((await store.listWorkflows()).map((workflow) => workflow.name)));

  app.get("/api/runs", async (context) => {
    const { workflow, status, cursor, limit } = context.req.query();
    if (status !== undefined && status !== "" && !isRunStatus(status)) {
      return context.json(errorBody("BAD_REQUEST", `unknown status "${status}"; use one of ${runStatuses.join(", ")}`), 400);
    }
    const size = limit === undefined ? 50 : Number(limit);
    if (!Number.isInteger(size) || size < 1 || size > 200) {
      return context.json(errorBody("BAD_REQUEST", "limit must be an integer from 1 to 200"), 400);
    }
    let page;
    try {
      page = await store.listRuns({
        workflow: workflow === undefined || workflow === "" ? undefined : workflow,
        status: status === undefined || status === "" ? undefined : status,
        cursor: cursor === undefined || cursor === "" ? undefined : cursor,
        limit: size,
      });
    } catch (error) {
      // The stores reject a cursor they did not issue with a TypeError; anything else is the server's problem.
      if (error instanceof TypeError && cursor !== undefined) {
        return context.json(errorBody("BAD_REQUEST", "the cursor is not one this dashboard issued; start from the first page"), 400);
      }
      throw error;
    }
    const body: ApiRunPage = { runs: page.runs.map(toRunSummary), nextCursor: page.nextCursor };
    return context.json(body);
  });

  const runNotFound = (context: Context, runId: string) =>
    context.json(errorBody("RUN_NOT_FOUND", `no run has the id "${runId}"`), 404);

  app.get("/api/runs/:runId", async (context) => {
    const runId = context.req.param("runId");
    const run = await store.getRun({ runId });
    return run === null ? runNotFound(context, runId) : context.json(toRunDetail(run));
  });

  // The whole stored run, untruncated, for payloads too large to show on the page. Served as JSON (never HTML).
  app.get("/api/runs/:runId/raw", async (context) => {
    const runId = context.req.param("runId");
    const run = await store.getRun({ runId });
    if (run === null) return runNotFound(context, runId);
    context.header("content-disposition", `inline; filename="run-${runId.replace(/[^0-9A-Za-z_-]/g, "")}.json"`);
    return context.json(run);
  });

  app.post("/api/runs/:runId/resume", actionGuard(allowActions), async (context) =>
    context.json(toRunSummary(await store.resumeRun({ runId: context.req.param("runId") }))),
  );
  app.post("/api/runs/:runId/retry", actionGuard(allowActions), async (context) =>
    context.json(toRunSummary(await store.retryFailedRun({ runId: context.req.param("runId") }))),
  );

  // Cancel takes an optional `{ "reason": "…" }`; QUEUED and PAUSED runs end CANCELLED at once, a RUNNING run at
  // its next step boundary. The store refuses SUCCESS and ERROR runs (409).
  app.post("/api/runs/:runId/cancel", actionGuard(allowActions), async (context) => {
    const body: unknown = await context.req.json().catch(() => ({}));
    const reason = typeof body === "object" && body !== null ? (body as { reason?: unknown }).reason : undefined;
    if (reason !== undefined && (typeof reason !== "string" || reason.length > 1000)) {
      return context.json(errorBody("BAD_REQUEST", "reason must be a string of at most 1000 characters"), 400);
    }
    const runId = context.req.param("runId");
    return context.json(toRunSummary(await store.cancelRun(reason === undefined ? { runId } : { runId, reason })));
  });

  app.all("/api/*", (context) => context.json(errorBody("NOT_FOUND", "no such API route"), 404));

  app.onError((error, context) => {
    if (PgqrsError.isInstance(error)) {
      const status = error.code === "RUN_NOT_FOUND" ? 404 : error.code === "INVALID_RUN_STATE" ? 409 : 500;
      return context.json(errorBody(error.code, redactSecrets(error.message, secrets)), status);
    }
    const message = error instanceof Error ? error.message : String(error);
    return context.json(errorBody("INTERNAL", redactSecrets(`the dashboard could not read the store: ${message}`, secrets)), 500);
  });

  if (options.staticDir !== undefined) {
    app.use("/*", serveStatic({ root: options.staticDir }));
    app.get("*", serveStatic({ root: options.staticDir, path: "index.html" }));
  }
  return app;
}
