import { CommanderError } from "commander";
import { ExitCode } from "./cli-error";
import type { CliIo } from "./io";
import { createProgram } from "./program";
import { urlSecrets } from "./redact";
import { reportError } from "./report-error";

/** Every password the command line or environment holds, to keep out of anything printed. */
function secretsOf(argv: readonly string[], env: NodeJS.ProcessEnv): string[] {
  const candidates = [...argv, env.DATABASE_URL ?? ""].map((value) => value.replace(/^--database-url=/, ""));
  return [...new Set(candidates.filter((value) => value.includes("://")).flatMap((value) => urlSecrets(value)))];
}

/**
 * Runs `pgqrs` with `argv` (as `process.argv`: node, script, then arguments) and returns the exit code:
 * 0 success, 1 run failed or not found, 2 usage or connection error.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const secrets = secretsOf(argv, io.env);
  const program = createProgram(io, secrets);
  try {
    await program.parseAsync([...argv]);
    return ExitCode.Success;
  } catch (error) {
    // Commander has printed its own one-line message (or the help / version) already.
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.Success : ExitCode.Usage;
    return reportError(error, { stderr: io.stderr, verbose: argv.includes("--verbose"), secrets });
  }
}
