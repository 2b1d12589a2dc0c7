import { run, workflow } from "@pgqrs/client";
import { startWorker, type DemoWorker } from "../demo-worker";
import { readZipEntries } from "../files";
import { countByStep, readStepRuns } from "../ledger";
import { watchRun } from "../watch-run";
import { zipFiles } from "../workflows/zip-files";
import { formatCounts, verify, type Story } from "./story";

/** Metric families worth showing; the rest of /metrics is left out of the tour. */
const shownMetrics = /^pgqrs_(runs_(claimed|succeeded)|queue_depth)/;

/** Story 1: a run goes QUEUED → RUNNING → SUCCESS; its steps, archive, health and metrics are shown. */
export const successStory: Story = {
  title: "1. A run from QUEUED to SUCCESS",
  async run({ store, folder, log }) {
    const message = await workflow(zipFiles).trigger({ bucket: folder.bucket, prefix: "reports/" }).execute(store);
    log.event(`triggered zip_files for prefix reports/ → run ${message.runId} (message ${message.id})`);
    const watch = watchRun({ store, ref: message, print: log.event });
    let worker: DemoWorker | undefined;
    try {
      await watch.until("QUEUED", (info) => info.status === "QUEUED");
      // Downloads wait 150 ms per file, like a network would, so the poll above can see RUNNING.
      worker = await startWorker({ name: "worker-1", store, log: log.event, ledger: folder.ledger, latencyMs: 150 });
      const output = await run().status(message).store(store).result({ timeoutMs: 20_000 });
      const info = await watch.until("SUCCESS", (snapshot) => snapshot.status === "SUCCESS");
      await watch.stop();
      log.event(`result(): ${output.fileCount} files in ${output.archivePath}`);
      log.event(`steps: ${info.steps.map((step) => step.id).join(" → ")}`);
      const entries = await readZipEntries(output.archivePath);
      log.event(`archive read back: ${entries.length} entries (${entries.join(", ")})`);

      const health = await fetch(worker.healthUrl, { headers: { connection: "close" } });
      log.event(`GET ${worker.healthUrl} → ${health.status} ${(await health.text()).trim()}`);
      const metrics = await fetch(worker.metricsUrl, { headers: { connection: "close" } });
      const lines = (await metrics.text()).split("\n").filter((line) => shownMetrics.test(line));
      log.event(`GET ${worker.metricsUrl} → ${metrics.status}: ${lines.join(" · ") || "(no pgqrs_runs_* lines)"}`);

      const counts = countByStep(await readStepRuns(folder.ledger, message.runId));
      log.event(`step functions ran: ${formatCounts(counts)}`);
      verify(log, watch.statuses().join(" → ") === "QUEUED → RUNNING → SUCCESS", "the status went QUEUED → RUNNING → SUCCESS");
      verify(log, entries.length === output.fileCount && output.fileCount === 3, "the archive holds the 3 files under reports/");
      verify(log, health.status === 200 && metrics.status === 200, "/healthz and /metrics answered 200");
    } finally {
      await watch.stop();
      await worker?.stop();
    }
  },
};
