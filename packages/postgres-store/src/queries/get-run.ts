import type { RunWithSteps } from "@pgqrs/core/storage";
import { sql } from "drizzle-orm";
import { parseId, runColumns, stepsJson, toRunRecord, toStepRecords } from "../rows";
import { runs } from "../schema";
import { defineStatement, execute } from "../statement";
import type { Executor } from "../statement";

/* Locking: none; a plain read of one run and its steps in one statement (one snapshot, so they agree). */
const getRunStatement = defineStatement(
  "get_run",
  sql`select ${runColumns("r")}, ${stepsJson("r.id")} as steps from ${runs} r where r.id = ${sql.placeholder("runId")}::bigint`,
);

/** Returns the run with its completed steps in completion order, or `null` when unknown. */
export async function getRun(executor: Executor, args: { runId: string }): Promise<RunWithSteps | null> {
  const runId = parseId(args.runId);
  if (runId === null) return null;
  const row = (await execute(executor, getRunStatement, { runId }))[0];
  return row ? { ...toRunRecord(row), steps: toStepRecords(row, "steps") } : null;
}
