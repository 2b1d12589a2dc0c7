import { PermanentError, Step, TransientError } from "@pgqrs/core";
import { createFakeClock, createMemoryStore } from "@pgqrs/core/testing";
import { describe, expect, it, vi } from "vitest";
import { get, patience, quietLogger, spyStore, trackWorkers } from "../test/support/harness";
import { consumer } from "./index";

const track = trackWorkers();
const workflow = "jobs";

async function setup() {
  const memory = createMemoryStore({ clock: createFakeClock() });
  await memory.createWorkflow({ name: workflow });
  const enqueue = async (input: Record<string, string>) => (await memory.enqueue({ workflow, input })).message.runId;
  return { memory, enqueue };
}

function sample(body: string, metric: string): number | undefined {
  const line = body.split("\n").find((candidate) => candidate.startsWith(`${metric}{`) || candidate.startsWith(`${metric} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
}

describe("GET /healthz", () => {
  it("is 503 before polling, 200 while polling, and gone after stop()", async () => {
    const { memory } = await setup();
    const worker = track(await consumer("w", 0, workflow).handleSignals(false).logger(quietLogger).handler(async () => "ok").create(memory));
    const before = await get(worker, "/healthz");
    expect(before.status).toBe(503);
    const polling = worker.pollForever();
    await vi.waitFor(async () => expect((await get(worker, "/healthz")).status).toBe(200), patience);
    expect(JSON.parse((await get(worker, "/healthz")).body)).toEqual({ status: "ok" });
    await worker.stop();
    await polling;
    await expect(get(worker, "/healthz")).rejects.toThrow();
  });

  it("is 503 while the store fails its heartbeats", async () => {
    const { memory } = await setup();
    const spy = spyStore(memory, { failures: { extendLeases: 1_000 } });
    const worker = track(
      await consumer("w", 0, workflow).leaseMs(60).handleSignals(false).logger(quietLogger).handler(async () => "ok").create(spy.store),
    );
    void worker.pollForever();
    await vi.waitFor(async () => expect((await get(worker, "/healthz")).status).toBe(503), patience);
    spy.failures.extendLeases = 0;
    await vi.waitFor(async () => expect((await get(worker, "/healthz")).status).toBe(200), patience);
  });
});

describe("GET /metrics", () => {
  it("counts claims and outcomes, times steps and reports depth and in-flight runs, with HELP and TYPE lines", async () => {
    const { memory, enqueue } = await setup();
    await enqueue({ kind: "ok" });
    await enqueue({ kind: "retry", password: "s3cret-param" });
    await enqueue({ kind: "fail" });
    await enqueue({ kind: "pause" });
    const worker = track(
      await consumer("w", 0, workflow)
        .handleSignals(false)
        .logger(quietLogger)
        .handler(async (ctx, params) => {
          const { kind } = params as { kind: string };
          await ctx.step("first", () => "step output: top secret");
          await ctx.step("second", () => {
            if (kind === "retry") throw new TransientError("again", { retryAfterMs: 60_000 });
            if (kind === "fail") throw new PermanentError("no");
            if (kind === "pause") throw Step.pause(60_000);
          });
          return { result: "run output: top secret" };
        })
        .create(memory),
    );
    const depthBefore = await get(worker, "/metrics");
    expect(sample(depthBefore.body, "pgqrs_queue_depth")).toBe(4);
    await worker.drain();
    const { status, body, contentType } = await get(worker, "/metrics");
    expect(status).toBe(200);
    expect(contentType).toBe("text/plain; version=0.0.4; charset=utf-8");
    const counters = [
      "pgqrs_runs_claimed_total",
      "pgqrs_runs_succeeded_total",
      "pgqrs_runs_failed_total",
      "pgqrs_runs_retried_total",
      "pgqrs_runs_paused_total",
      "pgqrs_lease_losses_total",
    ];
    for (const name of counters) {
      expect(body).toContain(`# HELP ${name} `);
      expect(body).toContain(`# TYPE ${name} counter`);
    }
    expect(body).toContain("# TYPE pgqrs_step_duration_seconds histogram");
    expect(body).toContain("# TYPE pgqrs_queue_depth gauge");
    expect(body).toContain("# TYPE pgqrs_runs_in_flight gauge");
    expect(sample(body, "pgqrs_runs_claimed_total")).toBe(4);
    expect(sample(body, "pgqrs_runs_succeeded_total")).toBe(1);
    expect(sample(body, "pgqrs_runs_failed_total")).toBe(1);
    expect(sample(body, "pgqrs_runs_retried_total")).toBe(1);
    expect(sample(body, "pgqrs_runs_paused_total")).toBe(1);
    expect(sample(body, "pgqrs_lease_losses_total")).toBe(0);
    expect(sample(body, "pgqrs_runs_in_flight")).toBe(0);
    // Eight steps ran: "first" and "second" of each run (three of the "second" steps threw).
    expect(body).toContain(`pgqrs_step_duration_seconds_count{workflow="${workflow}"} 8`);
    expect(body).toContain(`pgqrs_step_duration_seconds_bucket{workflow="${workflow}",le="+Inf"} 8`);
    expect(body).toMatch(/^pgqrs_step_duration_seconds_sum\{workflow="jobs"\} [0-9.e-]+$/m);
    for (const line of body.trimEnd().split("\n")) {
      expect(line).toMatch(/^(# (HELP|TYPE) pgqrs_\w+ .+|pgqrs_\w+\{workflow="jobs"(,le="[^"]+")?\} \S+)$/);
    }
    expect(body).not.toMatch(/top secret|s3cret|password|step=|"first"|"second"/);
  });

  it("reads the queue depth from the store at most once a second", async () => {
    const { memory } = await setup();
    const spy = spyStore(memory);
    const worker = track(await consumer("w", 0, workflow).handleSignals(false).logger(quietLogger).handler(async () => "ok").create(spy.store));
    await Promise.all([get(worker, "/metrics"), get(worker, "/metrics"), get(worker, "/metrics")]);
    await get(worker, "/metrics");
    expect(spy.calls.filter((call) => call.method === "countRuns")).toHaveLength(1);
    expect(spy.calls.find((call) => call.method === "countRuns")?.args).toEqual({ workflow });
  });

  it("answers 404 for other paths and 405 for other methods", async () => {
    const { memory } = await setup();
    const worker = track(await consumer("w", 0, workflow).handleSignals(false).logger(quietLogger).handler(async () => "ok").create(memory));
    expect((await get(worker, "/")).status).toBe(404);
    expect((await get(worker, "/metrics/extra")).status).toBe(404);
    expect((await get(worker, "/metrics", { method: "POST" })).status).toBe(405);
    expect((await get(worker, "/healthz", { method: "DELETE" })).status).toBe(405);
    expect((await get(worker, "/healthz?verbose=1")).status).toBe(503);
  });
});
