/**
 * Proves the client's independence (STYLE.md, Layers): a file importing "@pgqrs/client", bundled with
 * everything it pulls in for a neutral runtime, contains no worker code, no driver or ORM, and no Node I/O.
 */
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build, type Metafile } from "esbuild";
import { describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
/** Bundle inputs are reported relative to the repository root, e.g. `packages/core/src/index.ts`. */
const repositoryRoot = fileURLToPath(new URL("../../..", import.meta.url));

const entry = `
import { run, workflow } from "@pgqrs/client";
export async function trigger(store) {
  const message = await workflow("zip_files").trigger({ bucket: "b" }).execute(store);
  return run().status(message).store(store).result({ timeoutMs: 1000 });
}
`;

/** Strings only worker, driver, ORM or Node code contains. */
const forbiddenText: readonly RegExp[] = [
  /consumer\(/,
  /extendLeases\(/,
  /pollForever/,
  /heartbeat/i,
  /pg-protocol/,
  /pg-pool/,
  /drizzle/i,
  /pglite/i,
  /["']node:/,
  /require\(["'](?:pg|fs|net|http|https|child_process|os|path)["']\)/,
];

/** Source files that must never be bundled. */
const forbiddenInputs: readonly RegExp[] = [
  /packages\/worker\//,
  /packages\/postgres-store\//,
  /node_modules\/(?:\.pnpm\/)?(?:pg|pg-[a-z]+|drizzle-orm|@electric-sql)[@/]/,
];

async function bundle(minify: boolean): Promise<{ text: string; metafile: Metafile }> {
  const result = await build({
    stdin: { contents: entry, resolveDir: packageDir, loader: "js", sourcefile: "trigger.js" },
    absWorkingDir: repositoryRoot,
    bundle: true,
    platform: "neutral",
    format: "esm",
    target: "es2022",
    minify,
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error("esbuild produced no output");
  return { text: output.text, metafile: result.metafile };
}

function findForbidden(text: string, inputs: readonly string[]): string[] {
  return [
    ...forbiddenText.filter((pattern) => pattern.test(text)).map((pattern) => `text ${pattern}`),
    ...inputs.filter((input) => forbiddenInputs.some((pattern) => pattern.test(input))).map((input) => `input ${input}`),
  ];
}

describe("@pgqrs/client bundle", () => {
  it("holds no worker, driver, ORM or Node code", async () => {
    const { text, metafile } = await bundle(false);
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.some((input) => input.includes("packages/client/src/"))).toBe(true);
    expect(inputs.some((input) => input.includes("packages/core/src/"))).toBe(true);
    expect(findForbidden(text, inputs)).toEqual([]);
  });

  it("reports its size", async () => {
    const { text } = await bundle(true);
    const bytes = Buffer.byteLength(text);
    const gzipBytes = gzipSync(text).length;
    console.log(`@pgqrs/client bundle (esbuild, minified, platform neutral): ${bytes} bytes, ${gzipBytes} bytes gzip`);
    expect(bytes).toBeGreaterThan(0);
    // A budget, not a target: the client is a thin layer over the store; a jump means something leaked in.
    expect(gzipBytes).toBeLessThan(20_000);
  });

  it("would notice worker or driver code", () => {
    const leaked = findForbidden("worker.pollForever(); import 'node:net';", [
      "packages/worker/src/consumer.ts",
      "node_modules/.pnpm/pg@8.16.0/node_modules/pg/lib/index.js",
    ]);
    expect(leaked).toHaveLength(4);
  });
});
