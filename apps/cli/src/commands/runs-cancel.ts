import { run } from "@pgqrs/client";
import { RunNotFoundError } from "@pgqrs/core";
import type { Command } from "commander";
import { CliError, ExitCode } from "../cli-error";
import { withExamples } from "../examples";
import { formatShortTime } from "../format/time";
import { writeJson, writeLines, type CliIo } from "../io";
import { createSession } from "../session";

interface CancelOptions {
  reason?: string;
  json?: boolean;
}

/**
 * `pgqrs runs cancel RUN_ID [--reason TEXT]`: a QUEUED or PAUSED run ends CANCELLED at once; a RUNNING run is
 * asked to stop and ends CANCELLED at its next step boundary. Exit 1 for an unknown run or one that already ended
 * SUCCESS or ERROR.
 */
export function registerCancel(runs: Command, io: CliIo): void {
  const command = runs
    .command("cancel")
    .description(
      "cancel a run: QUEUED or PAUSED ends CANCELLED at once, RUNNING stops at its next step boundary (exit 1 for a finished run)",
    )
    .argument("<runId>", "the run's id")
    .option("--reason <text>", "why, kept on the run (shown by runs show and the dashboard)")
    .option("--json", "print the run after the call as JSON")
    .action(async (runId: string, options: CancelOptions, self: Command) => {
      const session = createSession(io, self);
      const { before, after } = await session.withStore(async (store) => {
        const found = await store.getRun({ runId });
        if (found === null) throw new RunNotFoundError(runId);
        if (found.status === "SUCCESS" || found.status === "ERROR") {
          throw new CliError(
            `run ${runId} already ended ${found.status}; only QUEUED, PAUSED or RUNNING runs can be cancelled`,
            { exitCode: ExitCode.Failed },
          );
        }
        const handle = run().status(runId).store(store);
        const cancelled = await handle.cancel(options.reason === undefined ? {} : { reason: options.reason });
        return { before: found, after: cancelled };
      });
      if (options.json === true) {
        writeJson(io.stdout, after);
        return;
      }
      const label = `run ${after.runId} (${after.workflow})`;
      const reason = options.reason === undefined ? "" : ` (reason: ${options.reason})`;
      if (before.status === "CANCELLED") {
        const when = before.cancelRequestedAt === null ? "" : ` at ${formatShortTime(before.cancelRequestedAt)}`;
        writeLines(io.stdout, [`${label} was already CANCELLED${when}; nothing changed`]);
      } else if (after.status === "CANCELLED") {
        writeLines(io.stdout, [`cancelled ${label}: ${before.status} → CANCELLED${reason}`]);
      } else {
        writeLines(io.stdout, [
          `cancel requested for ${label}: still ${after.status}${reason}; its worker ends it CANCELLED at the next step boundary`,
          `follow it with: pgqrs wait ${after.runId}`,
        ]);
      }
    });
  withExamples(command, [
    "pgqrs runs cancel 42",
    `pgqrs runs cancel 42 --reason "customer withdrew the order"`,
    "pgqrs runs cancel 42 && pgqrs runs show 42",
  ]);
}
