import { run, workflow } from "@pgqrs/client";
import { TransientError } from "@pgqrs/core";
import { startWorker, type DemoWorker } from "../demo-worker";
import { countByStep, readStepRuns } from "../ledger";
import { watchRun } from "../watch-run";
import { zipFiles } from "../workflows/zip-files";
import { formatCounts, verify, type Story } from "./story";

/** The worker's run counters for zip_files, read from its /metrics. */
async function readCounters(metricsUrl: string): Promise<{ claimed: number; retried: number; succeeded: number }> {
  const text = await (await fetch(metricsUrl, { headers: { connection: "close" } })).text();
  const value = (name: string): number => {
    const line = text.split("\n").find((candidate) => candidate.startsWith(`pgqrs_runs_${name}_total{workflow="zip_files"}`));
    return line === undefined ? Number.NaN : Number(line.slice(line.lastIndexOf(" ") + 1));
  };
  return { claimed: value("claimed"), retried: value("retried"), succeeded: value("succeeded") };
}

/** Story 2: step 2 fails transiently on attempt 1; attempt 2 of the same run resumes after step 1. */
export const transientStory: Story = {
  title: "2. A transient failure, retried on the same run",
  async run({ store, folder, log }) {
    const worker: DemoWorker = await startWorker({
      name: "worker-2",
      store,
      log: log.event,
      ledger: folder.ledger,
      beforeStep: ({ stepId, ctx }) => {
        if (stepId === "download_files" && ctx.attempt === 1) {
          throw new TransientError("the bucket timed out (injected on attempt 1)", { retryAfterMs: 200 });
        }
      },
    });
    const message = await workflow(zipFiles).trigger({ bucket: folder.bucket, prefix: "photos/" }).execute(store);
    log.event(`triggered zip_files for prefix photos/ → run ${message.runId}`);
    const watch = watchRun({ store, ref: message, print: log.event });
    try {
      const output = await run().status(message).store(store).result({ timeoutMs: 20_000 });
      const info = await watch.until("SUCCESS", (snapshot) => snapshot.status === "SUCCESS");
      await watch.stop();
      log.event(`result(): ${output.fileCount} files in ${output.archivePath}`);
      const stepRuns = await readStepRuns(folder.ledger, message.runId);
      log.event(`step functions ran: ${stepRuns.map((entry) => `${entry.stepId}@${entry.attempt}`).join(", ")}`);
      const counts = countByStep(stepRuns);
      log.event(`per step: ${formatCounts(counts)}`);
      // The worker's own counters say what happened to each attempt; a poll every 10 ms can miss a RUNNING that
      // lasts a few milliseconds, so the statuses it saw are shown, not checked.
      const counters = await readCounters(worker.metricsUrl);
      log.event(`statuses seen by polling: ${watch.statuses().join(" → ")}`);
      log.event(`worker-2 counted: claimed ${counters.claimed}, retried ${counters.retried}, succeeded ${counters.succeeded}`);
      verify(
        log,
        counters.claimed === 2 && counters.retried === 1 && counters.succeeded === 1,
        "the run went back to QUEUED once and was claimed again (the worker's /metrics: claimed 2, retried 1, succeeded 1)",
      );
      verify(log, info.runId === message.runId && info.attempt === 2, `attempt 2 finished the same run ${message.runId}`);
      verify(log, counts.list_files === 1, "list_files ran once: attempt 2 started after the last completed step");
      verify(log, counts.download_files === 2 && counts.create_archive === 1, "download_files ran twice, create_archive once");
    } finally {
      await watch.stop();
      await worker.stop();
    }
  },
};
