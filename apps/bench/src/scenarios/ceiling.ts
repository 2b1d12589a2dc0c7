import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dropDatabase, freshDatabase, withClient } from "../db";
import type { Scenario } from "../measurement";
import { summarise } from "../stats";

/** The bare claim-and-complete: take the oldest unlocked row and finish it, one statement, one transaction. */
const claimScript = "DELETE FROM jobs WHERE id = (SELECT id FROM jobs ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1) RETURNING id, payload;\n";

function runPgbench(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("pgbench", args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", (error) => reject(new Error(`bench: cannot run pgbench (${error.message}); is it installed?`)));
    child.on("exit", (code) => (code === 0 ? resolve(output) : reject(new Error(`bench: pgbench failed (${code}):\n${output}`))));
  });
}

/** Connection arguments for pgbench from a URL (the password, if any, goes through the environment). */
function connectionArgs(url: string): { args: string[]; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const args = ["-h", parsed.hostname, "-p", parsed.port || "5432", "-U", decodeURIComponent(parsed.username || "postgres")];
  const env = { ...process.env, ...(parsed.password ? { PGPASSWORD: decodeURIComponent(parsed.password) } : {}) };
  return { args: [...args, parsed.pathname.slice(1)], env };
}

/**
 * `ceiling`: pgbench runs the bare `FOR UPDATE SKIP LOCKED` claim-and-complete on a plain table with the workers'
 * client count → transactions per second, the physical ceiling of any queue on this server.
 */
export const ceiling: Scenario = {
  name: "ceiling",
  async run(context) {
    const { settings } = context;
    const database = "bench_ceiling";
    const url = await freshDatabase(database);
    const directory = await mkdtemp(join(tmpdir(), "pgqrs-bench-"));
    const script = join(directory, "claim.sql");
    await writeFile(script, claimScript);
    const { args, env } = connectionArgs(url);
    const rates: number[] = [];
    try {
      for (let rep = 0; rep < settings.repetitions; rep += 1) {
        await withClient(url, async (client) => {
          await client.query("drop table if exists jobs");
          await client.query("create table jobs (id bigint generated always as identity primary key, payload json not null)");
          await client.query("insert into jobs (payload) select json_build_object('i', g) from generate_series(1, $1::int) g", [settings.ceilingRows]);
          await client.query("vacuum analyze jobs");
        });
        const clients = String(settings.concurrency);
        const output = await runPgbench(["-n", "-c", clients, "-j", "2", "-T", String(settings.ceilingSeconds), "-f", script, ...args], env);
        const tps = /tps = ([\d.]+)/.exec(output)?.[1];
        if (tps === undefined) throw new Error(`bench: no tps in pgbench output:\n${output}`);
        rates.push(Number(tps));
        context.log(`ceiling pgbench #${rep + 1}: ${Number(tps).toFixed(0)} tps`);
      }
    } finally {
      await rm(directory, { recursive: true, force: true });
      await dropDatabase(database);
    }
    return [
      {
        scenario: "ceiling",
        system: "pgbench SKIP LOCKED",
        metric: "throughput",
        unit: "tps",
        better: "higher",
        reference: { scenario: "drain-1step", metric: "throughput" },
        note: `${settings.concurrency} clients; ratio = pgqrs drain-1step / ceiling`,
        ...summarise(rates),
      },
    ];
  },
};
