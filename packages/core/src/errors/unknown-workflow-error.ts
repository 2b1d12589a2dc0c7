import { PgqrsError } from "./pgqrs-error";

/** The workflow was never created in this store. */
export class UnknownWorkflowError extends PgqrsError {
  static override readonly code = "UNKNOWN_WORKFLOW" as const;
  readonly workflow: string;

  constructor(workflow: string) {
    super("UNKNOWN_WORKFLOW", {
      message: `workflow "${workflow}" does not exist in this store; create it first with store.createWorkflow("${workflow}") (idempotent)`,
    });
    this.workflow = workflow;
  }
}
