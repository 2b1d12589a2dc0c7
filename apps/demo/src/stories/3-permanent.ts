import { run, workflow } from "@pgqrs/client";
import { RunFailedError } from "@pgqrs/core";
import { startWorker } from "../demo-worker";
import { countByStep, readStepRuns } from "../ledger";
import { watchRun } from "../watch-run";
import { describeError } from "../zip-handler";
import { zipFiles } from "../workflows/zip-files";
import { formatCounts, verify, type Story } from "./story";

/** Story 3: a prefix with no files makes list_files throw PermanentError; the run ends ERROR at once. */
export const permanentStory: Story = {
  title: "3. A permanent failure, ending ERROR",
  async run({ store, folder, log }) {
    const worker = await startWorker({ name: "worker-3", store, log: log.event, ledger: folder.ledger });
    const message = await workflow(zipFiles).trigger({ bucket: folder.bucket, prefix: "invoices/" }).execute(store);
    log.event(`triggered zip_files for prefix invoices/ (the bucket has none) → run ${message.runId}`);
    const watch = watchRun({ store, ref: message, print: log.event });
    try {
      let rejection: unknown;
      try {
        await run().status(message).store(store).result({ timeoutMs: 20_000 });
      } catch (error) {
        rejection = error;
      }
      log.event(`result() rejected: ${describeError(rejection)}`);
      const info = await watch.until("ERROR", (snapshot) => snapshot.status === "ERROR");
      await watch.stop();
      const stored = info.error;
      log.event(`stored error: ${JSON.stringify({ ...stored, stack: stored?.stack === undefined ? undefined : "…" })}`);
      const counts = countByStep(await readStepRuns(folder.ledger, message.runId));
      log.event(`step functions ran: ${formatCounts(counts)}`);
      verify(log, RunFailedError.isInstance(rejection), "result() rejected with RunFailedError");
      verify(
        log,
        stored?.name === "PermanentError" && stored.stepId === "list_files" && info.attempt === 1,
        "the stored error is the PermanentError from list_files, on attempt 1 (no retries)",
      );
      verify(log, info.finishedAt !== undefined && info.steps.length === 0, "the run is final, with no completed steps");
    } finally {
      await watch.stop();
      await worker.stop();
    }
  },
};
