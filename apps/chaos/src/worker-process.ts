/**
 * A worker child process: `node --import tsx src/worker-process.ts '<WorkerSpec JSON>'`. It connects with the
 * spec's URL, runs the chaos workflow with `@pgqrs/worker`, prints `ready` (with its worker id) and log lines on
 * stdout, and stops gracefully on SIGTERM. It exits when the suite goes away (the IPC channel closes).
 */
import type { WorkflowContext } from "@pgqrs/core";
import { connect } from "@pgqrs/postgres-store";
import { consumer } from "@pgqrs/worker";
import pg from "pg";
import { appendAudit } from "./audit";
import { chaosStepIds, chaosWorkflow, type ChaosParams } from "./chaos-workflow";
import { createLineLogger } from "./line-logger";
import { sleep } from "./sleep";
import { traceRefusedWrites } from "./traced-store";
import type { WorkerEvent, WorkerSpec } from "./worker-spec";

const spec = JSON.parse(process.argv[2] ?? "{}") as WorkerSpec;
const logger = createLineLogger({ verbose: spec.verbose });
const pid = process.pid;

function emit(event: WorkerEvent): void {
  // Writes to a pipe are synchronous on Linux: the line is out before a crash that follows it.
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

function crash(runId: string, attempt: number): never {
  const how = attempt % 2 === 1 ? "SIGKILL" : "exit";
  emit({ chaos: "crash", runId, pid, how });
  if (how === "SIGKILL") process.kill(pid, "SIGKILL");
  process.exit(70);
}

async function main(): Promise<void> {
  process.on("disconnect", () => process.exit(1));
  const store = await connect(spec.url, { logger, poolConfig: { max: spec.concurrency + 3, connectionTimeoutMillis: 5_000 } });
  // The audit trail is outside pgqrs: a plain pool of its own.
  const audit = new pg.Pool({ connectionString: spec.url, max: spec.concurrency, connectionTimeoutMillis: 5_000 });
  audit.on("error", (error) => logger.warn({ err: error }, "chaos: an idle audit connection failed"));
  const delay = (): number => spec.stepDelayMs * (0.5 + Math.random());

  const runStep = async (ctx: WorkflowContext, stepId: string, params: ChaosParams): Promise<{ pid: number; stepId: string }> => {
    if (params.mode === "poison" && stepId === "one") crash(ctx.runId, ctx.attempt);
    if (params.mode === "hold-in-step" && stepId === "two" && ctx.attempt === 1) {
      emit({ chaos: "hold", runId: ctx.runId, pid });
      await sleep(spec.holdMs);
    }
    await sleep(delay());
    await appendAudit(audit, { runId: ctx.runId, stepId, pid });
    return { pid, stepId };
  };

  const worker = await consumer(spec.name, 0, chaosWorkflow({ maxAttempts: spec.maxAttempts, initialDelayMs: 100, maxDelayMs: 2_000 }))
    .handler(async (ctx, params) => {
      for (const stepId of chaosStepIds) await ctx.step(stepId, () => runStep(ctx, stepId, params));
      if (params.mode === "hold-before-return" && ctx.attempt === 1) {
        emit({ chaos: "hold", runId: ctx.runId, pid });
        await sleep(spec.holdMs);
      }
      return { pid, attempt: ctx.attempt };
    })
    .concurrency(spec.concurrency)
    .leaseMs(spec.leaseMs)
    .pollIntervalMs(spec.pollIntervalMs)
    .shutdownTimeoutMs(5_000)
    .logger(logger)
    .create(traceRefusedWrites(store, logger));
  emit({ chaos: "ready", workerId: worker.id, pid, port: worker.port });
  await worker.pollForever();
  await store.close();
  await audit.end();
  emit({ chaos: "stopped", pid });
  process.exit(0);
}

main().catch((error: unknown) => {
  logger.error({ err: error }, "chaos worker: failed");
  process.exit(1);
});
