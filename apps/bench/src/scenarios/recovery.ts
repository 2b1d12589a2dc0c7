import { connectClient } from "../db";
import { payloads, waitUntilDone } from "../drain-runner";
import type { Measurement, Scenario } from "../measurement";
import { nowMs, sleep, summarise } from "../stats";
import { systemDatabase } from "../system-database";
import { loadSystem } from "../systems/index";
import type { BenchSystem, WorkerSpec } from "../systems/types";
import { spawnWorker } from "../worker-process";

/** Waits until `count` recovery jobs are claimed (and, for step systems, past their first step). */
async function waitInFlight(system: BenchSystem, url: string, count: number): Promise<void> {
  const client = await connectClient(url);
  try {
    const deadline = nowMs() + 60_000;
    while ((await system.inFlight(client, "recovery")) < count) {
      if (nowMs() > deadline) throw new Error(`bench: ${system.name} never had ${count} recovery jobs in flight`);
      await sleep(20);
    }
  } finally {
    await client.end();
  }
}

/** How long the doomed worker's runs hold in their second step: for good. */
const holdForever = 3_600_000;

/**
 * Every repetition: worker A claims all runs and hangs in step 2, is SIGKILLed; worker B (a process already loaded)
 * starts at once, and the time runs from the kill until all are done. B then becomes the next repetition's A, and a
 * new B is loaded before the kill, so no process start-up competes for the CPU while the clock runs.
 */
async function recoverAll(
  system: BenchSystem,
  spec: Omit<WorkerSpec, "holdMs">,
  options: { runs: number; repetitions: number; log: (line: string) => void },
): Promise<number[]> {
  const { url } = spec;
  const times: number[] = [];
  const processes = [spawnWorker(spec), spawnWorker(spec)];
  try {
    await Promise.all(processes.map((process) => process.ready));
    for (let rep = 0; rep < options.repetitions; rep += 1) {
      const doomed = processes[rep];
      const rescuer = processes[rep + 1];
      if (!doomed || !rescuer) throw new Error("bench: recovery lost track of its worker processes");
      const producer = await system.producer(url);
      try {
        await producer.enqueueMany("recovery", payloads(options.runs));
      } finally {
        await producer.close();
      }
      const next = rep + 1 < options.repetitions ? spawnWorker(spec) : undefined;
      if (next) processes.push(next);
      doomed.start(holdForever).catch(() => undefined);
      await waitInFlight(system, url, options.runs);
      await next?.ready;
      const killedAt = nowMs();
      await doomed.kill();
      rescuer.start(0).catch(() => undefined);
      const done = await waitUntilDone({ system, url, kind: "recovery", since: killedAt, timeoutMs: 120_000 });
      times.push((done - killedAt) / 1000);
      options.log(`recovery ${system.name} #${rep + 1}: ${times[times.length - 1]?.toFixed(2)} s`);
      await rescuer.halt();
    }
    return times;
  } finally {
    await Promise.all(processes.map((process) => process.kill()));
  }
}

/**
 * `recovery`: `recoveryRuns` runs in flight (worker concurrency `recoveryConcurrency`), the worker SIGKILLed, a new
 * worker process started at once (lease / expiry `recoveryLeaseMs`) → seconds from the kill until all are done.
 * graphile-worker is not run: a killed worker's jobs stay locked for 4 hours.
 */
export const recovery: Scenario = {
  name: "recovery",
  async run(context) {
    const { settings } = context;
    const rows: Measurement[] = [];
    for (const name of context.systems) {
      if (name === "graphile-worker") continue;
      const system = await loadSystem(name);
      const database = await systemDatabase(system, "recovery", settings);
      const { url } = database;
      try {
        const spec = { system: name, url, kind: "recovery" as const, concurrency: settings.recoveryConcurrency, leaseMs: settings.recoveryLeaseMs };
        const times = await recoverAll(system, spec, { runs: settings.recoveryRuns, repetitions: settings.repetitions, log: context.log });
        const note = name === "dbos" ? "relaunch recovers the executor's pending workflows" : undefined;
        rows.push({ scenario: "recovery", system: name, metric: "time to all done", unit: "s", better: "lower", note, ...summarise(times) });
      } finally {
        await database.drop();
      }
    }
    return rows;
  },
};
