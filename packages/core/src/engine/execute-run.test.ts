import { describe, expect, it, vi } from "vitest";
import { DuplicateStepError } from "../errors/duplicate-step-error";
import { ConcurrentStepError } from "../errors/concurrent-step-error";
import { PermanentError } from "../errors/permanent-error";
import { TransientError } from "../errors/transient-error";
import { backoffCapMs } from "../retry/backoff-delay";
import { Step } from "../step";
import type { Logger } from "../workflow/types";
import { createHarness, visibleInMs } from "./engine-test-harness";
import type { StepEvent } from "./types";

describe("executeRun: success and replay", () => {
  it("runs the steps, stores their outputs and the run's output", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger({ bucket: "b" });
    const outcome = await harness.deliver(async (ctx, params) => {
      expect(ctx.runId).toBe(runId);
      expect(ctx.attempt).toBe(1);
      expect(ctx.workflow).toBe("engine_test");
      const files = await ctx.step("list_files", () => ["a.txt", "b.txt"]);
      // The step hands back the stored JSON: undefined properties are gone, as on replay.
      const meta = await ctx.step("meta", () => ({ kept: 1, dropped: undefined }));
      expect(meta).toEqual({ kept: 1 });
      expect(Object.keys(meta)).toEqual(["kept"]);
      await ctx.step("void_step", () => undefined);
      return { params, fileCount: files.length };
    });
    expect(outcome).toEqual({ status: "SUCCESS" });
    const run = await harness.getRun(runId);
    expect(run.status).toBe("SUCCESS");
    expect(run.output).toEqual({ params: { bucket: "b" }, fileCount: 2 });
    expect(run.steps.map((step) => [step.stepId, step.output])).toEqual([
      ["list_files", ["a.txt", "b.txt"]],
      ["meta", { kept: 1 }],
      ["void_step", undefined],
    ]);
    expect(await harness.claim()).toBeUndefined();
  });

  it("completes a handler that returns nothing", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    expect(await harness.deliver(() => undefined)).toEqual({ status: "SUCCESS" });
    const run = await harness.getRun(runId);
    expect(run.status).toBe("SUCCESS");
    expect(run.output).toBeUndefined();
  });

  it("replays stored steps without calling fn, returning the same values", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    const calls = { first: 0, second: 0 };
    const seen: unknown[] = [];
    const handler = async (ctx: Parameters<Parameters<typeof harness.deliver>[0]>[0]) => {
      const first = await ctx.step("first", () => {
        calls.first += 1;
        return { value: 41, nested: [1, { deep: true }] };
      });
      const nothing = await ctx.step("nothing", () => undefined);
      seen.push(first, nothing);
      await ctx.step("second", () => {
        calls.second += 1;
        if (calls.second === 1) throw new TransientError("not yet", { retryAfterMs: 0 });
        return "done";
      });
      return first.value + 1;
    };
    expect((await harness.deliver(handler)).status).toBe("QUEUED");
    expect(await harness.deliver(handler)).toEqual({ status: "SUCCESS" });
    expect(calls).toEqual({ first: 1, second: 2 });
    expect(seen[0]).toEqual(seen[2]);
    expect(seen[1]).toBeUndefined();
    expect(seen[3]).toBeUndefined();
    expect((await harness.getRun(runId)).output).toBe(42);
  });

  it("reports step events and logs without params or outputs", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger({ secret: "params-secret" });
    const events: StepEvent[] = [];
    const lines: unknown[] = [];
    const record = (object: object, message?: string): void => {
      lines.push({ object, message });
    };
    const logger: Logger = { debug: record, info: record, warn: record, error: record };
    let now = 0;
    const handler = async (ctx: Parameters<Parameters<typeof harness.deliver>[0]>[0]) => {
      await ctx.step("a", () => {
        now += 5;
        return "output-secret";
      });
      ctx.logger.info({ custom: true }, "from the handler");
      await ctx.step("b", () => {
        throw new TransientError("again", { retryAfterMs: 0 });
      });
    };
    await harness.deliver(handler, { onStep: (event) => events.push(event), logger, now: () => now });
    await harness.deliver(handler, { onStep: (event) => events.push(event), logger, now: () => now });
    expect(events).toEqual([
      { runId, stepId: "a", durationMs: 5, replayed: false, ok: true },
      { runId, stepId: "b", durationMs: 0, replayed: false, ok: false },
      { runId, stepId: "a", durationMs: 0, replayed: true, ok: true },
      { runId, stepId: "b", durationMs: 0, replayed: false, ok: false },
    ]);
    const logged = JSON.stringify(lines);
    expect(logged).not.toMatch(/params-secret|output-secret/);
    expect(lines).toContainEqual({ object: { runId, workflow: "engine_test", attempt: 1, custom: true }, message: "from the handler" });
    expect(logged).toMatch(/"stepId":"b"/);
  });

  it("ignores an onStep listener that throws", async () => {
    const harness = await createHarness();
    await harness.trigger();
    const outcome = await harness.deliver(async (ctx) => ctx.step("a", () => 1), {
      onStep: () => {
        throw new Error("metrics broke");
      },
    });
    expect(outcome).toEqual({ status: "SUCCESS" });
  });
});

describe("executeRun: retries", () => {
  it("puts a transient failure back to QUEUED with backoff, on the same run", async () => {
    const harness = await createHarness({ retry: { initialDelayMs: 1000, factor: 2, maxDelayMs: 60_000 } });
    const runId = await harness.trigger();
    const outcome = await harness.deliver(async (ctx) => {
      await ctx.step("fetch", () => {
        throw new Error("socket hang up");
      });
    });
    expect(outcome.status).toBe("QUEUED");
    const run = await harness.getRun(runId);
    expect(run.status).toBe("QUEUED");
    expect(run.runId).toBe(runId);
    expect(run.error).toMatchObject({ name: "Error", message: "socket hang up", attempt: 1, stepId: "fetch" });
    expect(run.stepFailures).toEqual({ fetch: 1 });
    expect(run.runFailures).toBe(0);
    const delay = visibleInMs(run, harness.clock);
    expect(delay).toBeGreaterThanOrEqual(0);
    expect(delay).toBeLessThanOrEqual(backoffCapMs({ policy: harness.workflow.retry, failure: 1 }));
    expect(outcome.status === "QUEUED" && outcome.delayMs).toBe(delay);

    harness.clock.advance(delay);
    const second = await harness.claim();
    expect(second?.runId).toBe(runId);
    expect(second?.attempt).toBe(2);
  });

  it("draws the delay from the policy with the injected random, growing per failure", async () => {
    const harness = await createHarness({ retry: { initialDelayMs: 1000, factor: 3, maxDelayMs: 5000, maxAttempts: 10 } });
    const runId = await harness.trigger();
    const failing = async (ctx: Parameters<Parameters<typeof harness.deliver>[0]>[0]) => {
      await ctx.step("s", () => {
        throw new Error("flaky");
      });
    };
    const delays: number[] = [];
    for (let index = 0; index < 4; index += 1) {
      const outcome = await harness.deliver(failing, { random: () => 0.5 });
      if (outcome.status !== "QUEUED") throw new Error(`unexpected ${outcome.status}`);
      delays.push(outcome.delayMs);
      expect(visibleInMs(await harness.getRun(runId), harness.clock)).toBe(outcome.delayMs);
      harness.clock.advance(outcome.delayMs);
    }
    expect(delays).toEqual([500, 1500, 2500, 2500]);
  });

  it("uses TransientError.retryAfterMs instead of the backoff", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    const outcome = await harness.deliver(() => {
      throw new TransientError("rate limited", { retryAfterMs: 12_345 });
    });
    expect(outcome).toMatchObject({ status: "QUEUED", delayMs: 12_345 });
    const run = await harness.getRun(runId);
    expect(visibleInMs(run, harness.clock)).toBe(12_345);
    expect(run.runFailures).toBe(1);
    expect(run.error).toMatchObject({ name: "TransientError", code: "TRANSIENT" });
    expect(run.error?.stepId).toBeUndefined();
  });

  it("ends ERROR when unclassified errors use up maxAttempts", async () => {
    const harness = await createHarness({ retry: { maxAttempts: 3 } });
    const runId = await harness.trigger();
    const statuses: string[] = [];
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const outcome = await harness.deliver(() => {
        throw new Error(`failure ${attempt}`);
      });
      statuses.push(outcome.status);
      harness.clock.advance(300_000);
    }
    expect(statuses).toEqual(["QUEUED", "QUEUED", "ERROR"]);
    const run = await harness.getRun(runId);
    expect(run.status).toBe("ERROR");
    expect(run.error).toMatchObject({ message: "failure 3", attempt: 3 });
    expect(run.runFailures).toBe(2);
    expect(run.visibleAt).toBeNull();
    expect(await harness.claim()).toBeUndefined();
  });

  it("counts failures per step: a flaky step 3 is not charged for step 1's failures", async () => {
    const harness = await createHarness({ retry: { maxAttempts: 3 } });
    const runId = await harness.trigger();
    let stepOneCalls = 0;
    let stepThreeCalls = 0;
    const handler = async (ctx: Parameters<Parameters<typeof harness.deliver>[0]>[0]) => {
      await ctx.step("one", () => {
        stepOneCalls += 1;
        if (stepOneCalls <= 2) throw new Error("one is flaky");
        return 1;
      });
      await ctx.step("two", () => 2);
      await ctx.step("three", () => {
        stepThreeCalls += 1;
        if (stepThreeCalls <= 2) throw new Error("three is flaky");
        return 3;
      });
      return "ok";
    };
    const statuses: string[] = [];
    for (let delivery = 0; delivery < 5; delivery += 1) {
      statuses.push((await harness.deliver(handler)).status);
      harness.clock.advance(300_000);
    }
    expect(statuses).toEqual(["QUEUED", "QUEUED", "QUEUED", "QUEUED", "SUCCESS"]);
    const run = await harness.getRun(runId);
    expect(run.stepFailures).toEqual({ one: 2, three: 2 });
    expect(run.output).toBe("ok");
  });

  it("judges a step by its own retry option over the workflow's", async () => {
    const harness = await createHarness({ retry: { maxAttempts: 10 } });
    const runId = await harness.trigger();
    const outcome = await harness.deliver(async (ctx) => {
      await ctx.step(
        "once",
        () => {
          throw new Error("no second chance");
        },
        { retry: { maxAttempts: 1 } },
      );
    });
    expect(outcome.status).toBe("ERROR");
    expect((await harness.getRun(runId)).error).toMatchObject({ message: "no second chance", stepId: "once" });
  });

  it("charges a step when the handler wraps the step's error", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    await harness.deliver(async (ctx) => {
      try {
        await ctx.step("inner", () => {
          throw new Error("root cause");
        });
      } catch (error) {
        throw new Error("wrapped", { cause: error });
      }
    });
    const run = await harness.getRun(runId);
    expect(run.stepFailures).toEqual({ inner: 1 });
    expect(run.error).toMatchObject({ message: "wrapped", stepId: "inner", causes: [{ name: "Error", message: "root cause" }] });
  });

  it("counts a store failure while saving a step as that step's failure", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    const flakyStore = {
      ...harness.store,
      saveStep: async () => {
        throw new Error("connection reset");
      },
    };
    const outcome = await harness.deliver(async (ctx) => ctx.step("save_me", () => 1), { store: flakyStore });
    expect(outcome.status).toBe("QUEUED");
    const run = await harness.getRun(runId);
    expect(run.stepFailures).toEqual({ save_me: 1 });
    expect(run.error).toMatchObject({ message: "connection reset", stepId: "save_me" });
  });

  it("throws to the caller when the store fails again while recording the outcome", async () => {
    const harness = await createHarness();
    await harness.trigger();
    const brokenStore = {
      ...harness.store,
      saveStep: async () => {
        throw new Error("database down");
      },
      retryRun: async () => {
        throw new Error("database still down");
      },
    };
    await expect(harness.deliver(async (ctx) => ctx.step("a", () => 1), { store: brokenStore })).rejects.toThrow("database still down");
  });
});

describe("executeRun: permanent failures", () => {
  it("ends ERROR on a PermanentError and takes the run off the queue", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    const outcome = await harness.deliver(async (ctx) => {
      await ctx.step("charge", () => {
        throw new PermanentError("card declined", { data: { code: "insufficient_funds" } });
      });
    });
    expect(outcome.status).toBe("ERROR");
    const run = await harness.getRun(runId);
    expect(run.status).toBe("ERROR");
    expect(run.finishedAt).not.toBeNull();
    expect(run.visibleAt).toBeNull();
    expect(run.error).toMatchObject({ name: "PermanentError", code: "PERMANENT", data: { code: "insufficient_funds" }, stepId: "charge", attempt: 1 });
    harness.clock.advance(24 * 3_600_000);
    expect(await harness.claim()).toBeUndefined();
    expect((await harness.store.countRuns({})).visibleQueued).toBe(0);
  });

  it("ends ERROR on a duplicate step id", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    const outcome = await harness.deliver(async (ctx) => {
      await ctx.step("same", () => 1);
      await ctx.step("same", () => 2);
    });
    expect(outcome.status).toBe("ERROR");
    const run = await harness.getRun(runId);
    expect(run.error).toMatchObject({ name: "DuplicateStepError", code: DuplicateStepError.code, stepId: "same" });
    expect(run.steps).toHaveLength(1);
  });

  it("ends ERROR when a step is called while another is in flight", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    const outcome = await harness.deliver(async (ctx) => {
      await Promise.all([ctx.step("left", () => 1), ctx.step("right", () => 2)]);
    });
    expect(outcome.status).toBe("ERROR");
    const run = await harness.getRun(runId);
    expect(run.error).toMatchObject({ code: ConcurrentStepError.code, stepId: "right" });
    expect(run.error?.message).toMatch(/step "right" started while step "left"/);
  });

  it("ends ERROR when the handler returns while a step is still running", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    const fn = vi.fn(() => new Promise<number>(() => undefined));
    const outcome = await harness.deliver((ctx) => {
      void ctx.step("floating", fn);
      return "too early";
    });
    expect(outcome.status).toBe("ERROR");
    expect((await harness.getRun(runId)).error?.message).toMatch(/returned while step "floating" was still running/);
  });

  it("ends ERROR on an invalid step id", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    const outcome = await harness.deliver(async (ctx) => ctx.step("", () => 1));
    expect(outcome.status).toBe("ERROR");
    expect((await harness.getRun(runId)).error).toMatchObject({ code: "INVALID_NAME" });
  });

  it("ends ERROR when a step output is not JSON, naming the step and the path", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    const outcome = await harness.deliver(async (ctx) => ctx.step("stat", () => ({ files: [{ mtime: new Date(0) }] })));
    expect(outcome.status).toBe("ERROR");
    const run = await harness.getRun(runId);
    expect(run.error).toMatchObject({ code: "NOT_JSON", stepId: "stat" });
    expect(run.error?.message).toBe('step "stat" output.files[0].mtime: Date is not JSON; convert it to a string');
    expect(run.steps).toEqual([]);
  });

  it("ends ERROR when the run output is not JSON or too large", async () => {
    const harness = await createHarness();
    const first = await harness.trigger();
    await harness.deliver(() => ({ total: 10n }));
    expect((await harness.getRun(first)).error?.message).toMatch(/^output\.total: bigint is not JSON/);
    const second = await harness.trigger();
    expect((await harness.deliver(() => "x".repeat(100), { maxPayloadBytes: 50 })).status).toBe("ERROR");
    expect((await harness.getRun(second)).error).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
  });

  it("ends ERROR on an invalid pause", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    await harness.deliver(async (ctx) =>
      ctx.step("wait", () => {
        throw Step.pause(-5);
      }),
    );
    expect((await harness.getRun(runId)).error).toMatchObject({ code: "CONFIGURATION", stepId: "wait" });
  });
});
