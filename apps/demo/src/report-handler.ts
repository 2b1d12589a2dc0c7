/**
 * The `publish_report` handler of story 6: `prepare_report` drafts a report, the run waits for the `approved`
 * event (`ctx.waitForEvent`), and `publish_report` publishes the draft under the reviewer's name. Every step
 * execution is printed and recorded in the ledger, like the zip_files handler's.
 */
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import type { WorkflowHandler, WorkflowInput, WorkflowOutput } from "@pgqrs/core";
import { listObjects } from "./files";
import { recordStepRun } from "./ledger";
import type { Approved, publishReport } from "./workflows/publish-report";

/** How long the run waits for a reviewer before `waitForEvent` throws `EventTimeoutError`. */
export const approvalTimeoutMs = 60_000;

/** Options of {@link createReportHandler}. */
export interface ReportHandlerOptions {
  /** The worker's label in the printed lines and the ledger. */
  worker: string;
  log: (line: string) => void;
  ledger: string;
  /** Where drafts and published reports are written. */
  outputDir: string;
  /** How long each step's work takes, so a watcher can see the run RUNNING. @default 0 */
  latencyMs?: number;
}

type ReportHandler = WorkflowHandler<WorkflowInput<typeof publishReport>, WorkflowOutput<typeof publishReport>>;

/** Builds the handler. */
export function createReportHandler(options: ReportHandlerOptions): ReportHandler {
  const { worker, log, ledger, outputDir } = options;
  const latencyMs = options.latencyMs ?? 0;
  return async (ctx, params) => {
    const ran = async (stepId: string, line: string) => {
      await recordStepRun(ledger, { runId: ctx.runId, stepId, attempt: ctx.attempt, worker });
      log(`[${worker}] attempt ${ctx.attempt} · ${stepId} ran → ${line}`);
    };

    const draft = await ctx.step("prepare_report", async () => {
      await delay(latencyMs);
      const csvs = (await listObjects(params.bucket, params.prefix)).filter((object) => object.key.endsWith(".csv"));
      const lines: string[] = [];
      for (const csv of csvs) {
        const rows = (await readFile(join(params.bucket, ...csv.key.split("/")), "utf8")).trim().split("\n").slice(1);
        lines.push(`${csv.key}: ${rows.length} rows`);
      }
      await mkdir(outputDir, { recursive: true });
      const path = join(outputDir, `report-${ctx.runId}.draft.txt`);
      await writeFile(path, `${lines.join("\n")}\n`);
      const rows = lines.length === 0 ? 0 : lines.map((line) => Number(/(\d+) rows$/.exec(line)?.[1] ?? 0)).reduce((a, b) => a + b);
      await ran("prepare_report", `draft ${path} (${rows} rows from ${csvs.length} files)`);
      return { path, rows };
    });

    // The run PAUSES here, its worker slot free, until a reviewer sends `approved` (or the timeout passes).
    const approval = await ctx.waitForEvent<Approved>("approval", "approved", { timeoutMs: approvalTimeoutMs });
    log(`[${worker}] attempt ${ctx.attempt} · approval received → approved by ${approval.by}`);

    const reportPath = await ctx.step("publish_report", async () => {
      await delay(latencyMs);
      const published = draft.path.replace(/\.draft\.txt$/, ".txt");
      await copyFile(draft.path, published);
      await ran("publish_report", `published ${published}, approved by ${approval.by}`);
      return published;
    });
    return { reportPath, rows: draft.rows, approvedBy: approval.by };
  };
}
