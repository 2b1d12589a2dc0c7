import { dropDatabase, freshDatabaseFrom } from "./db";
import type { BenchSystem, SetupSettings } from "./systems/types";

/** A system's fresh database for one scenario. */
export interface SystemDatabase {
  url: string;
  drop(): Promise<void>;
}

function identifier(text: string): string {
  return text.replace(/[^a-z0-9]+/g, "_");
}

/**
 * A fresh database for `system` in `scenario`, with the system's schema and queues installed (a copy of the
 * system's template, set up once per bench run).
 */
export async function systemDatabase(system: BenchSystem, scenario: string, settings: SetupSettings): Promise<SystemDatabase> {
  const name = `bench_${identifier(scenario)}_${identifier(system.name)}`;
  const url = await freshDatabaseFrom({
    name,
    templateName: `bench_template_${identifier(system.name)}`,
    install: (templateUrl) => system.setup(templateUrl, settings),
  });
  return { url, drop: () => dropDatabase(name) };
}
