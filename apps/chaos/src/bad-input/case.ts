/** The shape of a bad-input case and what every case can use. */
import type { AnyWorkflowDefinition, Logger, WorkflowHandler, WorkflowStore } from "@pgqrs/core";
import type { FakeServer } from "./fake-servers";

/** An error class of the PgqrsError family, recognised with `isInstance` (never `instanceof`). */
export interface ErrorClass {
  readonly name: string;
  readonly code: string | undefined;
  isInstance(error: unknown): boolean;
}

/** The tables whose rows a case may add. */
export type Table = "workflows" | "messages" | "runs" | "steps";

/** What a case hands back when the error is not thrown at the caller. */
export type CaseOutcome =
  /** The bad input ended a run ERROR; the stored error is checked. */
  | { kind: "run"; runId: string }
  /** A worker process logged the error and exited; the logged error is checked. */
  | { kind: "logged"; error: { name?: string; code?: string; message?: string }; exitCode: number | null };

/** What the cases can use. */
export interface BadInputEnv {
  /** A store on a fresh database, connected with a URL that carries the suite's secret. */
  store: WorkflowStore;
  /** The database URL with the secret as password (the server ignores it). */
  secretUrl: string;
  /** The suite's secret: the password in every URL a case uses. */
  secret: string;
  garbage: FakeServer;
  password: FakeServer;
  /** Logger whose lines are captured and checked for the secret. */
  logger: Logger;
  /** Creates the workflow, triggers one run with `params`, drains it with an in-process worker; returns the run id. */
  runOnce(options: { definition: AnyWorkflowDefinition; params: unknown; handler: WorkflowHandler }): Promise<string>;
}

/** One row of the table. */
export interface BadInputCase {
  /** What is wrong, in a few words. */
  name: string;
  area: "names" | "params" | "outputs" | "schemas" | "urls" | "servers" | "ids" | "options" | "payloads" | "store";
  /** The documented error (SPEC §12). */
  expected: ErrorClass;
  /** The message must match: it says what to do next. */
  advice: RegExp;
  /** Rows the case is allowed (and expected) to add. @default none */
  writes?: Partial<Record<Table, number>>;
  /** Feeds the bad input: throws the error, or returns where to find it. */
  act(env: BadInputEnv): Promise<CaseOutcome | undefined>;
}
