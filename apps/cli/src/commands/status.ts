import type { RunCounts, WorkerRecord } from "@pgqrs/core/storage";
import type { Command } from "commander";
import { CliError, ExitCode } from "../cli-error";
import { withExamples } from "../examples";
import { renderTable } from "../format/table";
import { formatDuration, formatShortTime } from "../format/time";
import { writeJson, writeLines, type CliIo } from "../io";
import { redactUrl } from "../redact";
import { readSchemaInfo } from "../schema-info";
import { liveWorkers } from "../live-workers";
import { createSession } from "../session";
import { countOf, statusColumns, totalOf } from "../status-columns";

/** `pgqrs status`: schema version, workflows, run counts, queue age and live workers. */
export function registerStatus(program: Command, io: CliIo): void {
  const command = program
    .command("status")
    .description("show the schema version, workflows, runs by status, the oldest queued run and live workers")
    .option("--json", "print one JSON object instead of text")
    .action(async (options: { json?: boolean }, self: Command) => {
      const session = createSession(io, self);
      const url = session.databaseUrl();
      await session.withStore(async (store) => {
        const schema = await readSchemaInfo(url);
        if (!schema.installed) {
          throw new CliError("the database has no pgqrs schema yet; create it with: pgqrs migrate", {
            exitCode: ExitCode.Usage,
          });
        }
        const workflows = await store.listWorkflows();
        const [totals, perWorkflow, workers] = await Promise.all([
          store.countRuns({}),
          Promise.all(workflows.map((workflow) => store.countRuns({ workflow: workflow.name }))),
          store.listWorkers({ limit: 1000 }),
        ]);
        const now = schema.databaseNow.getTime();
        const live = liveWorkers(workers, now);
        const oldestAgeMs = totals.oldestQueuedAt ? now - totals.oldestQueuedAt.getTime() : null;
        if (options.json === true) {
          writeJson(io.stdout, {
            schema: { version: schema.version, pending: schema.pending },
            workflows: workflows.map((workflow, index) => ({
              name: workflow.name,
              byStatus: perWorkflow[index]?.byStatus ?? {},
            })),
            byStatus: totals.byStatus,
            visibleQueued: totals.visibleQueued,
            oldestQueuedAt: totals.oldestQueuedAt?.toISOString() ?? null,
            oldestQueuedAgeMs: oldestAgeMs,
            liveWorkers: live.map(workerJson),
          });
          return;
        }
        const pending = schema.pending.length;
        writeLines(io.stdout, [
          `database   ${redactUrl(url)}`,
          `schema     ${schema.version ?? "none"} ${pending === 0 ? "(up to date)" : `(${pending} pending: run pgqrs migrate)`}`,
          `workflows  ${workflows.length === 0 ? "none yet (pgqrs workflows create NAME)" : workflows.map((w) => w.name).join(", ")}`,
          "",
          ...countsTable(
            workflows.map((workflow) => workflow.name),
            perWorkflow,
            totals,
          ),
          "",
          `queued     ${totals.visibleQueued} claimable now${oldestAgeMs === null ? "" : `, oldest waiting ${formatDuration(oldestAgeMs)}`}`,
          `workers    ${live.length} live (seen in the last minute), ${workers.length} registered`,
          ...workersTable(live, now),
        ]);
      });
    });
  withExamples(command, ["pgqrs status", "pgqrs status --json | jq .byStatus"]);
}

function countsTable(names: string[], perWorkflow: RunCounts[], totals: RunCounts): string[] {
  const statuses = statusColumns([totals, ...perWorkflow]);
  const row = (label: string, counts: RunCounts) => [
    label,
    ...statuses.map((status) => String(countOf(counts, status))),
    String(totalOf(counts)),
  ];
  const rows = names.map((name, index) => row(name, perWorkflow[index] ?? totals));
  rows.push(row("total", totals));
  return renderTable(
    [{ header: "WORKFLOW" }, ...statuses.map((header) => ({ header, align: "right" as const })), { header: "ALL", align: "right" }],
    rows,
  );
}

function workersTable(live: WorkerRecord[], now: number): string[] {
  if (live.length === 0) return [];
  const table = renderTable(
    [{ header: "NAME" }, { header: "WORKFLOW" }, { header: "STARTED" }, { header: "LAST SEEN" }, { header: "WORKER ID" }],
    live.map((worker) => [
      worker.name,
      worker.workflow,
      formatShortTime(worker.startedAt),
      `${formatDuration(now - worker.lastSeenAt.getTime())} ago`,
      worker.workerId,
    ]),
  );
  return table.map((line) => `  ${line}`);
}

function workerJson(worker: WorkerRecord) {
  return {
    workerId: worker.workerId,
    name: worker.name,
    workflow: worker.workflow,
    startedAt: worker.startedAt.toISOString(),
    lastSeenAt: worker.lastSeenAt.toISOString(),
  };
}
