import type { SetupSettings } from "./systems/types";

/** Sizes and repetitions of one bench run; `--quick` shrinks them. */
export interface BenchSettings extends SetupSettings {
  quick: boolean;
  repetitions: number;
  drain1Runs: number;
  drain3Runs: number;
  stepOverheadRuns: number;
  latencyTriggers: number;
  latencySpacingMs: number;
  recoveryRuns: number;
  pgliteRuns: number;
  growthArchived: number;
  growthDelayed: number;
  ceilingSeconds: number;
  ceilingRows: number;
}

/** The settings of a full run, or of `--quick`. */
export function benchSettings(quick: boolean): BenchSettings {
  const shared = { quick, concurrency: 10, recoveryConcurrency: 200, recoveryLeaseMs: 2_000, latencySpacingMs: 5, recoveryRuns: 200 };
  if (quick) {
    return {
      ...shared,
      repetitions: 3,
      drain1Runs: 500,
      drain3Runs: 300,
      stepOverheadRuns: 3,
      latencyTriggers: 100,
      pgliteRuns: 500,
      growthArchived: 20_000,
      growthDelayed: 2_000,
      ceilingSeconds: 2,
      ceilingRows: 100_000,
    };
  }
  return {
    ...shared,
    repetitions: 3,
    drain1Runs: 20_000,
    drain3Runs: 5_000,
    stepOverheadRuns: 5,
    latencyTriggers: 500,
    pgliteRuns: 5_000,
    growthArchived: 1_000_000,
    growthDelayed: 100_000,
    ceilingSeconds: 10,
    ceilingRows: 500_000,
  };
}
