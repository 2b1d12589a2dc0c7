import type { Command } from "commander";

/** Appends an "Examples:" section to the command's `--help`. */
export function withExamples(command: Command, examples: readonly string[]): Command {
  return command.addHelpText("after", `\nExamples:\n${examples.map((example) => `  $ ${example}`).join("\n")}\n`);
}
