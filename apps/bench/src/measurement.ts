import type { BenchSettings } from "./settings";
import type { Summary } from "./stats";
import type { SystemName } from "./systems/types";

/** Which way is better for a metric. */
export type Better = "higher" | "lower";

/** One row of the results: a summarised figure, and how to compare it with pgqrs. */
export interface Measurement extends Summary {
  scenario: string;
  system: string;
  metric: string;
  unit: string;
  better: Better;
  /** The pgqrs row this one is compared with, when not the pgqrs row of the same scenario and metric. */
  reference?: { scenario: string; metric: string };
  /** Shown in the table's note column. */
  note?: string;
}

/** What every scenario gets. */
export interface ScenarioContext {
  settings: BenchSettings;
  /** The systems selected for this run (all four unless `--systems`). */
  systems: readonly SystemName[];
  /** Progress lines (stderr), so stdout holds only the table. */
  log(message: string): void;
}

/** A scenario: runs its systems and returns its rows. */
export interface Scenario {
  readonly name: string;
  run(context: ScenarioContext): Promise<Measurement[]>;
}
