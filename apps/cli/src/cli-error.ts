/** The exit codes of `pgqrs`: 0 success, 1 a run failed or was not found, 2 a usage or connection error. */
export const ExitCode = {
  Success: 0,
  Failed: 1,
  Usage: 2,
} as const;

/** One of {@link ExitCode}'s values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * An error the CLI reports as one line (`error: <message>`) and exits with `exitCode`. Thrown for bad arguments,
 * a missing database URL and other problems the user fixes on the command line.
 */
export class CliError extends Error {
  readonly exitCode: ExitCode;

  constructor(message: string, options: { exitCode: ExitCode; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CliError";
    this.exitCode = options.exitCode;
  }
}

/** A usage error (exit 2): a bad option value, a missing argument. */
export function usageError(message: string, cause?: unknown): CliError {
  return new CliError(message, { exitCode: ExitCode.Usage, cause });
}
