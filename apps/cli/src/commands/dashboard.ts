import type { Command } from "commander";
import { CliError, ExitCode, usageError } from "../cli-error";
import { withExamples } from "../examples";
import type { CliIo } from "../io";
import { parseHost, parsePort } from "../parse-options";
import { redact, urlSecrets } from "../redact";
import { createSession, explainMissingSchema } from "../session";

interface DashboardCommandOptions {
  port: number;
  host: string;
  allowActions?: boolean;
}

const dashboardPackage = "@pgqrs/dashboard";

/** True when `error` says that `@pgqrs/dashboard` itself (not one of its own dependencies) cannot be found. */
function isDashboardMissing(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  return (
    (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") &&
    // Node quotes the package it cannot find; a missing dependency of the dashboard names the dashboard in a path only.
    error.message.includes(`'${dashboardPackage}'`)
  );
}

/**
 * Loads the dashboard on use: it is an optional peer (with Hono, the page and its assets), so an install of the CLI
 * alone works for every other command.
 * @throws CliError (exit 2) saying what to install when it is not installed.
 */
async function loadDashboard() {
  try {
    return await import("@pgqrs/dashboard");
  } catch (error) {
    if (!isDashboardMissing(error)) throw error;
    throw usageError(
      `pgqrs dashboard needs ${dashboardPackage}, which is not installed: install it where @pgqrs/cli is ` +
        `(npm install ${dashboardPackage}, with -g for a global pgqrs) or run npx ${dashboardPackage}`,
      error,
    );
  }
}

/** `pgqrs dashboard`: the web dashboard of `@pgqrs/dashboard`, served until SIGINT or SIGTERM. */
export function registerDashboard(program: Command, io: CliIo): void {
  const command = program
    .command("dashboard")
    .description(
      "serve the web dashboard (@pgqrs/dashboard) until Ctrl-C: counts and throughput, runs, steps and errors; " +
        "read-only unless --allow-actions",
    )
    .option("--port <n>", "port to listen on; 0 picks a free one", parsePort, 4000)
    .option(
      "--host <address>",
      "address to listen on; anything but loopback lets whoever reaches it read run inputs and outputs",
      parseHost,
      "127.0.0.1",
    )
    .option("--allow-actions", "enable the resume, retry and cancel buttons and their API (off: read-only)")
    .action(async (options: DashboardCommandOptions, self: Command) => {
      const session = createSession(io, self);
      const databaseUrl = session.databaseUrl();
      const { runDashboard } = await loadDashboard();
      const secrets = urlSecrets(databaseUrl);
      try {
        // Never migrates: like every command but `pgqrs migrate`, it only reads and steers.
        await runDashboard({
          databaseUrl,
          port: options.port,
          host: options.host,
          allowActions: options.allowActions === true,
          info: (line) => io.stdout.write(`${line}\n`),
          warn: (message) => io.stderr.write(`${redact(`warning: ${message}`, secrets)}\n`),
        });
      } catch (error) {
        // runDashboard documents this prefix for an address it cannot bind: the user fixes it on the command line.
        if (error instanceof Error && error.message.startsWith("cannot listen on ")) {
          throw new CliError(`${error.message}; choose another --port (0 picks a free one) or --host`, {
            exitCode: ExitCode.Usage,
            cause: error,
          });
        }
        throw explainMissingSchema(error);
      }
    });
  withExamples(command, [
    "pgqrs dashboard                                # http://127.0.0.1:4000, read-only",
    "pgqrs dashboard --port 8080 --allow-actions    # with the resume, retry and cancel buttons",
    "pgqrs dashboard --port 0                       # a free port; the URL is printed",
    "pgqrs dashboard --host 0.0.0.0                 # reachable from other machines: mind who can read your runs",
  ]);
}
