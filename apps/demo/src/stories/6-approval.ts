import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { run, workflow } from "@pgqrs/client";
import { startReportWorker, type DemoWorker } from "../demo-worker";
import { countByStep, readStepRuns } from "../ledger";
import { approvalTimeoutMs } from "../report-handler";
import { watchRun } from "../watch-run";
import { publishReport } from "../workflows/publish-report";
import { formatCounts, verify, type Story } from "./story";

/** How long the reviewer takes to read the draft before approving it. */
const reviewMs = 400;

/**
 * Story 6: a run drafts a report, then waits for an `approved` event with `ctx.waitForEvent`; the trigger side,
 * acting as the reviewer, sends it with `sendEvent()` and the run goes on to publish.
 */
export const approvalStory: Story = {
  title: "6. Waiting for an approval event",
  async run({ store, folder, log }) {
    const message = await workflow(publishReport).trigger({ bucket: folder.bucket, prefix: "reports/" }).execute(store);
    log.event(`triggered publish_report for prefix reports/ → run ${message.runId}`);
    const watch = watchRun({ store, ref: message, print: log.event });
    const handle = run().status(message).store(store);
    let worker: DemoWorker | undefined;
    try {
      await watch.until("QUEUED", (info) => info.status === "QUEUED");
      // Each step takes 150 ms, like real work, so the poll can see the run RUNNING before and after the wait.
      worker = await startReportWorker({
        name: "worker-6",
        store,
        log: log.event,
        ledger: folder.ledger,
        outputDir: join(folder.root, "reports"),
        latencyMs: 150,
      });
      const paused = await watch.until("PAUSED", (info) => info.status === "PAUSED");
      log.event(
        `waiting for the event, the worker slot free meanwhile; gives up with EventTimeoutError at ${paused.visibleAt ?? "?"} ` +
          `(timeout ${approvalTimeoutMs / 1000} s)`,
      );
      await delay(reviewMs);
      const sentAt = performance.now();
      const sent = await handle.sendEvent("approved", { by: "reviewer@example.com" });
      log.event(`reviewer: sendEvent("approved", { by: "reviewer@example.com" }) → ${sent.created ? "delivered" : "an earlier one was kept"}`);
      const again = await handle.sendEvent("approved", { by: "someone-else@example.com" });
      log.event(`a second sendEvent("approved") → created ${again.created}: the first payload wins (by ${String((again.payload as { by?: unknown }).by)})`);
      const output = await handle.result({ timeoutMs: 20_000 });
      const latency = performance.now() - sentAt;
      const info = await watch.until("SUCCESS", (snapshot) => snapshot.status === "SUCCESS");
      await watch.stop();
      log.event(`result(): ${output.reportPath}, ${output.rows} rows, approved by ${output.approvedBy} (finished ${latency.toFixed(0)} ms after the event was sent)`);
      log.event(`steps: ${info.steps.map((step) => step.id).join(" → ")}`);
      const counts = countByStep(await readStepRuns(folder.ledger, message.runId));
      log.event(`step functions ran: ${formatCounts(counts)}`);
      verify(
        log,
        watch.statuses().join(" → ") === "QUEUED → RUNNING → PAUSED → RUNNING → SUCCESS",
        "the status went QUEUED → RUNNING → PAUSED → RUNNING → SUCCESS",
      );
      verify(log, paused.pauseReason?.includes('waiting for event "approved"') === true, 'the run was PAUSED waiting for event "approved"');
      verify(log, sent.created && !again.created, "the first sendEvent delivered the event; the second kept it");
      verify(log, output.approvedBy === "reviewer@example.com", "the run got the reviewer's payload");
      verify(log, counts.prepare_report === 1 && counts.publish_report === 1, "prepare_report ran once: the wait did not repeat it");
      verify(
        log,
        info.steps.map((step) => step.id).join(",") === "prepare_report,approval,publish_report",
        "the steps prepare_report, approval (the wait) and publish_report are stored",
      );
    } finally {
      await watch.stop();
      await worker?.stop();
    }
  },
};
