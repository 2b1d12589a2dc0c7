/**
 * The workflow every process scenario runs: three steps, each appending to the audit table when its work is done.
 * The params pick a behaviour, so one definition serves the storm, the zombie and the poison run.
 */
import { defineWorkflow, type RetryPolicy, type WorkflowDefinition } from "@pgqrs/core";

/** The workflow's name in every scenario database. */
export const chaosWorkflowName = "chaos_steps";

/** The step ids, in order. */
export const chaosStepIds = ["one", "two", "three"] as const;

/**
 * How a run behaves:
 * - `normal`: three audited steps;
 * - `hold-in-step`: on its first delivery, step `two` announces `hold` and waits `holdMs` before finishing;
 * - `hold-before-return`: on its first delivery, the handler announces `hold` after the three steps and waits
 *   `holdMs` before returning (so the late write is the completion);
 * - `poison`: step `one` crashes the process, every delivery.
 */
export type ChaosMode = "normal" | "hold-in-step" | "hold-before-return" | "poison";

/** A run's params. */
export interface ChaosParams {
  index: number;
  mode: ChaosMode;
}

/** The definition, with a retry policy for the scenario. */
export function chaosWorkflow(retry: Partial<RetryPolicy> = {}): WorkflowDefinition<ChaosParams, ChaosParams, { pid: number; attempt: number }> {
  return defineWorkflow({ name: chaosWorkflowName, retry }) as WorkflowDefinition<ChaosParams, ChaosParams, { pid: number; attempt: number }>;
}
