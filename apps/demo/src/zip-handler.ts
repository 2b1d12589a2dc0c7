/**
 * The `zip_files` handler of SPEC §2, with the hooks the stories use to inject a failure, ask for approval or
 * stall a step. Every step execution is printed and recorded in the ledger.
 */
import { PauseRequest, PermanentError, Step } from "@pgqrs/core";
import type { WorkflowContext, WorkflowHandler, WorkflowInput, WorkflowOutput } from "@pgqrs/core";
import { findApproval } from "./approvals";
import { createZip, downloadAll, listObjects } from "./files";
import { recordStepRun } from "./ledger";
import type { zipFiles } from "./workflows/zip-files";

/** The ids of the handler's steps, in order. */
export type ZipStepId = "list_files" | "approve" | "download_files" | "create_archive";

/** What a story may do at the start of a step's function: throw to fail the step, or wait. */
export type BeforeStep = (event: { stepId: ZipStepId; ctx: WorkflowContext }) => void | Promise<void>;

/** Options of {@link createZipHandler}. */
export interface ZipHandlerOptions {
  /** The worker's label in the printed lines and the ledger. */
  worker: string;
  /** Prints one line. */
  log: (line: string) => void;
  /** The ledger folder (see `ledger.ts`). */
  ledger: string;
  /** With a folder, an `approve` step after `list_files` pauses the run until an approval is recorded there. */
  approvals?: string;
  /** Per-file latency of `download_files` (see `downloadAll`). @default 0 */
  latencyMs?: number;
  beforeStep?: BeforeStep;
}

type ZipHandler = WorkflowHandler<WorkflowInput<typeof zipFiles>, WorkflowOutput<typeof zipFiles>>;

/** Describes a thrown value in one line. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** Builds the handler. */
export function createZipHandler(options: ZipHandlerOptions): ZipHandler {
  const { worker, log, ledger } = options;
  return async (ctx, params) => {
    const step = <T>(stepId: ZipStepId, fn: () => Promise<T>, describe: (value: T) => string): Promise<T> =>
      ctx.step(stepId, async () => {
        await recordStepRun(ledger, { runId: ctx.runId, stepId, attempt: ctx.attempt, worker });
        const prefix = `[${worker}] attempt ${ctx.attempt} · ${stepId}`;
        try {
          await options.beforeStep?.({ stepId, ctx });
          const value = await fn();
          log(`${prefix} ran → ${describe(value)}`);
          return value;
        } catch (error) {
          if (PauseRequest.isInstance(error)) log(`${prefix} paused the run (${error.reason ?? "no reason given"})`);
          else log(`${prefix} threw ${describeError(error)}`);
          throw error;
        }
      });

    const files = await step(
      "list_files",
      async () => {
        const found = await listObjects(params.bucket, params.prefix);
        if (found.length === 0) {
          throw new PermanentError(`no objects under "${params.prefix}" in the bucket, so there is nothing to zip`, {
            data: { prefix: params.prefix },
          });
        }
        return found;
      },
      (found) => `${found.length} objects under ${params.prefix}`,
    );
    const { approvals } = options;
    if (approvals !== undefined) {
      await step(
        "approve",
        async () => {
          const approval = await findApproval(approvals, ctx.runId);
          if (approval === null) throw Step.pause(60_000, { reason: "waiting for approval" });
          return approval;
        },
        (approval) => `approved by ${approval.approvedBy}`,
      );
    }
    const local = await step(
      "download_files",
      () => downloadAll(files, { latencyMs: options.latencyMs ?? 0 }),
      (copied) => `${copied.files.length} files copied to a work folder`,
    );
    const archivePath = await step("create_archive", () => createZip(local), (path) => `wrote ${path}`);
    return { archivePath, fileCount: files.length };
  };
}
