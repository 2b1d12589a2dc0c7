/**
 * `pnpm test:chaos [scenario…]`: runs the reliability scenarios one after another against the PostgreSQL server
 * at PGQRS_TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), writes
 * reliability-report.json at the repository root, prints a summary table, and exits 1 if any scenario failed.
 */
import { join } from "node:path";
import { prepareServer } from "./database";
import { logDirectory } from "./fleet";
import { formatTable, writeReport, type ScenarioReport } from "./report";
import { runScenario, type Scenario } from "./scenario";
import { scenarios } from "./scenarios/index";
import { secretLeaks } from "./secret-check";
import { prepareWorkerRunner } from "./worker-runner";
import { adminUrl, repositoryRoot, secret, withPassword } from "./settings";

async function main(): Promise<number> {
  const wanted = process.argv.slice(2).filter((arg) => arg !== "--");
  const unknown = wanted.filter((name) => !scenarios.some((scenario) => scenario.name === name));
  if (unknown.length > 0) {
    console.error(`unknown scenario ${unknown.join(", ")}; choose from ${scenarios.map((scenario) => scenario.name).join(", ")}`);
    return 2;
  }
  const selected: Scenario[] = wanted.length === 0 ? scenarios : scenarios.filter((scenario) => wanted.includes(scenario.name));
  const started = Date.now();
  const reports: ScenarioReport[] = [];
  const captured: string[] = [];
  const reportPath = join(repositoryRoot, "reliability-report.json");
  const stale = await prepareServer();
  if (stale.length > 0) console.log(`dropped ${stale.length} databases left by an interrupted run: ${stale.join(", ")}`);
  const runner = await prepareWorkerRunner(logDirectory);
  console.log(`pgqrs reliability suite: ${selected.length} scenarios; workers run as ${runner.describe}; logs in ${logDirectory}`);
  // The leak detector must be able to see the secret at all, or its silence proves nothing.
  if (secretLeaks([withPassword(adminUrl, secret)]).length !== 1) throw new Error("the password leak detector cannot find the secret in a URL");
  for (const scenario of selected) {
    console.log(`\n▶ ${scenario.name}: ${scenario.title}`);
    const from = captured.length;
    const report = await runScenario(scenario, captured);
    // No password in any log line the scenario's workers and API calls produced.
    const leaks = secretLeaks(captured.slice(from));
    report.checks.push({ name: "no password in any captured log line", ok: leaks.length === 0, detail: leaks.slice(0, 3).join(" | ") });
    report.passed = report.checks.every((check) => check.ok);
    reports.push(report);
    writeReport(reportPath, reports);
    console.log(`  ${report.passed ? "PASS" : "FAIL"} in ${(report.durationMs / 1000).toFixed(1)} s`);
  }
  const wallSeconds = (Date.now() - started) / 1000;
  console.log(`\n${formatTable(reports)}`);
  console.log(`\nwall time ${wallSeconds.toFixed(1)} s; report: ${reportPath}`);
  return reports.every((report) => report.passed) ? 0 : 1;
}

// Interrupted: exit through process.exit, so the exit hook kills every worker child (databases are swept next time).
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(signal === "SIGINT" ? 130 : 143));

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
