/**
 * Packaging as users get it: `pnpm pack` the published packages, then in folders outside the workspace
 * `npm install` only the tarballs a trigger service needs (client + store) and, in another, what a job process
 * needs (worker + store), and run one workflow across the two. This proves `exports`, `files` and the
 * dependency lists, not the workspace's links. (`@pgqrs/core` is installed from its tarball too, as a
 * dependency of both: it is not on the registry yet.)
 */
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { createTestDatabase, postgresAvailable, type TestDatabase } from "@pgqrs/vitest-config/postgres";
import { migrate } from "@pgqrs/postgres-store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../../..");
const published = ["core", "client", "worker", "postgres-store"];
const available = await postgresAvailable();

async function sh(command: string, args: string[], cwd: string): Promise<string> {
  const { stdout } = await run(command, args, { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false" } });
  return stdout;
}

async function installFolder(folder: string, tarballs: Record<string, string>, names: string[]): Promise<void> {
  const dependencies = Object.fromEntries(names.map((name) => [`@pgqrs/${name}`, `file:${tarballs[name]}`]));
  await writeFile(
    join(folder, "package.json"),
    JSON.stringify({ name: "app", private: true, type: "module", dependencies, overrides: { "@pgqrs/core": `file:${tarballs.core}` } }, null, 2),
  );
  await sh("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], folder);
}

describe.skipIf(!available)("published packages installed from tarballs", () => {
  let work: string;
  let database: TestDatabase;
  const tarballs: Record<string, string> = {};

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "pgqrs-pack-"));
    database = await createTestDatabase({ templateKey: "pack_check", prepare: async (url) => void (await migrate(url)) });
    for (const name of published) {
      const destination = join(work, "tarballs", name);
      await sh("npx", ["-y", "pnpm@10.33.0", "pack", "--pack-destination", destination], join(root, "packages", name));
      const [file] = await readdir(destination);
      if (file === undefined) throw new Error(`pnpm pack wrote no tarball for ${name}`);
      tarballs[name] = join(destination, file);
    }
  });

  afterAll(async () => {
    await database?.drop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("a trigger app (client + store) and a worker app (worker + store) complete a run together", async () => {
    const triggerApp = join(work, "trigger-app");
    const workerApp = join(work, "worker-app");
    await sh("mkdir", ["-p", triggerApp, workerApp], work);
    await installFolder(triggerApp, tarballs, ["core", "client", "postgres-store"]);
    await installFolder(workerApp, tarballs, ["core", "worker", "postgres-store"]);

    await writeFile(
      join(triggerApp, "trigger.js"),
      `import { workflow, run } from "@pgqrs/client";
import { connect } from "@pgqrs/postgres-store";
const store = await connect(process.env.DATABASE_URL);
await store.createWorkflow("packed_greeting");
const message = await workflow("packed_greeting").trigger({ name: "tarball" }).execute(store);
const output = await run().status(message).store(store).result({ timeoutMs: 120000 });
const info = await run().status(message).store(store).get();
console.log(JSON.stringify({ output, steps: info.steps.map((step) => step.id) }));
await store.close();
`,
    );
    await writeFile(
      join(workerApp, "worker.js"),
      `import { consumer } from "@pgqrs/worker";
import { connect } from "@pgqrs/postgres-store";
const store = await connect(process.env.DATABASE_URL);
await store.createWorkflow("packed_greeting");
const worker = await consumer("packed-worker", 0, "packed_greeting")
  .handler(async (ctx, params) => {
    const greeting = await ctx.step("greet", () => "hello " + params.name);
    return { greeting };
  })
  .handleSignals(false)
  .create(store);
const done = worker.pollForever();
// Stop on a line from the test; destroying stdin lets the process exit once the worker is done.
process.stdin.once("data", () => { process.stdin.destroy(); void worker.stop(); });
await done;
await store.close();
`,
    );
    // The worker app must not have pulled in the client, and the trigger app not the worker.
    await expect(readdir(join(workerApp, "node_modules/@pgqrs"))).resolves.not.toContain("client");
    await expect(readdir(join(triggerApp, "node_modules/@pgqrs"))).resolves.not.toContain("worker");

    const env = { ...process.env, DATABASE_URL: database.url };
    const worker = execFile("node", ["worker.js"], { cwd: workerApp, env });
    const workerExit = new Promise<number | null>((resolveExit) => worker.on("exit", (code) => resolveExit(code)));
    try {
      const { stdout } = await run("node", ["trigger.js"], { cwd: triggerApp, env });
      expect(JSON.parse(stdout.trim())).toEqual({ output: { greeting: "hello tarball" }, steps: ["greet"] });
    } finally {
      worker.stdin?.write("stop\n");
    }
    expect(await workerExit).toBe(0);
  });

  it("without @pgqrs/postgres-store's optional PGlite peer, connect() says what to install", async () => {
    const triggerApp = join(work, "trigger-app");
    await writeFile(
      join(triggerApp, "embedded.js"),
      `import { connect } from "@pgqrs/postgres-store";
try { await connect(); console.log("connected"); } catch (error) { console.log(error.name + ": " + error.message); }
`,
    );
    const output = await sh("node", ["embedded.js"], triggerApp);
    expect(output).toMatch(/ConnectionError: .*npm install @electric-sql\/pglite/);
  });
});
