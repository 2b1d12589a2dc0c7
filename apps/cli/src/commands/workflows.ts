import { assertWorkflowName, nameRule } from "@pgqrs/core";
import type { Command } from "commander";
import { withExamples } from "../examples";
import { renderTable } from "../format/table";
import { formatShortTime } from "../format/time";
import { writeJson, writeLines, type CliIo } from "../io";
import { createSession } from "../session";

/** `pgqrs workflows list` and `pgqrs workflows create NAME`. */
export function registerWorkflows(program: Command, io: CliIo): void {
  const workflows = program.command("workflows").description("list and create workflows");
  withExamples(workflows, ["pgqrs workflows list", "pgqrs workflows create zip_files"]);

  const list = workflows
    .command("list")
    .description("list every workflow, by name")
    .option("--json", "print a JSON array instead of a table")
    .action(async (options: { json?: boolean }, self: Command) => {
      const session = createSession(io, self);
      const records = await session.withStore((store) => store.listWorkflows());
      if (options.json === true) {
        writeJson(
          io.stdout,
          records.map((record) => ({ name: record.name, createdAt: record.createdAt.toISOString() })),
        );
        return;
      }
      if (records.length === 0) {
        writeLines(io.stdout, ["no workflows yet; create one with: pgqrs workflows create NAME"]);
        return;
      }
      writeLines(
        io.stdout,
        renderTable(
          [{ header: "NAME" }, { header: "CREATED" }],
          records.map((record) => [record.name, formatShortTime(record.createdAt)]),
        ),
      );
    });
  withExamples(list, ["pgqrs workflows list", "pgqrs workflows list --json"]);

  const create = workflows
    .command("create")
    .description("create a workflow if it does not exist yet (idempotent)")
    .argument("<name>", `the workflow's name, as in defineWorkflow({ name }); ${nameRule}`)
    .action(async (name: string, _options: object, self: Command) => {
      const session = createSession(io, self);
      // Checked before connecting: a bad name is a usage error whatever the database says.
      assertWorkflowName(name);
      const { existed, record } = await session.withStore(async (store) => {
        const existing = await store.getWorkflow({ name });
        return { existed: existing !== null, record: existing ?? (await store.createWorkflow({ name })) };
      });
      writeLines(io.stdout, [
        existed
          ? `workflow ${record.name} already exists (created ${formatShortTime(record.createdAt)}); nothing changed`
          : `created workflow ${record.name}`,
      ]);
    });
  withExamples(create, ["pgqrs workflows create zip_files", "pgqrs workflows create billing.send-invoice"]);
}
