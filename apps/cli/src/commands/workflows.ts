import { assertWorkflowName, nameRule } from "@pgqrs/core";
import type { WorkflowRecord } from "@pgqrs/core/storage";
import type { Command } from "commander";
import { withExamples } from "../examples";
import { renderTable } from "../format/table";
import { formatShortTime } from "../format/time";
import { writeJson, writeLines, type CliIo } from "../io";
import { createSession } from "../session";

/** `pgqrs workflows list`, `create NAME`, `pause NAME` and `resume NAME`. */
export function registerWorkflows(program: Command, io: CliIo): void {
  const workflows = program.command("workflows").description("list, create, pause and resume workflows");
  withExamples(workflows, [
    "pgqrs workflows list",
    "pgqrs workflows create zip_files",
    "pgqrs workflows pause zip_files",
    "pgqrs workflows resume zip_files",
  ]);

  const list = workflows
    .command("list")
    .description("list every workflow, by name, and whether an operator paused it")
    .option("--json", "print a JSON array instead of a table")
    .action(async (options: { json?: boolean }, self: Command) => {
      const session = createSession(io, self);
      const records = await session.withStore((store) => store.listWorkflows());
      if (options.json === true) {
        writeJson(
          io.stdout,
          records.map((record) => ({
            name: record.name,
            createdAt: record.createdAt.toISOString(),
            pausedAt: record.pausedAt?.toISOString() ?? null,
          })),
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
          [{ header: "NAME" }, { header: "CREATED" }, { header: "STATE" }],
          records.map((record) => [
            record.name,
            formatShortTime(record.createdAt),
            record.pausedAt === null ? "active" : `paused since ${formatShortTime(record.pausedAt)}`,
          ]),
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

  registerPause(workflows, io);
  registerResume(workflows, io);
}

/** Pauses or resumes the workflow; says whether it was paused before. A bad name is a usage error, checked first. */
async function setPaused(
  io: CliIo,
  self: Command,
  change: { name: string; paused: boolean },
): Promise<{ wasPaused: boolean; record: WorkflowRecord }> {
  const { name, paused } = change;
  const session = createSession(io, self);
  assertWorkflowName(name);
  return await session.withStore(async (store) => {
    const before = await store.getWorkflow({ name });
    const record = paused ? await store.pauseWorkflow({ name }) : await store.resumeWorkflow({ name });
    return { wasPaused: (before?.pausedAt ?? null) !== null, record };
  });
}

function registerPause(workflows: Command, io: CliIo): void {
  const command = workflows
    .command("pause")
    .description("stop workers claiming this workflow's runs; runs in flight finish, triggers still enqueue (idempotent)")
    .argument("<name>", "the workflow's name")
    .action(async (name: string, _options: object, self: Command) => {
      const { wasPaused, record } = await setPaused(io, self, { name, paused: true });
      const since = formatShortTime(record.pausedAt);
      writeLines(io.stdout, [
        wasPaused
          ? `workflow ${record.name} was already paused (since ${since}); nothing changed`
          : `paused workflow ${record.name}: workers claim none of its runs; runs in flight finish and triggers still enqueue`,
        `resume it with: pgqrs workflows resume ${record.name}`,
      ]);
    });
  withExamples(command, ["pgqrs workflows pause zip_files", "pgqrs workflows pause zip_files && pgqrs status"]);
}

function registerResume(workflows: Command, io: CliIo): void {
  const command = workflows
    .command("resume")
    .description("let workers claim this workflow's runs again, at once (idempotent)")
    .argument("<name>", "the workflow's name")
    .action(async (name: string, _options: object, self: Command) => {
      const { wasPaused, record } = await setPaused(io, self, { name, paused: false });
      writeLines(io.stdout, [
        wasPaused
          ? `resumed workflow ${record.name}: workers claim its runs again`
          : `workflow ${record.name} was not paused; nothing changed`,
      ]);
    });
  withExamples(command, ["pgqrs workflows resume zip_files"]);
}
