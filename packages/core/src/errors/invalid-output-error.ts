import { PgqrsError } from "./pgqrs-error";

/** A run's output failed the workflow's output schema; the run ends ERROR. */
export class InvalidOutputError extends PgqrsError {
  static override readonly code = "INVALID_OUTPUT" as const;
  readonly workflow: string;
  readonly issues: readonly { message: string; path?: string }[];

  constructor(options: { workflow: string; issues: readonly { message: string; path?: string }[] }) {
    const listed = options.issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join("; ");
    super("INVALID_OUTPUT", { message: `output of workflow "${options.workflow}" fails its output schema: ${listed}; fix the handler's return value` });
    this.workflow = options.workflow;
    this.issues = options.issues;
  }
}
