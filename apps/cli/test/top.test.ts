import type { WorkflowStore } from "@pgqrs/core/storage";
import { postgresAvailable, type TestDatabase } from "@pgqrs/vitest-config/postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./support/cli";
import { createRunFactory, migratedDatabase, openStore } from "./support/database";
import { createTmux, tmuxAvailable } from "./support/tmux";

const hasPostgres = await postgresAvailable();
const hasTmux = tmuxAvailable();

/** The terminal modes of a cooked terminal: top left raw mode behind it. */
const restoredModes = /exited 0\nicanon\necho\nend-of-session\n/;

describe.skipIf(!hasPostgres)("pgqrs top", () => {
  let database: TestDatabase;
  let store: WorkflowStore;
  const tmux = createTmux();

  beforeAll(async () => {
    database = await migratedDatabase();
    store = await openStore(database.url);
    await store.createWorkflow({ name: "zip_files" });
    await store.createWorkflow({ name: "send_email" });
    const zip = createRunFactory(store, "zip_files");
    await zip.succeeded();
    for (let index = 0; index < 3; index += 1) await zip.queued({ index });
    await createRunFactory(store, "send_email").failed();
  });
  afterAll(async () => {
    await tmux.close();
    await store?.close();
    await database?.drop();
  });

  it("--once prints one plain frame", async () => {
    const result = await runCli(["top", "--once"], { databaseUrl: database.url });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain("\x1b");
    expect(result.stdout).toMatch(/\nzip_files\s+3\s+0\s+0\s+1\s+0\s+0\s+4\n/);
    expect(result.stdout).toMatch(/\nsend_email\s+0\s+0\s+0\s+0\s+1\s+0\s+1\n/);
    expect(result.stdout).toMatch(/\ntotal\s+3\s+0\s+0\s+1\s+1\s+0\s+5\n/);
    expect(result.stdout).toContain("progress    [");
    expect(result.stdout).toContain("0 of 3 finished since start");
  });

  it.skipIf(!hasTmux)("refreshes live in a terminal, shows progress, and quits on q restoring the terminal", async () => {
    const terminal = await tmux.start(["top"], { DATABASE_URL: database.url });
    const first = await terminal.waitFor(/zip_files\s+3\s+0\s+0\s+1\s+0\s+0\s+4/);
    expect(first).toMatch(/WORKFLOW\s+QUEUED\s+RUNNING\s+PAUSED\s+SUCCESS\s+ERROR\s+CANCELLED\s+ALL/);
    expect(first).toMatch(/send_email\s+0\s+0\s+0\s+0\s+1\s+0\s+1/);
    expect(first).toMatch(/total\s+3\s+0\s+0\s+1\s+1\s+0\s+5/);
    expect(first).toContain("0 of 3 finished since start");
    expect(first).toContain("workers     2 live");
    expect(first).not.toContain("before-pgqrs");

    // Two of the three queued runs finish while top watches.
    const { workerId } = await store.registerWorker({ name: "finisher", workflow: "zip_files" });
    const claimed = await store.claimRuns({ workerId, workflow: "zip_files", limit: 2, leaseMs: 60_000 });
    expect(claimed).toHaveLength(2);
    for (const run of claimed) await store.completeRun({ runId: run.runId, leaseToken: run.leaseToken, output: null });

    const later = await terminal.waitFor(/zip_files\s+1\s+0\s+0\s+3\s+0\s+0\s+4/);
    expect(later).toMatch(/total\s+1\s+0\s+0\s+3\s+1\s+0\s+5/);
    expect(later).toMatch(/progress {4}\[█+░+\] +66% {2}2 of 3 finished since start/);
    expect(later).toMatch(/runs\/s now, [1-9]\d*\.\d runs\/s since start|runs\/s now, 0\.[1-9] runs\/s since start/);
    expect(later).toContain("workers     3 live");

    await terminal.sendKeys("q");
    const after = await terminal.waitFor(/end-of-session/);
    expect(after).toMatch(restoredModes);
    expect(after).toContain("before-pgqrs");
    // The alternate screen is gone: the frame is not left on the terminal.
    expect(after).not.toContain("WORKFLOW");
  });

  it.skipIf(!hasTmux)("quits on Ctrl-C with exit 0 and restores the terminal", async () => {
    const terminal = await tmux.start(["top", "--interval-ms", "200"], { DATABASE_URL: database.url });
    await terminal.waitFor(/total\s+\d+/);
    await terminal.sendKeys("C-c");
    const after = await terminal.waitFor(/end-of-session/);
    expect(after).toMatch(restoredModes);
    expect(after).not.toContain("WORKFLOW");
  });

  it.skipIf(!hasTmux)("wait shows a spinner on a terminal and clears it when the run ends", async () => {
    await store.createWorkflow({ name: "spin" });
    const { message } = await store.enqueue({ workflow: "spin", input: {} });
    const terminal = await tmux.start(["wait", message.runId], { DATABASE_URL: database.url });
    await terminal.waitFor(new RegExp(`[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] waiting for run ${message.runId} \\(spin\\): QUEUED, attempt 0`));
    const { workerId } = await store.registerWorker({ name: "spinner-test", workflow: "spin" });
    const [claimed] = await store.claimRuns({ workerId, workflow: "spin", limit: 1, leaseMs: 60_000 });
    if (!claimed) throw new Error("nothing claimed");
    await store.completeRun({ runId: claimed.runId, leaseToken: claimed.leaseToken, output: { ok: true } });
    const after = await terminal.waitFor(/end-of-session/);
    expect(after).toContain(`run ${message.runId} SUCCESS after 1 attempt\noutput {"ok":true}\nexited 0`);
    expect(after).not.toContain("waiting for run");
  });
});
