/**
 * What a scenario is and how one runs: a time bound, cleanups that always run (workers killed, database dropped),
 * and checks that decide `passed`.
 */
import type { Check, ScenarioReport } from "./report";

/** Collects checks; `passed` is true when every one held. */
export interface Checks {
  expect(name: string, ok: boolean, detail?: string): void;
  readonly list: Check[];
}

/** Creates an empty check list. */
export function createChecks(): Checks {
  const list: Check[] = [];
  return {
    expect(name, ok, detail = "") {
      list.push({ name, ok, detail });
    },
    list,
  };
}

/** What a scenario gets. */
export interface ScenarioContext {
  /**
   * Aborted shortly before the scenario's time is up (leaving `verifyReserveMs`): stop waiting and injecting faults,
   * then count what happened. The hard bound comes after it.
   */
  signal: AbortSignal;
  /** Registers a cleanup; cleanups run last-in first-out after the scenario, also on timeout or failure. */
  defer(cleanup: () => Promise<void> | void): void;
  /** Progress lines for the console. */
  log(message: string): void;
  checks: Checks;
  /** Every log line captured from workers and the API, checked for the secret at the end of the suite. */
  captured: string[];
}

/** The figures a scenario measured (checks are taken from the context). */
export type ScenarioFigures = Omit<ScenarioReport, "scenario" | "passed" | "durationMs" | "checks">;

/** A scenario of the suite. */
export interface Scenario {
  name: string;
  /** What it does, one line. */
  title: string;
  timeoutMs: number;
  /** Time kept for counting after `signal` aborts. @default 20000 */
  verifyReserveMs?: number;
  run(context: ScenarioContext): Promise<ScenarioFigures>;
}

const emptyFigures: ScenarioFigures = {
  runs: 0,
  succeeded: 0,
  failed: 0,
  lost: 0,
  duplicateStepRecords: 0,
  stepReexecutions: 0,
  maxRecoveryMs: 0,
  faults: 0,
};

/** Runs one scenario within its time bound and turns its checks into a report entry. */
export async function runScenario(scenario: Scenario, captured: string[]): Promise<ScenarioReport> {
  const started = Date.now();
  const controller = new AbortController();
  const cleanups: (() => Promise<void> | void)[] = [];
  const checks = createChecks();
  const context: ScenarioContext = {
    signal: controller.signal,
    defer: (cleanup) => void cleanups.push(cleanup),
    log: (message) => console.log(`  [${scenario.name} ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`),
    checks,
    captured,
  };
  let figures: ScenarioFigures = emptyFigures;
  const soft = setTimeout(() => controller.abort(), Math.max(0, scenario.timeoutMs - (scenario.verifyReserveMs ?? 20_000)));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), scenario.timeoutMs);
  });
  try {
    const outcome = await Promise.race([scenario.run(context), timeout]);
    if (outcome === "timeout") {
      controller.abort();
      checks.expect("finished within its time bound", false, `still running after ${scenario.timeoutMs} ms`);
    } else {
      figures = outcome;
      if (controller.signal.aborted) checks.expect("finished within its time bound", false, `waited until ${scenario.timeoutMs} ms before the end`);
    }
  } catch (error) {
    controller.abort();
    checks.expect("ran to the end", false, error instanceof Error ? (error.stack ?? error.message) : String(error));
  } finally {
    clearTimeout(timer);
    clearTimeout(soft);
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        checks.expect("cleanup", false, error instanceof Error ? error.message : String(error));
      }
    }
  }
  if (checks.list.length === 0) checks.expect("made at least one check", false, "the scenario checked nothing");
  return {
    scenario: scenario.name,
    ...figures,
    passed: checks.list.every((check) => check.ok),
    durationMs: Date.now() - started,
    checks: checks.list,
  };
}
