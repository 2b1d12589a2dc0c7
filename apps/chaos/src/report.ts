/** The reliability report: one entry per scenario, written as JSON and printed as a table. */
import { writeFileSync } from "node:fs";

/** One check a scenario made, and what it saw. */
export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** A scenario's figures (the report's fixed fields first). */
export interface ScenarioReport {
  scenario: string;
  /** Runs the scenario triggered (bad input: the cases run). */
  runs: number;
  /** Runs that ended SUCCESS (bad input: cases that got what SPEC §12 promises). */
  succeeded: number;
  /** Runs that ended ERROR (bad input: cases that did not). */
  failed: number;
  /** Triggered runs not final at the end, plus messages without a run. */
  lost: number;
  /** Step outputs stored more than once for one (run, step). */
  duplicateStepRecords: number;
  /** Step functions that ran again after an earlier execution of the same (run, step) had done its work. */
  stepReexecutions: number;
  /** The longest recovery from one injected fault (see docs/reliability.md for each scenario's definition). */
  maxRecoveryMs: number;
  passed: boolean;
  durationMs: number;
  /** Faults injected (kills, terminated connections, restarts, stops, crashes). */
  faults: number;
  checks: Check[];
}

/** Writes the report as pretty JSON. */
export function writeReport(path: string, reports: readonly ScenarioReport[]): void {
  writeFileSync(path, `${JSON.stringify(reports, null, 2)}\n`);
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

/** A plain-text table of the figures, then every failed check. */
export function formatTable(reports: readonly ScenarioReport[]): string {
  const header = ["scenario", "runs", "ok", "error", "lost", "dup", "re-exec", "faults", "max rec ms", "time s", "result"];
  const rows = reports.map((report) => [
    report.scenario,
    String(report.runs),
    String(report.succeeded),
    String(report.failed),
    String(report.lost),
    String(report.duplicateStepRecords),
    String(report.stepReexecutions),
    String(report.faults),
    String(Math.round(report.maxRecoveryMs)),
    (report.durationMs / 1000).toFixed(1),
    report.passed ? "PASS" : "FAIL",
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: string[]) => cells.map((cell, column) => pad(cell, widths[column] ?? 0, column > 0 && column < cells.length - 1)).join("  ");
  const out = [line(header), widths.map((width) => "-".repeat(width)).join("  "), ...rows.map(line)];
  for (const report of reports) {
    for (const check of report.checks.filter((item) => !item.ok)) out.push(`FAIL ${report.scenario}: ${check.name} — ${check.detail}`);
  }
  return out.join("\n");
}
