/**
 * Runs a script of this folder in a separate Node process (TypeScript through tsx) and reads the JSON line it
 * prints, so a test can act from another process the way a separate service would.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const packageRoot = fileURLToPath(new URL("../..", import.meta.url));
// The child runs the TypeScript script through tsx, a dev dependency of this package.
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

/**
 * Starts `script` (a file of this folder) with `env` added, and resolves with the JSON of its last stdout line
 * once it exits 0.
 * @throws Error with the process's stderr when it exits otherwise
 */
export function runScriptProcess<T>(script: string, env: Record<string, string>): Promise<T & { pid: number }> {
  const child = spawn(process.execPath, ["--import", tsxLoader, fileURLToPath(new URL(script, import.meta.url))], {
    cwd: packageRoot,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      const last = stdout.trim().split("\n").pop() ?? "";
      if (code !== 0) {
        reject(new Error(`${script} exited with code ${String(code)} (signal ${String(signal)}):\n${stderr}`));
        return;
      }
      try {
        resolve({ ...(JSON.parse(last) as T), pid: child.pid ?? -1 });
      } catch {
        reject(new Error(`${script} printed no JSON line; stdout:\n${stdout}\nstderr:\n${stderr}`));
      }
    });
  });
}
