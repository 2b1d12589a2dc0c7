import {
  PgqrsError,
  RunCancelledError,
  RunFailedError,
  RunNotFoundError,
  UnknownWorkflowError,
  WaitTimeoutError,
  type PgqrsErrorCode,
} from "@pgqrs/core";
import type { StoredError } from "@pgqrs/core/storage";
import { CommanderError } from "commander";
import { CliError, ExitCode } from "./cli-error";
import { redact } from "./redact";

/** pgqrs error codes that mean "fix the command line or the connection" (exit 2); every other one exits 1. */
const usageCodes: ReadonlySet<PgqrsErrorCode> = new Set<PgqrsErrorCode>([
  "CONNECTION",
  "CONFIGURATION",
  "INVALID_NAME",
  "NOT_JSON",
  "INVALID_INPUT",
  "PAYLOAD_TOO_LARGE",
  "INCOMPATIBLE_STORE",
]);

/** `Name: message (caused by Name: message; …)` for a stored error. */
export function describeStoredError(error: StoredError): string {
  const causes = (error.causes ?? []).map((cause) => `${cause.name}: ${cause.message}`);
  const where = error.stepId === undefined ? "" : ` in step ${error.stepId}`;
  const chain = causes.length > 0 ? ` (caused by ${causes.join("; caused by ")})` : "";
  return `${error.name}: ${error.message}${chain}, attempt ${error.attempt}${where}`;
}

/** The one-line message and the exit code for an error, with pgqrs API advice turned into CLI advice. */
export function describeFailure(error: unknown): { message: string; exitCode: ExitCode } {
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode };
  if (RunNotFoundError.isInstance(error)) {
    return { message: `run ${error.runId} not found; list runs with: pgqrs runs list`, exitCode: ExitCode.Failed };
  }
  if (UnknownWorkflowError.isInstance(error)) {
    return {
      message: `workflow "${error.workflow}" does not exist; create it with: pgqrs workflows create ${error.workflow}`,
      exitCode: ExitCode.Failed,
    };
  }
  if (RunFailedError.isInstance(error)) {
    return {
      message: `run ${error.runId} ended ERROR: ${describeStoredError(error.error)}; details: pgqrs runs show ${error.runId}`,
      exitCode: ExitCode.Failed,
    };
  }
  if (RunCancelledError.isInstance(error)) {
    return {
      message: `run ${error.runId} ended CANCELLED${error.reason === null ? "" : ` (${error.reason})`}; details: pgqrs runs show ${error.runId}`,
      exitCode: ExitCode.Failed,
    };
  }
  if (WaitTimeoutError.isInstance(error)) {
    return {
      message:
        `run ${error.runId} is still ${error.status} after ${error.timeoutMs} ms; wait longer (--timeout-ms) ` +
        `or look at it with: pgqrs runs show ${error.runId}`,
      exitCode: ExitCode.Failed,
    };
  }
  if (PgqrsError.isInstance(error)) {
    return { message: error.message, exitCode: usageCodes.has(error.code) ? ExitCode.Usage : ExitCode.Failed };
  }
  // A driver error keeps the useful text at the bottom of the chain (drizzle wraps it with the SQL).
  let innermost: unknown = error;
  while (innermost instanceof Error && innermost.cause instanceof Error && !(innermost instanceof CommanderError)) {
    innermost = innermost.cause;
  }
  const message = innermost instanceof Error ? innermost.message : String(innermost);
  return { message, exitCode: ExitCode.Failed };
}

function stackChain(error: unknown): string[] {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== undefined; depth += 1) {
    const text = current instanceof Error ? (current.stack ?? `${current.name}: ${current.message}`) : String(current);
    lines.push(depth === 0 ? text : `caused by: ${text}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return lines;
}

/**
 * Prints `error: <message>` on one line (secrets redacted) and returns the exit code. With `verbose`, the stack
 * and cause chain follow.
 */
export function reportError(
  error: unknown,
  options: { stderr: NodeJS.WritableStream; verbose: boolean; secrets: readonly string[] },
): ExitCode {
  const { message, exitCode } = describeFailure(error);
  const oneLine = message.replace(/\s*\n\s*/g, " ");
  options.stderr.write(`${redact(`error: ${oneLine}`, options.secrets)}\n`);
  if (options.verbose) options.stderr.write(`${redact(stackChain(error).join("\n"), options.secrets)}\n`);
  return exitCode;
}
