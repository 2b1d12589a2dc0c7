/**
 * `pnpm bench [--quick] [--only drain-1step,latency] [--systems pgqrs,dbos]`: runs the scenarios against every
 * system on the same PostgreSQL, one after another, prints a markdown table with ratios to pgqrs on stdout and
 * writes `results/latest.json`. Progress goes to stderr.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { dropTemplates, serverVersion, waitForServer } from "./db";
import type { Measurement, Scenario, ScenarioContext } from "./measurement";
import { renderReport } from "./report";
import { ceiling } from "./scenarios/ceiling";
import { drain1Step, drain3Step } from "./scenarios/drain";
import { growth } from "./scenarios/growth";
import { latency } from "./scenarios/latency";
import { pglite } from "./scenarios/pglite";
import { recovery } from "./scenarios/recovery";
import { stepOverhead } from "./scenarios/step-overhead";
import { benchSettings } from "./settings";
import { isSystemName, systemNames } from "./systems/index";
import { whatIfEnv } from "./systems/pgqrs";
import type { SystemName } from "./systems/types";

// pg 8 warns (once per process) about DBOS's overlapping queries on one client; it is not ours to fix here.
process.noDeprecation = true;

const scenarios: readonly Scenario[] = [drain1Step, drain3Step, stepOverhead, latency, recovery, pglite, growth, ceiling];

interface Args {
  quick: boolean;
  whatIf: boolean;
  only: string[] | undefined;
  systems: SystemName[];
}

function listOption(argv: readonly string[], name: string): string[] | undefined {
  const index = argv.findIndex((arg) => arg === name || arg.startsWith(`${name}=`));
  if (index < 0) return undefined;
  const arg = argv[index] ?? "";
  const value = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : (argv[index + 1] ?? "");
  return value.split(",").filter((item) => item.length > 0);
}

function parseArgs(argv: readonly string[]): Args {
  const only = listOption(argv, "--only");
  for (const name of only ?? []) {
    if (!scenarios.some((scenario) => scenario.name === name)) throw new Error(`bench: unknown scenario ${name}`);
  }
  const systems = listOption(argv, "--systems") ?? [...systemNames];
  const unknown = systems.filter((name) => !isSystemName(name));
  if (unknown.length > 0) throw new Error(`bench: unknown system ${unknown.join(", ")} (one of ${systemNames.join(", ")})`);
  return {
    quick: argv.includes("--quick"),
    whatIf: argv.includes("--what-if-no-completion-notify"),
    only,
    systems: systems.filter(isSystemName),
  };
}

/**
 * Runs a scenario; if it fails (a server restart or no free connection slot on a shared server), waits for the
 * server and runs it once more. One broken scenario never loses the others.
 */
async function runWithRetry(scenario: Scenario, context: ScenarioContext): Promise<Measurement[] | { error: string }> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await scenario.run(context);
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
      context.log(`scenario ${scenario.name} FAILED (attempt ${attempt}): ${message}`);
      if (attempt >= 2) return { error: message };
      await waitForServer();
      context.log(`scenario ${scenario.name}: running it again`);
    }
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  // Inherited by the worker processes.
  if (args.whatIf) process.env[whatIfEnv] = "1";
  const settings = benchSettings(args.quick);
  const startedAt = new Date();
  const loadAtStart = loadavg()[0] ?? 0;
  const started = performance.now();
  const context: ScenarioContext = {
    settings,
    systems: args.systems,
    log: (message) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1)}s] ${message}\n`),
  };
  const postgres = await serverVersion();
  const results: Measurement[] = [];
  const failures: string[] = [];
  try {
    for (const scenario of scenarios) {
      if (args.only && !args.only.includes(scenario.name)) continue;
      context.log(`scenario ${scenario.name}`);
      const rows = await runWithRetry(scenario, context);
      if (Array.isArray(rows)) results.push(...rows);
      else failures.push(`${scenario.name}: ${rows.error}`);
    }
  } finally {
    await dropTemplates().catch((error: unknown) => context.log(`could not drop the template databases: ${String(error)}`));
  }
  const machine = { startedAt: startedAt.toISOString(), node: process.version, postgres, cpus: cpus().length, quick: args.quick };
  const wallSeconds = (performance.now() - started) / 1000;
  process.stdout.write(renderReport({ machine, settings, results, wallSeconds, load: [loadAtStart, loadavg()[0] ?? 0], failures, whatIf: args.whatIf }));
  const file = fileURLToPath(new URL("../results/latest.json", import.meta.url));
  await mkdir(fileURLToPath(new URL("../results/", import.meta.url)), { recursive: true });
  const json = {
    ...machine,
    results: results.map(({ scenario, system, metric, unit, median, min, max }) => ({ scenario, system, metric, unit, median, min, max })),
  };
  await writeFile(file, `${JSON.stringify(json, null, 2)}\n`);
  context.log(`wrote results/latest.json (${wallSeconds.toFixed(0)} s in all)`);
  if (failures.length > 0) process.exitCode = 1;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
