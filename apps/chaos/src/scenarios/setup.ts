/** What every process scenario starts with: a fresh database, the chaos workflow created, a store and a monitor. */
import type { WorkflowStore } from "@pgqrs/core";
import { connect } from "@pgqrs/postgres-store";
import { chaosWorkflowName } from "../chaos-workflow";
import { createMonitor, createScenarioDatabase, type Monitor, type ScenarioDatabase } from "../database";
import { createFleet, type Fleet, type FleetOptions } from "../fleet";
import { createLineLogger } from "../line-logger";
import type { ScenarioContext } from "../scenario";

/** A prepared scenario database. */
export interface ScenarioSetup {
  database: ScenarioDatabase;
  /** The suite's store (the trigger side), connected with the secret URL. */
  store: WorkflowStore;
  monitor: Monitor;
}

/** Creates the database, the workflow, a store and a monitor; all are released when the scenario ends. */
export async function setupScenario(context: ScenarioContext, label: string): Promise<ScenarioSetup> {
  const database = await createScenarioDatabase(label);
  context.defer(() => database.drop());
  const logger = createLineLogger({ verbose: false, write: (line) => context.captured.push(line) });
  const store = await connect(database.secretUrl, { migrate: false, logger, poolConfig: { max: 16 } });
  context.defer(() => store.close());
  await store.createWorkflow(chaosWorkflowName);
  const monitor = createMonitor(database.url);
  context.defer(() => monitor.close());
  return { database, store, monitor };
}

/** Creates a fleet whose workers are stopped when the scenario ends (before the database is dropped). */
export function scenarioFleet(context: ScenarioContext, options: Omit<FleetOptions, "captured">): Fleet {
  const fleet = createFleet({ ...options, captured: context.captured });
  context.defer(async () => void (await fleet.stopAll(5_000)));
  return fleet;
}

/** Counts final runs among `runIds`. */
export async function countFinal(monitor: Monitor, runIds: readonly string[]): Promise<number> {
  const [row] = await monitor.query<{ n: number }>(
    "select count(*)::int as n from pgqrs.runs where id = any($1::bigint[]) and status in ('SUCCESS', 'ERROR')",
    [[...runIds]],
  );
  return row?.n ?? 0;
}
