/**
 * Bad input: a table of wrong names, params, outputs, schemas, URLs, servers, ids, options and payloads fed to
 * the public API. Each must get its documented PgqrsError subclass (checked with `isInstance`) with a message
 * that says what to do, write nothing it should not, and never show the password.
 */
import { inspect } from "node:util";
import { run, workflow } from "@pgqrs/client";
import { PgqrsError, RunFailedError } from "@pgqrs/core";
import { consumer } from "@pgqrs/worker";
import { apiCases } from "../bad-input/api-cases";
import type { BadInputCase, BadInputEnv, Table } from "../bad-input/case";
import { connectionCases } from "../bad-input/connection-cases";
import { startGarbageServer, startPasswordServer } from "../bad-input/fake-servers";
import { workerCases } from "../bad-input/worker-cases";
import type { Monitor } from "../database";
import { createLineLogger } from "../line-logger";
import type { Checks, Scenario } from "../scenario";
import { secretLeaks } from "../secret-check";
import { secret } from "../settings";
import { setupScenario } from "./setup";

const cases: BadInputCase[] = [...apiCases, ...workerCases, ...connectionCases];
const tables: Table[] = ["workflows", "messages", "runs", "steps"];

async function countRows(monitor: Monitor): Promise<Record<Table, number>> {
  const [row] = await monitor.query<Record<Table, number>>(
    `select (select count(*) from pgqrs.workflows)::int as workflows, (select count(*) from pgqrs.messages)::int as messages,
            (select count(*) from pgqrs.runs)::int as runs, (select count(*) from pgqrs.steps)::int as steps`,
  );
  return row ?? { workflows: -1, messages: -1, runs: -1, steps: -1 };
}

/** Everything an error could show a user or a log: message, stack, causes, and how Node prints it. */
function errorText(error: unknown): string {
  return [String(error), error instanceof Error ? (error.stack ?? "") : "", inspect(error, { depth: 8 })].join("\n");
}

/** Checks one case; returns whether it held. */
async function checkCase(testCase: BadInputCase, env: BadInputEnv & { monitor: Monitor }, checks: Checks): Promise<boolean> {
  const failures: string[] = [];
  const before = await countRows(env.monitor);
  let thrown: unknown;
  let outcome: Awaited<ReturnType<BadInputCase["act"]>>;
  try {
    outcome = await testCase.act(env);
  } catch (error) {
    thrown = error;
  }
  const expected = testCase.expected;
  let message = "";
  if (outcome === undefined) {
    if (thrown === undefined) failures.push("nothing was thrown");
    else if (!PgqrsError.isInstance(thrown) || !expected.isInstance(thrown)) {
      failures.push(`expected ${expected.name}, got ${thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown)}`);
    }
    message = thrown instanceof Error ? thrown.message : String(thrown);
    if (secretLeaks([errorText(thrown)]).length > 0) failures.push("the password appears in the error");
  } else if (outcome.kind === "run") {
    const info = await run().status(outcome.runId).store(env.store).get();
    if (info.status !== "ERROR") failures.push(`run ${info.status}, expected ERROR`);
    if (info.error?.code !== expected.code) failures.push(`stored error ${info.error?.name} (${info.error?.code}), expected ${expected.name}`);
    message = info.error?.message ?? "";
    const waited = await run().status(outcome.runId).store(env.store).result({ timeoutMs: 2_000 }).catch((error: unknown) => error);
    if (!RunFailedError.isInstance(waited)) failures.push("result() did not reject with RunFailedError");
  } else {
    if (outcome.error.code !== expected.code) failures.push(`logged ${outcome.error.name} (${outcome.error.code}), expected ${expected.name}`);
    if (outcome.exitCode === 0 || outcome.exitCode === null) failures.push(`the process exited with ${outcome.exitCode}`);
    message = outcome.error.message ?? "";
  }
  if (!testCase.advice.test(message)) failures.push(`message does not say what to do (${testCase.advice}): ${message.slice(0, 200)}`);
  if (message.includes(secret)) failures.push("the password appears in the message");
  const after = await countRows(env.monitor);
  for (const table of tables) {
    const added = after[table] - before[table];
    const allowed = testCase.writes?.[table] ?? 0;
    if (added !== allowed) failures.push(`${table}: ${added} rows written, expected ${allowed}`);
  }
  checks.expect(`[${testCase.area}] ${testCase.name} → ${expected.name}`, failures.length === 0, failures.join("; ") || message.slice(0, 160));
  return failures.length === 0;
}

/** Scenario 7: the bad-input table. */
export const badInput: Scenario = {
  name: "bad-input",
  title: `${cases.length} bad inputs across the public API (SPEC §12)`,
  timeoutMs: 120_000,
  async run(context) {
    const { store, monitor, database } = await setupScenario(context, "badinput");
    const garbage = await startGarbageServer();
    context.defer(() => garbage.close());
    const password = await startPasswordServer();
    context.defer(() => password.close());
    // Everything pgqrs prints while the cases run is captured and checked for the password.
    const original = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
    const capture = (...args: unknown[]): void => void context.captured.push(args.map((arg) => (typeof arg === "string" ? arg : inspect(arg, { depth: 8 }))).join(" "));
    Object.assign(console, { log: capture, info: capture, warn: capture, error: capture, debug: capture });
    context.defer(() => void Object.assign(console, original));
    const logger = createLineLogger({ verbose: true, write: (line) => context.captured.push(line) });
    const env: BadInputEnv & { monitor: Monitor } = {
      store,
      monitor,
      secretUrl: database.secretUrl,
      secret,
      garbage,
      password,
      logger,
      async runOnce({ definition, params, handler }) {
        await store.createWorkflow(definition.name);
        const message = await workflow(definition).trigger(params).execute(store);
        const worker = await consumer("bad-input-runner", 0, definition).handler(handler).logger(logger).handleSignals(false).create(store);
        await worker.drain();
        await worker.stop();
        return message.runId;
      },
    };
    let passedCases = 0;
    for (const testCase of cases) if (await checkCase(testCase, env, context.checks)) passedCases += 1;
    Object.assign(console, original);
    context.checks.expect("at least 25 cases", cases.length >= 25, `${cases.length} cases`);
    context.checks.expect(
      "the wrong password really was sent (and refused)",
      password.received.includes(secret),
      `the fake server received ${password.received.length} passwords`,
    );
    context.log(`${passedCases}/${cases.length} cases got what SPEC §12 promises`);
    return {
      runs: cases.length,
      succeeded: passedCases,
      failed: cases.length - passedCases,
      lost: 0,
      duplicateStepRecords: 0,
      stepReexecutions: 0,
      maxRecoveryMs: 0,
      faults: cases.length,
    };
  },
};
