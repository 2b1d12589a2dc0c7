/** What every story gets and how it reports a broken expectation. */
import type { WorkflowStore } from "@pgqrs/core/storage";
import type { DemoFolder } from "../files";
import type { TourLog } from "../tour-log";

/** Everything a story needs. */
export interface StoryContext {
  store: WorkflowStore;
  folder: DemoFolder;
  log: TourLog;
  /** The demo database's URL on PostgreSQL (for worker processes); absent on embedded PGlite. */
  databaseUrl: string | undefined;
}

/** One story of the tour. */
export interface Story {
  /** The header, e.g. "1. A run from QUEUED to SUCCESS". */
  title: string;
  /** Throws when the run did not behave as the story says. */
  run(context: StoryContext): Promise<void>;
}

/**
 * Checks what a story claims and prints it as a "check:" line.
 * @throws Error with `claim` when `ok` is false
 */
export function verify(log: TourLog, ok: boolean, claim: string): void {
  log.event(`check: ${claim} … ${ok ? "yes" : "NO"}`);
  if (!ok) throw new Error(`expected: ${claim}`);
}

/** `{ list_files: 1, … }` as `list_files ×1, …`. */
export function formatCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([stepId, count]) => `${stepId} ×${count}`)
    .join(", ");
}
