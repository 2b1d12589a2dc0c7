import { parseArgs } from "node:util";

/** What the command line asked for. */
export interface DashboardCliOptions {
  databaseUrl: string;
  port: number;
  host: string;
  allowActions: boolean;
}

/** The result of {@link parseCliArgs}: options to run with, the help text to print, or a usage error. */
export type ParsedCli =
  | { kind: "run"; options: DashboardCliOptions }
  | { kind: "help"; text: string }
  | { kind: "error"; message: string };

/** The `--help` text. */
export const usage = `Usage: pgqrs-dashboard --database-url <url> [options]

A web dashboard for pgqrs runs, steps and errors.

Options:
  --database-url <url>  PostgreSQL URL (postgres://user:password@host:5432/db); DATABASE_URL also works
  --port <n>            port to listen on; 0 picks a free one (default 4000)
  --host <address>      address to listen on (default 127.0.0.1; anything else exposes the dashboard)
  --allow-actions       enable the resume, retry and cancel buttons (off by default: the dashboard is read-only)
  -h, --help            show this help
`;

/** Parses the command line (`argv` without node and the script) and the environment. Never throws. */
export function parseCliArgs(argv: readonly string[], env: Record<string, string | undefined>): ParsedCli {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        "database-url": { type: "string" },
        port: { type: "string" },
        host: { type: "string" },
        "allow-actions": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return { kind: "error", message: `${error instanceof Error ? error.message : String(error)}\n\n${usage}` };
  }
  if (values.help === true) return { kind: "help", text: usage };
  const databaseUrl = values["database-url"] ?? env.DATABASE_URL;
  if (databaseUrl === undefined || databaseUrl === "") {
    return { kind: "error", message: `pass --database-url (or set DATABASE_URL)\n\n${usage}` };
  }
  if (!/^postgres(?:ql)?:\/\//i.test(databaseUrl)) {
    return { kind: "error", message: "--database-url must start with postgres:// or postgresql://" };
  }
  const portText = values.port ?? "4000";
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65_535) {
    return { kind: "error", message: `--port must be a whole number from 0 to 65535 (got "${portText}")` };
  }
  const host = values.host ?? "127.0.0.1";
  if (host === "") return { kind: "error", message: "--host must not be empty" };
  return { kind: "run", options: { databaseUrl, port, host, allowActions: values["allow-actions"] === true } };
}
