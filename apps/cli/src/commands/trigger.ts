import { workflow } from "@pgqrs/client";
import type { Command } from "commander";
import { withExamples } from "../examples";
import { writeJson, writeLines, type CliIo } from "../io";
import { parseJsonParams, parseNonNegativeInteger } from "../parse-options";
import { createSession } from "../session";

interface TriggerCommandOptions {
  params: string;
  idempotencyKey?: string;
  delayMs?: number;
  json?: boolean;
}

/** `pgqrs trigger WORKFLOW --params JSON`: enqueues a run and prints its message id and run id. */
export function registerTrigger(program: Command, io: CliIo): void {
  const command = program
    .command("trigger")
    .description("start a run of a workflow; prints the message id and the run id")
    .argument("<workflow>", "the workflow's name")
    .option("--params <json>", "the run's params as JSON", "{}")
    .option("--idempotency-key <key>", "a second trigger with the same key returns the first run and creates nothing")
    .option("--delay-ms <n>", "make the run claimable only after this many milliseconds", parseNonNegativeInteger)
    .option("--json", "print the queue message as JSON")
    .action(async (name: string, options: TriggerCommandOptions, self: Command) => {
      const session = createSession(io, self);
      // Parsed before connecting: bad JSON is a usage error, and nothing is written.
      const params = parseJsonParams(options.params);
      const message = await session.withStore((store) =>
        workflow(name)
          .trigger(params, {
            ...(options.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey }),
            ...(options.delayMs === undefined ? {} : { delayMs: options.delayMs }),
          })
          .execute(store),
      );
      if (options.json === true) {
        writeJson(io.stdout, message);
        return;
      }
      writeLines(io.stdout, [
        `message  ${message.id}`,
        `run      ${message.runId}`,
        ...(message.created ? [] : ["(the idempotency key matched an earlier trigger: this is its run; nothing new was created)"]),
        `follow it with: pgqrs wait ${message.runId}`,
      ]);
    });
  withExamples(command, [
    `pgqrs trigger zip_files --params '{"bucket":"photos","prefix":"2024/"}'`,
    `pgqrs trigger zip_files --params '{"bucket":"photos","prefix":"2024/"}' --idempotency-key order-1234`,
    "pgqrs trigger nightly_report --delay-ms 60000",
    `pgqrs wait $(pgqrs trigger zip_files --params '{"bucket":"b","prefix":""}' --json | jq -r .runId)`,
  ]);
}
