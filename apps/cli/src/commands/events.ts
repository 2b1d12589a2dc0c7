import { run } from "@pgqrs/client";
import { assertEventName, nameRule } from "@pgqrs/core";
import type { Command } from "commander";
import { withExamples } from "../examples";
import { formatTime } from "../format/time";
import { writeJson, writeLines, type CliIo } from "../io";
import { parseJsonOption } from "../parse-options";
import { createSession } from "../session";

interface SendOptions {
  payload: string;
  json?: boolean;
}

/** `pgqrs events send RUN_ID NAME --payload JSON`: sends an event to a run (what `ctx.waitForEvent` waits for). */
export function registerEvents(program: Command, io: CliIo): void {
  const events = program.command("events").description("send events to runs that wait for them (ctx.waitForEvent)");
  withExamples(events, [`pgqrs events send 42 approved --payload '{"by":"ops@example.com"}'`]);

  const send: Command = events
    .command("send")
    .description("send an event to a run; the first payload for a name wins, a second send keeps the first")
    .argument("<runId>", "the run's id")
    .argument("<name>", `the event's name, as in ctx.waitForEvent(id, name); ${nameRule}`)
    .option("--payload <json>", "the event's payload as JSON (the waiting step returns it)", "null")
    .option("--json", "print { created, payload, sentAt } as JSON")
    .action(async (runId: string, name: string, options: SendOptions) => {
      // `send` is this command: taken from the closure, since commander would pass it as a fourth parameter.
      const session = createSession(io, send);
      // Checked before connecting: a bad name or bad JSON is a usage error, and nothing is sent.
      assertEventName(name);
      const payload = parseJsonOption(options.payload, { option: "--payload", example: '{"by":"ops@example.com"}' });
      const sent = await session.withStore((store) => run().status(runId).store(store).sendEvent(name, payload));
      const sentAt = formatTime(new Date(sent.sentAt));
      if (options.json === true) {
        writeJson(io.stdout, { created: sent.created, payload: sent.payload, sentAt: new Date(sent.sentAt).toISOString() });
        return;
      }
      writeLines(
        io.stdout,
        sent.created
          ? [
              `sent event "${name}" to run ${runId} at ${sentAt}; a run waiting for it is claimable now, ` +
                "a run not waiting yet gets it when it waits",
            ]
          : [
              `run ${runId} already had event "${name}" (sent at ${sentAt}); the first payload wins, so this one was not stored`,
              `kept payload: ${JSON.stringify(sent.payload)}`,
            ],
      );
    });
  withExamples(send, [
    `pgqrs events send 42 approved --payload '{"by":"ops@example.com"}'`,
    "pgqrs events send 42 approved",
    `pgqrs events send 42 approved --payload '{"by":"ops@example.com"}' --json | jq .created`,
  ]);
}
