import { PgqrsError } from "./pgqrs-error";

/** Params failed the workflow's input schema; nothing was written. */
export class InvalidInputError extends PgqrsError {
  static override readonly code = "INVALID_INPUT" as const;
  readonly workflow: string;
  readonly issues: readonly { message: string; path?: string }[];

  constructor(options: { workflow: string; issues: readonly { message: string; path?: string }[] }) {
    const listed = options.issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join("; ");
    super("INVALID_INPUT", { message: `params for workflow "${options.workflow}" fail its input schema: ${listed}` });
    this.workflow = options.workflow;
    this.issues = options.issues;
  }
}
