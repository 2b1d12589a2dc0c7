import type { RunPage, RunStatus } from "@pgqrs/core/storage";
import { sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import { parseId, runColumns, textOf, toRunRecord } from "../rows";
import { runs } from "../schema";
import { executeDynamic } from "../statement";
import type { Executor } from "../statement";

interface Cursor {
  /** created_at in epoch microseconds (exact, unlike a JS Date). */
  createdUs: string;
  id: string;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.createdUs, cursor.id])).toString("base64url");
}

function decodeCursor(text: string): Cursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if (Array.isArray(value) && typeof value[0] === "string" && /^-?[0-9]{1,19}$/.test(value[0])) {
      const id = typeof value[1] === "string" ? parseId(value[1]) : null;
      if (id !== null) return { createdUs: value[0], id };
    }
  } catch {
    // fall through to the error below
  }
  throw new TypeError("listRuns: the cursor is not one listRuns returned; pass back nextCursor unchanged");
}

/** Arguments of {@link listRuns}, as in `WorkflowStore.listRuns`. */
export interface ListRunsArgs {
  workflow?: string;
  status?: RunStatus;
  limit?: number;
  cursor?: string;
}

/**
 * Lists runs newest first by (created_at, id) with a keyset cursor: each page starts strictly after the last row of
 * the previous one, so paging visits every run once while new runs (which sort first) keep arriving.
 * Locking: none, plain reads; the filters vary, so the SQL is built per call (not a named statement).
 */
export async function listRuns(executor: Executor, args: ListRunsArgs): Promise<RunPage> {
  const limit = Math.min(Math.max(Math.floor(args.limit ?? 50), 1), 1000);
  const conditions: SQL[] = [];
  if (args.workflow !== undefined) conditions.push(sql`r.workflow = ${args.workflow}::text`);
  if (args.status !== undefined) conditions.push(sql`r.status = ${args.status}::text`);
  if (args.cursor !== undefined) {
    const cursor = decodeCursor(args.cursor);
    conditions.push(
      sql`(r.created_at, r.id) < ('epoch'::timestamptz + ${cursor.createdUs}::bigint * interval '1 microsecond', ${cursor.id}::bigint)`,
    );
  }
  const where = conditions.length > 0 ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
  const rows = await executeDynamic(
    executor,
    sql`select ${runColumns("r")}, (extract(epoch from r.created_at) * 1000000)::bigint::text as created_us
      from ${runs} r ${where}
      order by r.created_at desc, r.id desc
      limit ${limit + 1}::int`,
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    runs: page.map(toRunRecord),
    nextCursor:
      rows.length > limit && last ? encodeCursor({ createdUs: textOf(last, "created_us"), id: textOf(last, "run_id") }) : null,
  };
}
