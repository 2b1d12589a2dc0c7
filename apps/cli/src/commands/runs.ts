import { PgqrsError, RunNotFoundError } from "@pgqrs/core";
import type { RunPage, RunRecord, RunStatus } from "@pgqrs/core/storage";
import { run } from "@pgqrs/client";
import type { Command } from "commander";
import { usageError } from "../cli-error";
import { withExamples } from "../examples";
import { renderRunDetails, runDetailsJson } from "../format/run-details";
import { renderTable, truncate } from "../format/table";
import { formatShortTime } from "../format/time";
import { writeJson, writeLines, type CliIo } from "../io";
import { parseLimit, parseStatus, runStatuses } from "../parse-options";
import { createSession } from "../session";
import { registerCancel } from "./runs-cancel";

interface ListOptions {
  workflow?: string;
  status?: RunStatus;
  limit: number;
  cursor?: string;
  json?: boolean;
}

/** `pgqrs runs list | show | resume | retry | cancel`. */
export function registerRuns(program: Command, io: CliIo): void {
  const runs = program.command("runs").description("list, inspect, resume, retry and cancel runs");
  withExamples(runs, [
    "pgqrs runs list --status ERROR",
    "pgqrs runs show 42",
    "pgqrs runs retry 42",
    `pgqrs runs cancel 42 --reason "order withdrawn"`,
  ]);
  registerList(runs, io);
  registerShow(runs, io);
  registerResume(runs, io);
  registerRetry(runs, io);
  registerCancel(runs, io);
}

function registerList(runs: Command, io: CliIo): void {
  const command = runs
    .command("list")
    .description("list runs newest first, one page at a time")
    .option("--workflow <name>", "only runs of this workflow")
    .option("--status <status>", `only runs in this status (${runStatuses.join(", ")})`, parseStatus)
    .option("--limit <n>", "runs per page, 1 to 1000", parseLimit, 20)
    .option("--cursor <cursor>", "start after the page that printed this cursor")
    .option("--json", "print { runs, nextCursor } as JSON")
    .action(async (options: ListOptions, self: Command) => {
      const session = createSession(io, self);
      const page = await session.withStore(async (store): Promise<RunPage> => {
        try {
          return await store.listRuns({
            limit: options.limit,
            ...(options.workflow === undefined ? {} : { workflow: options.workflow }),
            ...(options.status === undefined ? {} : { status: options.status }),
            ...(options.cursor === undefined ? {} : { cursor: options.cursor }),
          });
        } catch (error) {
          // The store rejects a cursor it did not issue; any other failure is not the user's.
          if (options.cursor !== undefined && !PgqrsError.isInstance(error) && error instanceof TypeError) {
            throw usageError("--cursor is not one pgqrs printed; pass the 'next cursor' value back unchanged", error);
          }
          throw error;
        }
      });
      if (options.json === true) {
        writeJson(io.stdout, { runs: page.runs.map(runSummaryJson), nextCursor: page.nextCursor });
        return;
      }
      if (page.runs.length === 0) {
        writeLines(io.stdout, [options.cursor === undefined ? "no runs match" : "no more runs"]);
        return;
      }
      writeLines(io.stdout, runsTable(page.runs));
      if (page.nextCursor !== null) {
        writeLines(io.stdout, ["", `next cursor: ${page.nextCursor}`, `next page:   ${nextPageCommand(options, page.nextCursor)}`]);
      }
    });
  withExamples(command, [
    "pgqrs runs list",
    "pgqrs runs list --workflow zip_files --status ERROR --limit 50",
    "pgqrs runs list --status CANCELLED",
    "pgqrs runs list --cursor <the next cursor printed by the previous page>",
  ]);
}

function runsTable(records: RunRecord[]): string[] {
  return renderTable(
    [
      { header: "RUN", align: "right" },
      { header: "WORKFLOW" },
      { header: "STATUS" },
      { header: "ATTEMPT", align: "right" },
      { header: "CREATED" },
      { header: "FINISHED" },
      { header: "LAST ERROR" },
    ],
    records.map((record) => [
      record.runId,
      record.workflow,
      record.status,
      String(record.attempt),
      formatShortTime(record.createdAt),
      formatShortTime(record.finishedAt),
      record.error ? truncate(`${record.error.name}: ${record.error.message}`, 48) : "",
    ]),
  );
}

function nextPageCommand(options: ListOptions, cursor: string): string {
  const parts = ["pgqrs runs list"];
  if (options.workflow !== undefined) parts.push(`--workflow ${options.workflow}`);
  if (options.status !== undefined) parts.push(`--status ${options.status}`);
  parts.push(`--limit ${options.limit}`, `--cursor ${cursor}`);
  return parts.join(" ");
}

function runSummaryJson(record: RunRecord) {
  return {
    runId: record.runId,
    messageId: record.messageId,
    workflow: record.workflow,
    status: record.status,
    attempt: record.attempt,
    createdAt: record.createdAt.toISOString(),
    startedAt: record.startedAt?.toISOString() ?? null,
    finishedAt: record.finishedAt?.toISOString() ?? null,
    error: record.error,
  };
}

function registerShow(runs: Command, io: CliIo): void {
  const command = runs
    .command("show")
    .description("show a run: status, attempts, times, last error with its causes, and its completed steps")
    .argument("<runId>", "the run's id (trigger prints it)")
    .option("--json", "print the run, its error and its steps (with outputs) as JSON")
    .action(async (runId: string, options: { json?: boolean }, self: Command) => {
      const session = createSession(io, self);
      const record = await session.withStore((store) => store.getRun({ runId }));
      if (record === null) throw new RunNotFoundError(runId);
      if (options.json === true) writeJson(io.stdout, runDetailsJson(record));
      else writeLines(io.stdout, renderRunDetails(record));
    });
  withExamples(command, ["pgqrs runs show 42", "pgqrs runs show 42 --json | jq .error"]);
}

function registerResume(runs: Command, io: CliIo): void {
  const command = runs
    .command("resume")
    .description("make a PAUSED run claimable now (its completed steps are not re-run)")
    .argument("<runId>", "the paused run's id")
    .action(async (runId: string, _options: object, self: Command) => {
      const session = createSession(io, self);
      const resumed = await session.withStore((store) => run().status(runId).store(store).resume());
      writeLines(io.stdout, [
        `resumed run ${resumed.runId} (${resumed.workflow}): PAUSED → claimable now, ${resumed.steps.length} completed step(s) kept`,
      ]);
    });
  withExamples(command, ["pgqrs runs resume 42"]);
}

function registerRetry(runs: Command, io: CliIo): void {
  const command = runs
    .command("retry")
    .description("queue a failed (ERROR) run again on the same run id, keeping its completed steps")
    .argument("<runId>", "the failed run's id")
    .action(async (runId: string, _options: object, self: Command) => {
      const session = createSession(io, self);
      const { record, steps } = await session.withStore(async (store) => {
        const retried = await store.retryFailedRun({ runId });
        const withSteps = await store.getRun({ runId });
        return { record: retried, steps: withSteps?.steps.length ?? 0 };
      });
      writeLines(io.stdout, [
        `queued run ${record.runId} (${record.workflow}) again: ERROR → ${record.status}, ${steps} completed step(s) kept`,
        `follow it with: pgqrs wait ${record.runId}`,
      ]);
    });
  withExamples(command, ["pgqrs runs retry 42", "pgqrs runs retry 42 && pgqrs wait 42"]);
}
