/**
 * End-of-scenario counts, read straight from the tables: run statuses, lost runs, duplicate step records and
 * step re-executions (from the audit trail outside pgqrs).
 */
import type { Monitor } from "./database";
import type { Checks } from "./scenario";

/** What the tables say about the triggered runs. */
export interface RunFigures {
  runs: number;
  succeeded: number;
  failed: number;
  /** Triggered runs not SUCCESS/ERROR, triggered runs missing from the table, and messages without a run. */
  lost: number;
  duplicateStepRecords: number;
  stepReexecutions: number;
  /** SUCCESS runs without exactly the expected number of stored steps. */
  incompleteRuns: number;
  /** Stored step outputs with no audit row (recorded without having been executed). */
  unauditedSteps: number;
  statuses: Record<string, number>;
}

/** Counts the figures for `runIds` (every run the scenario triggered). */
export async function countRunFigures(monitor: Monitor, options: { runIds: readonly string[]; stepsPerRun: number }): Promise<RunFigures> {
  const ids = [...options.runIds];
  const statusRows = await monitor.query<{ status: string; n: number }>(
    "select status, count(*)::int as n from pgqrs.runs where id = any($1::bigint[]) group by status",
    [ids],
  );
  const statuses = Object.fromEntries(statusRows.map((row) => [row.status, row.n]));
  const one = async (text: string, values: unknown[] = []): Promise<number> =>
    (await monitor.query<{ n: number }>(text, values))[0]?.n ?? 0;
  const missing = await one("select count(*)::int as n from unnest($1::bigint[]) as t(id) where not exists (select 1 from pgqrs.runs r where r.id = t.id)", [ids]);
  const orphanMessages = await one(
    "select count(*)::int as n from pgqrs.messages m where not exists (select 1 from pgqrs.runs r where r.message_id = m.id)",
  );
  const duplicateStepRecords = await one(
    "select coalesce(sum(n - 1), 0)::int as n from (select count(*) as n from pgqrs.steps group by run_id, step_id having count(*) > 1) d",
  );
  const stepReexecutions = await one(
    "select coalesce(sum(n - 1), 0)::int as n from (select count(*) as n from chaos.audit group by run_id, step_id having count(*) > 1) d",
  );
  const incompleteRuns = await one(
    `select count(*)::int as n from pgqrs.runs r where r.id = any($1::bigint[]) and r.status = 'SUCCESS'
     and (select count(*) from pgqrs.steps s where s.run_id = r.id) <> $2`,
    [ids, options.stepsPerRun],
  );
  const unauditedSteps = await one(
    "select count(*)::int as n from pgqrs.steps s where not exists (select 1 from chaos.audit a where a.run_id = s.run_id and a.step_id = s.step_id)",
  );
  const succeeded = statuses.SUCCESS ?? 0;
  const failed = statuses.ERROR ?? 0;
  return {
    runs: ids.length,
    succeeded,
    failed,
    lost: ids.length - succeeded - failed + orphanMessages,
    duplicateStepRecords,
    stepReexecutions,
    incompleteRuns,
    unauditedSteps,
    statuses: { ...statuses, ...(missing > 0 ? { MISSING: missing } : {}), ...(orphanMessages > 0 ? { MESSAGE_WITHOUT_RUN: orphanMessages } : {}) },
  };
}

/** The checks every process scenario makes: nothing lost, no duplicate, every stored step executed, complete runs. */
export function checkRunFigures(checks: Checks, figures: RunFigures, expected: { succeeded: number; failed?: number }): void {
  const statuses = JSON.stringify(figures.statuses);
  checks.expect("no run lost", figures.lost === 0, `lost ${figures.lost}; statuses ${statuses}`);
  checks.expect(`${expected.succeeded} runs SUCCESS`, figures.succeeded === expected.succeeded, `statuses ${statuses}`);
  checks.expect(`${expected.failed ?? 0} runs ERROR`, figures.failed === (expected.failed ?? 0), `statuses ${statuses}`);
  checks.expect("each step output recorded once", figures.duplicateStepRecords === 0, `${figures.duplicateStepRecords} duplicate step records`);
  checks.expect("every SUCCESS run has all its step outputs", figures.incompleteRuns === 0, `${figures.incompleteRuns} runs with missing steps`);
  checks.expect("every stored step output was executed (audited)", figures.unauditedSteps === 0, `${figures.unauditedSteps} steps without an audit row`);
}
