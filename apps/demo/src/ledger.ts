/**
 * A record of every time a step's function actually ran (not replayed), kept in files so workers in other
 * processes write to the same record. The stories count it to show that completed steps never ran twice.
 */
import { appendFile, readFile } from "node:fs/promises";
import { join } from "node:path";

/** One execution of a step's function. */
export interface StepRun {
  runId: string;
  stepId: string;
  attempt: number;
  worker: string;
}

function ledgerFile(ledger: string, runId: string): string {
  return join(ledger, `${runId.replace(/[^\w.-]/g, "_")}.jsonl`);
}

/** Appends one execution to the run's record. */
export async function recordStepRun(ledger: string, entry: StepRun): Promise<void> {
  await appendFile(ledgerFile(ledger, entry.runId), `${JSON.stringify(entry)}\n`);
}

/** Every recorded execution of the run's steps, oldest first. */
export async function readStepRuns(ledger: string, runId: string): Promise<StepRun[]> {
  let text: string;
  try {
    text = await readFile(ledgerFile(ledger, runId), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return text
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as StepRun);
}

/** How many times each step's function ran. */
export function countByStep(runs: readonly StepRun[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of runs) counts[entry.stepId] = (counts[entry.stepId] ?? 0) + 1;
  return counts;
}
