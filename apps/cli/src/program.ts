import { Command } from "commander";
import packageJson from "../package.json" with { type: "json" };
import { registerDashboard } from "./commands/dashboard";
import { registerEvents } from "./commands/events";
import { registerMigrate } from "./commands/migrate";
import { registerRuns } from "./commands/runs";
import { registerStatus } from "./commands/status";
import { registerTop } from "./commands/top";
import { registerTrigger } from "./commands/trigger";
import { registerWait } from "./commands/wait";
import { registerWorkflows } from "./commands/workflows";
import { withExamples } from "./examples";
import type { CliIo } from "./io";
import { redactSecrets } from "./redact";

/** Builds the `pgqrs` command tree. Errors surface as exceptions (commander's `exitOverride`), never `process.exit`. */
export function createProgram(io: CliIo, secrets: readonly string[]): Command {
  const program = new Command("pgqrs")
    .description("Operate pgqrs, durable workflows and a job queue on PostgreSQL: migrate, inspect, trigger and watch runs.")
    .version(packageJson.version, "-V, --version", "print the pgqrs CLI version")
    .option("--database-url <url>", "PostgreSQL URL (postgres://user:password@host:5432/db); default: $DATABASE_URL")
    .option("--verbose", "print stack traces and driver warnings with errors")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      // Commander echoes bad arguments; one of them may be a URL with a password.
      writeErr: (text) => io.stderr.write(redactSecrets(text, secrets)),
    })
    .showHelpAfterError("(add --help for usage)")
    .addHelpText(
      "after",
      "\nExit codes: 0 success, 1 run failed, cancelled or not found, 2 usage or connection error.\n" +
        "Every command takes --help and shows examples.",
    );
  registerMigrate(program, io);
  registerStatus(program, io);
  registerWorkflows(program, io);
  registerRuns(program, io);
  registerTrigger(program, io);
  registerWait(program, io);
  registerEvents(program, io);
  registerTop(program, io);
  registerDashboard(program, io);
  withExamples(program, [
    "export DATABASE_URL=postgres://app:secret@localhost:5432/app",
    "pgqrs migrate",
    "pgqrs workflows create zip_files",
    `pgqrs trigger zip_files --params '{"bucket":"photos","prefix":"2024/"}'`,
    "pgqrs wait 1",
    "pgqrs runs list --status ERROR",
    `pgqrs events send 1 approved --payload '{"by":"ops@example.com"}'`,
    `pgqrs runs cancel 1 --reason "no longer needed"`,
    "pgqrs workflows pause zip_files",
    "pgqrs top",
    "pgqrs dashboard",
  ]);
  return program;
}
