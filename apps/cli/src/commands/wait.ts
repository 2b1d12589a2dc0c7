import { run, type RunInfo } from "@pgqrs/client";
import type { WorkflowStore } from "@pgqrs/core/storage";
import type { Command } from "commander";
import { withExamples } from "../examples";
import { runDetailsJson } from "../format/run-details";
import { formatDuration } from "../format/time";
import { writeJson, writeLines, type CliIo } from "../io";
import { parseNonNegativeInteger } from "../parse-options";
import { createSession } from "../session";
import { startSpinner } from "../spinner";

interface WaitCommandOptions {
  timeoutMs?: number;
  json?: boolean;
}

/** How often the spinner re-reads the run's status; the wait itself listens for notifications. */
const statusRefreshMs = 1_000;

/** `pgqrs wait RUN_ID`: waits for a run to finish; exit 0 on SUCCESS, 1 on ERROR, CANCELLED or timeout. */
export function registerWait(program: Command, io: CliIo): void {
  const command = program
    .command("wait")
    .description("wait until a run finishes; prints its output, exits 1 when it ends ERROR or CANCELLED")
    .argument("<runId>", "the run's id (trigger prints it)")
    .option("--timeout-ms <n>", "give up after this many milliseconds (exit 1; the run goes on)", parseNonNegativeInteger)
    .option("--json", "print the finished run as JSON (like runs show --json)")
    .action(async (runId: string, options: WaitCommandOptions, self: Command) => {
      const session = createSession(io, self);
      await session.withStore(async (store) => {
        const output = await waitWithProgress({ io, store, runId, timeoutMs: options.timeoutMs });
        const record = await store.getRun({ runId });
        if (options.json === true && record !== null) {
          writeJson(io.stdout, runDetailsJson(record));
          return;
        }
        const attempts = record?.attempt ?? 0;
        writeLines(io.stdout, [
          `run ${runId} SUCCESS after ${attempts} attempt${attempts === 1 ? "" : "s"}`,
          `output ${output === undefined ? "none (void)" : JSON.stringify(output)}`,
        ]);
      });
    });
  withExamples(command, ["pgqrs wait 42", "pgqrs wait 42 --timeout-ms 60000 || echo 'failed or still running'"]);
}

function describe(info: RunInfo, startedAt: number): string {
  return `waiting for run ${info.runId} (${info.workflow}): ${info.status}, attempt ${info.attempt}, ${formatDuration(Date.now() - startedAt)}`;
}

async function waitWithProgress(args: {
  io: CliIo;
  store: WorkflowStore;
  runId: string;
  timeoutMs: number | undefined;
}): Promise<unknown> {
  const { io, store, runId, timeoutMs } = args;
  const handle = run().status(runId).store(store);
  const first = await handle.get();
  const startedAt = Date.now();
  const result = () => handle.result(timeoutMs === undefined ? {} : { timeoutMs });
  if (!io.stderr.isTTY) {
    io.stderr.write(`waiting for run ${first.runId} (${first.workflow}), now ${first.status}\n`);
    return result();
  }
  const spinner = startSpinner(io.stderr, describe(first, startedAt));
  let reading = false;
  const refresh = setInterval(() => {
    if (reading) return;
    reading = true;
    handle
      .get()
      .then((info) => spinner.update(describe(info, startedAt)))
      .catch(() => undefined)
      .finally(() => {
        reading = false;
      });
  }, statusRefreshMs);
  try {
    return await result();
  } finally {
    clearInterval(refresh);
    spinner.stop();
  }
}
