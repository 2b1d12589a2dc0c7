import { UnknownWorkflowError } from "../errors/unknown-workflow-error";
import { workflowNameFrom } from "../names";
import type { WorkflowRecord } from "../storage/types";
import { copy, now, publish, type MemoryState } from "./memory-state";

function requireWorkflow(state: MemoryState, args: { name: string } | string): WorkflowRecord {
  const name = typeof args === "object" && args !== null ? args.name : args;
  const workflow = typeof name === "string" ? state.workflows.get(name) : undefined;
  // An invalid name is reported by its rule; a valid one that was never created is unknown.
  if (workflow === undefined) throw new UnknownWorkflowError(workflowNameFrom(args));
  return workflow;
}

/** See `WorkflowStore.pauseWorkflow`. */
export function pauseWorkflow(state: MemoryState, args: { name: string } | string): WorkflowRecord {
  const workflow = requireWorkflow(state, args);
  workflow.pausedAt ??= now(state);
  return copy(workflow);
}

/** See `WorkflowStore.resumeWorkflow`. */
export function resumeWorkflow(state: MemoryState, args: { name: string } | string): WorkflowRecord {
  const workflow = requireWorkflow(state, args);
  workflow.pausedAt = null;
  publish(state, { type: "enqueued", workflow: workflow.name });
  return copy(workflow);
}
