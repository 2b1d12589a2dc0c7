import type { BenchSystem, SystemName } from "./types";

/** Every system, in table order. */
export const systemNames: readonly SystemName[] = ["pgqrs", "graphile-worker", "pg-boss", "dbos"];

/** Loads a system's module on demand, so a process only imports the libraries it runs. */
export async function loadSystem(name: SystemName): Promise<BenchSystem> {
  switch (name) {
    case "pgqrs":
      return (await import("./pgqrs")).pgqrsSystem;
    case "graphile-worker":
      return (await import("./graphile-worker")).graphileWorkerSystem;
    case "pg-boss":
      return (await import("./pg-boss")).pgBossSystem;
    case "dbos":
      return (await import("./dbos")).dbosSystem;
  }
}

/** Parses a system name. */
export function isSystemName(value: string): value is SystemName {
  return (systemNames as readonly string[]).includes(value);
}
