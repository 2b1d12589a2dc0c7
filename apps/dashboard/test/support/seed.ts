/**
 * Seeds runs in every status through the store API, the way a worker would leave them: enqueue, claim, save steps,
 * then complete, fail, retry, pause, or leave running / queued; or cancel, as an operator would.
 */
import type { JsonValue, StoredError, WorkflowStore } from "@pgqrs/core/storage";

/** How a seeded run ends up. */
export type SeedEnd = "success" | "error" | "paused" | "running" | "queued" | "retried" | "cancelled" | "cancelRequested";

/** One run to seed. */
export interface RunSpec {
  /** A name the test refers to the run by. */
  label: string;
  workflow: string;
  input: JsonValue;
  end: SeedEnd;
  /** Completed steps, in order. */
  steps?: { id: string; output: JsonValue | undefined }[];
  output?: JsonValue;
  error?: Omit<StoredError, "attempt">;
  pauseReason?: string;
  /** The reason given to `cancelRun` ("cancelled", "cancelRequested"). */
  cancelReason?: string;
}

/** The seeded runs' ids by label. */
export type SeededRuns = Record<string, string>;

const hour = 3_600_000;

async function seedClaimed(store: WorkflowStore, workerId: string, spec: RunSpec): Promise<string> {
  const { message } = await store.enqueue({ workflow: spec.workflow, input: spec.input });
  // Nothing else of this workflow is visible (queued runs are seeded last), so the claim takes this run.
  const [claimed] = await store.claimRuns({ workerId, workflow: spec.workflow, limit: 1, leaseMs: hour });
  if (claimed === undefined || claimed.runId !== message.runId) throw new Error(`seed: could not claim ${spec.label}`);
  const lease = { runId: claimed.runId, leaseToken: claimed.leaseToken };
  for (const step of spec.steps ?? []) await store.saveStep({ ...lease, stepId: step.id, output: step.output });
  const error: StoredError = { name: "Error", message: "failed", ...spec.error, attempt: claimed.attempt };
  switch (spec.end) {
    case "success":
      await store.completeRun({ ...lease, output: spec.output });
      break;
    case "error":
      await store.failRun({ ...lease, error });
      break;
    case "paused":
      await store.pauseRun({ ...lease, delayMs: hour, reason: spec.pauseReason });
      break;
    case "cancelRequested":
      // Stays RUNNING with the request recorded, as until its worker reaches a step boundary.
      await store.cancelRun({ runId: claimed.runId, ...(spec.cancelReason === undefined ? {} : { reason: spec.cancelReason }) });
      break;
    case "retried":
      // Back to QUEUED with its error kept, visible in an hour so nothing claims it during the test.
      await store.retryRun({ ...lease, error, delayMs: hour });
      break;
    default:
      break;
  }
  return claimed.runId;
}

/** Creates the workflows and runs; runs are created in the order given, except plain QUEUED runs, which come last. */
export async function seedRuns(store: WorkflowStore, specs: readonly RunSpec[]): Promise<SeededRuns> {
  const ids: SeededRuns = {};
  for (const workflow of new Set(specs.map((spec) => spec.workflow))) await store.createWorkflow(workflow);
  const workers = new Map<string, string>();
  for (const spec of specs.filter((candidate) => candidate.end !== "queued")) {
    if (spec.end === "cancelled") {
      // Cancelled while QUEUED: never claimed, CANCELLED at once.
      const { message } = await store.enqueue({ workflow: spec.workflow, input: spec.input });
      await store.cancelRun({ runId: message.runId, ...(spec.cancelReason === undefined ? {} : { reason: spec.cancelReason }) });
      ids[spec.label] = message.runId;
      continue;
    }
    let workerId = workers.get(spec.workflow);
    if (workerId === undefined) {
      workerId = (await store.registerWorker({ name: "seed", workflow: spec.workflow })).workerId;
      workers.set(spec.workflow, workerId);
    }
    ids[spec.label] = await seedClaimed(store, workerId, spec);
  }
  for (const spec of specs.filter((candidate) => candidate.end === "queued")) {
    ids[spec.label] = (await store.enqueue({ workflow: spec.workflow, input: spec.input })).message.runId;
  }
  return ids;
}

/** A script that sets a global flag if it ever runs, in every form an unescaped page would run it. */
export const scriptPayload =
  `<script>window.__pgqrsXss = "script"</script><img src=x onerror="window.__pgqrsXss = 'img'">` +
  `<svg onload="window.__pgqrsXss = 'svg'"></svg>`;

/** Runs in every status over two workflows, plus one whose input, step output and error carry {@link scriptPayload}. */
export const standardRuns: readonly RunSpec[] = [
  {
    label: "zipOk1",
    workflow: "zip_files",
    input: { bucket: "photos", prefix: "2024/" },
    end: "success",
    steps: [
      { id: "list_files", output: ["a.jpg", "b.jpg", "c.jpg"] },
      { id: "download_files", output: { downloaded: 3, bytes: 1_048_576 } },
      { id: "create_archive", output: "/tmp/photos-2024.zip" },
    ],
    output: { archivePath: "/tmp/photos-2024.zip", fileCount: 3 },
  },
  { label: "zipOk2", workflow: "zip_files", input: { bucket: "docs", prefix: "" }, end: "success", steps: [{ id: "list_files", output: [] }], output: { archivePath: "/tmp/docs.zip", fileCount: 0 } },
  {
    label: "zipFailed",
    workflow: "zip_files",
    input: { bucket: "logs", prefix: "app/" },
    end: "error",
    steps: [{ id: "list_files", output: ["app.log"] }],
    error: {
      name: "PermanentError",
      message: "download failed for app.log",
      code: "PERMANENT",
      stepId: "download_files",
      causes: [
        { name: "HttpError", message: "GET s3://logs/app.log returned 403" },
        { name: "Error", message: "AccessDenied: the bucket policy forbids this key" },
      ],
    },
  },
  { label: "zipPaused", workflow: "zip_files", input: { bucket: "big", prefix: "" }, end: "paused", steps: [{ id: "list_files", output: ["x"] }], pauseReason: "waiting for approval" },
  { label: "zipRunning", workflow: "zip_files", input: { bucket: "live", prefix: "" }, end: "running", steps: [{ id: "list_files", output: ["y"] }] },
  { label: "zipCancelled", workflow: "zip_files", input: { bucket: "old", prefix: "" }, end: "cancelled", cancelReason: "superseded by a newer export" },
  { label: "zipCancelling", workflow: "zip_files", input: { bucket: "slow", prefix: "" }, end: "cancelRequested", steps: [{ id: "list_files", output: ["z"] }], cancelReason: "too slow" },
  { label: "zipRetried", workflow: "zip_files", input: { bucket: "flaky", prefix: "" }, end: "retried", error: { name: "TransientError", message: "connection reset" } },
  { label: "mailOk", workflow: "send_email", input: { to: "a@example.com" }, end: "success", steps: [{ id: "render", output: undefined }, { id: "send", output: { id: "m-1" } }], output: null },
  { label: "mailFailed", workflow: "send_email", input: { to: "b@example.com" }, end: "error", error: { name: "Error", message: "mailbox full" } },
  { label: "mailCancelled", workflow: "send_email", input: { to: "e@example.com" }, end: "cancelled" },
  { label: "mailPaused", workflow: "send_email", input: { to: "c@example.com" }, end: "paused", pauseReason: "rate limited" },
  {
    label: "xss",
    workflow: "send_email",
    input: { note: scriptPayload },
    end: "error",
    steps: [{ id: scriptPayload, output: { html: scriptPayload } }],
    error: { name: "Error", message: scriptPayload, causes: [{ name: scriptPayload, message: scriptPayload }] },
  },
  { label: "zipQueued", workflow: "zip_files", input: { bucket: "new", prefix: "" }, end: "queued" },
  { label: "mailQueued", workflow: "send_email", input: { to: "d@example.com" }, end: "queued" },
];
