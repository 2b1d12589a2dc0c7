import { run } from "@pgqrs/client";
import type { WorkflowStore } from "@pgqrs/core/storage";
import { startWorker, type DemoWorker } from "../demo-worker";
import { countByStep, readStepRuns } from "../ledger";
import { killInProcess, killWorkerProcess, type KilledWorker } from "./kill-worker";
import { formatCounts, verify, type Story } from "./story";

/** Lease of both workers: short, so the run is taken over soon after worker-a dies. */
export const crashLeaseMs = 1500;

/** Story 5: worker-a dies in step 2; worker-b takes the run over when the lease ends and finishes it. */
export const crashStory: Story = {
  title: "5. A worker killed mid-run, finished by another",
  async run(context) {
    const { store, folder, log } = context;
    const kill = context.databaseUrl === undefined ? killInProcess : killWorkerProcess;
    const victim: KilledWorker = await kill({ context, leaseMs: crashLeaseMs });
    const { message, watch } = victim;
    let workerB: DemoWorker | undefined;
    try {
      workerB = await startWorker({ name: "worker-b", store, log: log.event, ledger: folder.ledger, leaseMs: crashLeaseMs });
      log.event(`the run stays RUNNING until worker-a's lease ends (≤ ${crashLeaseMs} ms after its last heartbeat)`);
      const output = await run().status(message).store(store).result({ timeoutMs: 20_000 });
      const info = await watch.until("SUCCESS", (snapshot) => snapshot.status === "SUCCESS");
      await watch.stop();
      log.event(`result(): ${output.fileCount} files in ${output.archivePath}`);
      const stepRuns = await readStepRuns(folder.ledger, message.runId);
      log.event(`step functions ran: ${stepRuns.map((entry) => `${entry.stepId}@${entry.worker}`).join(", ")}`);
      const counts = countByStep(stepRuns);
      log.event(`per step: ${formatCounts(counts)}`);
      verify(log, info.attempt === 2 && stepRuns.at(-1)?.worker === "worker-b", "worker-b finished the run, on attempt 2");
      verify(log, counts.list_files === 1, "list_files ran once: worker-b did not repeat the step worker-a completed");
      verify(log, await stepsStoredOnce(store, message.runId), "each of the 3 step outputs is stored once");
    } finally {
      await watch.stop();
      await workerB?.stop();
      await victim.cleanUp();
    }
  },
};

async function stepsStoredOnce(store: WorkflowStore, runId: string): Promise<boolean> {
  const info = await run().status(runId).store(store).get();
  const ids = info.steps.map((step) => step.id);
  return new Set(ids).size === ids.length && ids.length === 3;
}
