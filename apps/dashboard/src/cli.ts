/**
 * `pgqrs-dashboard` (`npx @pgqrs/dashboard --database-url …`): opens the store without migrating (the dashboard
 * never changes the schema), checks the pgqrs tables are there, and serves the dashboard until SIGINT/SIGTERM.
 * `pgqrs dashboard` of `@pgqrs/cli` runs the same {@link runDashboard}.
 */
import { parseCliArgs } from "./parse-args";
import { redactSecrets, urlSecrets } from "./redact-url";
import { runDashboard } from "./run-dashboard";

async function main(): Promise<number> {
  const parsed = parseCliArgs(process.argv.slice(2), process.env);
  if (parsed.kind === "help") {
    process.stdout.write(parsed.text);
    return 0;
  }
  if (parsed.kind === "error") {
    process.stderr.write(`pgqrs-dashboard: ${parsed.message}\n`);
    return 2;
  }
  const { options } = parsed;
  try {
    await runDashboard(options);
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`pgqrs-dashboard: ${redactSecrets(message, urlSecrets(options.databaseUrl))}\n`);
    return 1;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`pgqrs-dashboard: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
