import type { WorkflowStore } from "@pgqrs/core/storage";
import { postgresAvailable, type TestDatabase } from "@pgqrs/vitest-config/postgres";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./support/cli";
import { createRunFactory, migratedDatabase, openStore } from "./support/database";

const hasPostgres = await postgresAvailable();
const hour = 3_600_000;

describe.skipIf(!hasPostgres)("pgqrs events send", () => {
  let database: TestDatabase;
  let store: WorkflowStore;
  let sql: pg.Client;
  const cli = (args: string[]) => runCli(args, { databaseUrl: database.url });

  let waiting = 0;
  /**
   * A run PAUSED for an hour, waiting for the event `approved` (as `ctx.waitForEvent` leaves it). Each in a workflow
   * of its own: a run an earlier test woke is visible again, and the claim below must take this one.
   */
  async function waitingRun(): Promise<string> {
    waiting += 1;
    const workflow = `approval_${waiting}`;
    await store.createWorkflow({ name: workflow });
    const { message } = await store.enqueue({ workflow, input: {} });
    const { workerId } = await store.registerWorker({ name: "test-worker", workflow });
    const [claimed] = await store.claimRuns({ workerId, workflow, limit: 1, leaseMs: hour });
    if (claimed?.runId !== message.runId) throw new Error(`expected to claim run ${message.runId}`);
    await store.pauseRun({
      runId: claimed.runId,
      leaseToken: claimed.leaseToken,
      delayMs: hour,
      reason: 'waiting for event "approved"',
      waitEvent: "approved",
    });
    return claimed.runId;
  }

  async function visibleNow(runId: string): Promise<boolean> {
    const result = await sql.query<{ visible: boolean }>("select coalesce(visible_at <= now(), false) as visible from pgqrs.runs where id = $1", [runId]);
    return result.rows[0]?.visible ?? false;
  }

  beforeAll(async () => {
    database = await migratedDatabase();
    store = await openStore(database.url);
    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
    await store.createWorkflow({ name: "finished" });
    await store.createWorkflow({ name: "early" });
  });
  afterAll(async () => {
    await sql?.end();
    await store?.close();
    await database?.drop();
  });

  it("delivers an event to a waiting run, which becomes claimable at once", async () => {
    const runId = await waitingRun();
    expect(await visibleNow(runId)).toBe(false);
    const result = await cli(["events", "send", runId, "approved", "--payload", '{"by":"ops@example.com"}']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(`^sent event "approved" to run ${runId} at \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z; a run waiting for it is claimable now`),
    );
    expect((await store.getEvent({ runId, name: "approved" }))?.payload).toEqual({ by: "ops@example.com" });
    expect(await visibleNow(runId)).toBe(true);
  });

  it("keeps the first payload and says so on a second send", async () => {
    const runId = await waitingRun();
    const first = await cli(["events", "send", runId, "approved", "--payload", '{"by":"first"}', "--json"]);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ created: true, payload: { by: "first" } });

    const second = await cli(["events", "send", runId, "approved", "--payload", '{"by":"second"}']);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(
      new RegExp(`^run ${runId} already had event "approved" \\(sent at [\\dT:.Z-]+\\); the first payload wins, so this one was not stored\\nkept payload: \\{"by":"first"\\}\\n$`),
    );
    expect((await store.getEvent({ runId, name: "approved" }))?.payload).toEqual({ by: "first" });
  });

  it("keeps an event sent before the run waits for it, with a null payload by default", async () => {
    const runId = await createRunFactory(store, "early").queued();
    const result = await cli(["events", "send", runId, "approved"]);
    expect(result.code).toBe(0);
    expect(await store.getEvent({ runId, name: "approved" })).toMatchObject({ runId, name: "approved", payload: null });
  });

  it("exits 2 for bad --payload JSON and sends nothing", async () => {
    const runId = await waitingRun();
    const result = await cli(["events", "send", runId, "approved", "--payload", "{by: ops}"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: --payload is not valid JSON \(.*\); example: --payload/);
    expect(await store.getEvent({ runId, name: "approved" })).toBeNull();
  });

  it("exits 1 for an unknown run", async () => {
    const result = await cli(["events", "send", "987654321", "approved"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("error: run 987654321 not found; list runs with: pgqrs runs list\n");
  });

  it("exits 1 for a run that already finished, storing nothing", async () => {
    const runId = await createRunFactory(store, "finished").succeeded();
    const result = await cli(["events", "send", runId, "approved", "--payload", "{}"]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(new RegExp(`^error: run ${runId} is SUCCESS`));
    expect(await store.getEvent({ runId, name: "approved" })).toBeNull();
  });
});
