import { run, workflow } from "@pgqrs/client";
import { approveRun } from "../approvals";
import { startWorker } from "../demo-worker";
import { countByStep, readStepRuns } from "../ledger";
import { watchRun } from "../watch-run";
import { zipFiles } from "../workflows/zip-files";
import { formatCounts, verify, type Story } from "./story";

/** Story 4: an approval step pauses the run; the trigger side approves and resumes it. */
export const pauseStory: Story = {
  title: "4. A pause for approval, resumed by the trigger side",
  async run({ store, folder, log }) {
    const worker = await startWorker({
      name: "worker-4",
      store,
      log: log.event,
      ledger: folder.ledger,
      approvals: folder.approvals,
    });
    const message = await workflow(zipFiles).trigger({ bucket: folder.bucket, prefix: "reports/" }).execute(store);
    log.event(`triggered zip_files for prefix reports/ (needs approval) → run ${message.runId}`);
    const watch = watchRun({ store, ref: message, print: log.event });
    const handle = run().status(message).store(store);
    try {
      const paused = await watch.until("PAUSED", (snapshot) => snapshot.status === "PAUSED");
      log.event(`paused until ${paused.visibleAt ?? "?"} unless resumed; the worker slot is free meanwhile`);
      const approval = await approveRun({ folder: folder.approvals, runId: message.runId, approvedBy: "ops@example.com" });
      log.event(`trigger side: recorded approval by ${approval.approvedBy}, then resume()`);
      const resumed = await handle.resume();
      log.event(`resume() → claimable at once (visible at ${resumed.visibleAt ?? "now"}, ${resumed.status} until a worker claims it)`);
      const output = await handle.result({ timeoutMs: 20_000 });
      const info = await watch.until("SUCCESS", (snapshot) => snapshot.status === "SUCCESS");
      await watch.stop();
      log.event(`result(): ${output.fileCount} files in ${output.archivePath}`);
      const counts = countByStep(await readStepRuns(folder.ledger, message.runId));
      log.event(`step functions ran: ${formatCounts(counts)}`);
      verify(log, watch.statuses().includes("PAUSED") && paused.pauseReason === "waiting for approval", 'the run was PAUSED with reason "waiting for approval"');
      verify(log, counts.list_files === 1, "list_files ran once: the resumed attempt did not repeat it");
      verify(log, counts.approve === 2, "approve ran twice: paused, then re-checked and passed");
      verify(log, info.steps.map((step) => step.id).join(",") === "list_files,approve,download_files,create_archive", "all four steps are stored");
    } finally {
      await watch.stop();
      await worker.stop();
    }
  },
};
