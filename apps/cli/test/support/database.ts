/** A database per test file, cloned from a template migrated by `@pgqrs/postgres-store`'s own `migrate()`. */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { connect, migrate, migrationsFolder } from "@pgqrs/postgres-store";
import type { JsonValue, WorkflowStore } from "@pgqrs/core/storage";
import { createTestDatabase, type TestDatabase } from "@pgqrs/vitest-config/postgres";

function filesUnder(folder: string): string[] {
  return readdirSync(folder)
    .sort()
    .flatMap((name) => {
      const path = join(folder, name);
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    });
}

/** A hash of the shipped migrations: a new migration builds a new template. */
const templateKey = (() => {
  const hash = createHash("sha256");
  for (const file of filesUnder(migrationsFolder)) hash.update(file.slice(migrationsFolder.length)).update(readFileSync(file));
  return `pgqrs_${hash.digest("hex").slice(0, 16)}`;
})();

/** A fresh, migrated database of this test file's own. */
export function migratedDatabase(): Promise<TestDatabase> {
  return createTestDatabase({
    templateKey,
    prepare: async (url) => {
      await migrate(url);
    },
  });
}

/** Opens the store the tests use to put runs into each state (the CLI's own connections are separate). */
export function openStore(url: string): Promise<WorkflowStore> {
  return connect(url, { migrate: false });
}

/**
 * Drives runs through the store API, as a worker would, without a worker: each helper enqueues one run and moves
 * it to the wanted state, so tests get runs in every status deterministically.
 */
export function createRunFactory(store: WorkflowStore, workflow: string) {
  let workerId: string | undefined;
  const worker = async () => (workerId ??= (await store.registerWorker({ name: "test-worker", workflow })).workerId);
  const enqueueAndClaim = async (input: JsonValue) => {
    const { message } = await store.enqueue({ workflow, input });
    const claimed = await store.claimRuns({ workerId: await worker(), workflow, limit: 1, leaseMs: 600_000 });
    const run = claimed[0];
    if (run?.runId !== message.runId) throw new Error(`expected to claim run ${message.runId}`);
    return run;
  };
  return {
    async queued(input: JsonValue = {}) {
      return (await store.enqueue({ workflow, input })).message.runId;
    },
    async running(input: JsonValue = {}) {
      return (await enqueueAndClaim(input)).runId;
    },
    async paused(input: JsonValue = {}) {
      const run = await enqueueAndClaim(input);
      await store.pauseRun({ runId: run.runId, leaseToken: run.leaseToken, delayMs: 3_600_000, reason: "waiting for approval" });
      return run.runId;
    },
    async succeeded(output: JsonValue = { ok: true }) {
      const run = await enqueueAndClaim({});
      await store.saveStep({ runId: run.runId, leaseToken: run.leaseToken, stepId: "only_step", output: "done" });
      await store.completeRun({ runId: run.runId, leaseToken: run.leaseToken, output });
      return run.runId;
    },
    async failed() {
      const run = await enqueueAndClaim({ bucket: "missing" });
      await store.saveStep({ runId: run.runId, leaseToken: run.leaseToken, stepId: "list_files", output: ["a.txt", "b.txt"] });
      await store.failRun({
        runId: run.runId,
        leaseToken: run.leaseToken,
        error: {
          name: "PermanentError",
          message: "bucket is gone",
          attempt: 1,
          stepId: "download_files",
          causes: [
            { name: "S3Error", message: "NoSuchBucket" },
            { name: "Error", message: "HTTP 404" },
          ],
        },
      });
      return run.runId;
    },
    /** A run that failed once (retryRun, delay 0), was claimed again, saved a step and succeeded. */
    async retriedThenSucceeded() {
      const first = await enqueueAndClaim({ bucket: "photos", prefix: "2024/" });
      await store.saveStep({ runId: first.runId, leaseToken: first.leaseToken, stepId: "list_files", output: ["a.jpg", "b.jpg"] });
      await store.retryRun({
        runId: first.runId,
        leaseToken: first.leaseToken,
        delayMs: 0,
        stepId: "download_files",
        error: {
          name: "TransientError",
          message: "download timed out",
          attempt: 1,
          stepId: "download_files",
          causes: [{ name: "Error", message: "socket hang up" }],
        },
      });
      const second = (await store.claimRuns({ workerId: await worker(), workflow, limit: 1, leaseMs: 600_000 }))[0];
      if (second?.runId !== first.runId) throw new Error("expected to claim the retried run again");
      await store.saveStep({ runId: second.runId, leaseToken: second.leaseToken, stepId: "download_files", output: { files: 2 } });
      await store.completeRun({
        runId: second.runId,
        leaseToken: second.leaseToken,
        output: { archivePath: "/tmp/photos.zip", fileCount: 2 },
      });
      return first.runId;
    },
  };
}
