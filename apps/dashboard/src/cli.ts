/**
 * `pgqrs-dashboard` (`npx @pgqrs/dashboard --database-url …`): opens the store without migrating (the dashboard
 * never changes the schema), checks the pgqrs tables are there, and serves the dashboard until SIGINT/SIGTERM.
 */
import type { WorkflowStore } from "@pgqrs/core/storage";
import { connect } from "@pgqrs/postgres-store";
import { parseCliArgs } from "./parse-args";
import { redactSecrets, redactUrl, urlSecrets } from "./redact-url";
import { isLoopback } from "./guards";
import { startDashboard } from "./start-dashboard";

function hasMissingSchema(error: unknown): boolean {
  // Walk the cause chain: the driver's error (SQLSTATE 42P01 undefined table, 3F000 undefined schema) is wrapped.
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    if (code === "42P01" || code === "3F000") return true;
  }
  return false;
}

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
  const secrets = urlSecrets(options.databaseUrl);
  const say = (text: string) => process.stderr.write(`pgqrs-dashboard: ${redactSecrets(text, secrets)}\n`);
  let store: WorkflowStore;
  try {
    store = await connect(options.databaseUrl, { migrate: false });
  } catch (error) {
    say(error instanceof Error ? error.message : String(error));
    return 1;
  }
  try {
    await store.listWorkflows();
  } catch (error) {
    await store.close();
    say(
      hasMissingSchema(error)
        ? "the database has no pgqrs tables; run the migrations first (`pgqrs migrate`, or connect() from a worker)"
        : `the database could not be read: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 1;
  }
  let dashboard;
  try {
    dashboard = await startDashboard({ store, ...options });
  } catch (error) {
    await store.close();
    say(`cannot listen on ${options.host}:${options.port}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  process.stdout.write(
    `pgqrs dashboard on ${dashboard.url} (database ${redactUrl(options.databaseUrl)}; ` +
      `actions ${options.allowActions ? "enabled" : "disabled"})\n`,
  );
  if (!isLoopback(options.host)) {
    say(`listening on ${options.host}: anyone who can reach this address can read run inputs and outputs`);
  }
  const running = dashboard;
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await running.close();
  await store.close();
  return 0;
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
