/**
 * A worker process: loads one system (spec in argv[2]) and reports `ready`. Each `start` builds a worker and
 * starts it claiming, each `halt` stops it (and reports `halted`), so one process serves every repetition of a
 * scenario; `exit` ends the process. Events go to the bench over the IPC channel; it exits when the bench goes away.
 */
import { loadSystem } from "./systems/index";
import type { WorkerCommand, WorkerEvent, WorkerHandle, WorkerSpec } from "./systems/types";

// pg 8 warns (once per process) about DBOS's overlapping queries on one client; it is not ours to fix here.
process.noDeprecation = true;

const send = (event: WorkerEvent): void => {
  if (process.connected) process.send?.(event);
};

function fail(context: string, error: unknown): never {
  console.error(`bench worker: ${context}`, error);
  process.exit(1);
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? "{}") as WorkerSpec;
  const system = await loadSystem(spec.system);
  let current: WorkerHandle | undefined;
  let cpuAtStart = process.cpuUsage();
  // Commands run one at a time, in order.
  let queue = Promise.resolve();
  const handle = async (command: WorkerCommand): Promise<void> => {
    if (command.type === "start") {
      cpuAtStart = process.cpuUsage();
      current = await system.createWorker({ ...spec, holdMs: command.holdMs }, send);
      await current.start();
      return;
    }
    await current?.stop();
    current = undefined;
    const cpu = process.cpuUsage(cpuAtStart);
    if (command.type === "halt") send({ type: "halted", cpuMicros: cpu.user + cpu.system });
    else process.exit(0);
  };
  process.on("message", (command: WorkerCommand) => {
    queue = queue.then(() => handle(command)).catch((error: unknown) => fail(`${spec.system} ${command.type} failed`, error));
  });
  process.on("disconnect", () => process.exit(1));
  send({ type: "ready" });
}

main().catch((error: unknown) => fail("failed to load", error));
