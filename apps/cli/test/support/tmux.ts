/**
 * Drives the CLI in a real pseudo-terminal through tmux: a private tmux server (its own socket) per test file,
 * one session per scenario, the screen read with `capture-pane`.
 */
import { execFile, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { cliRoot, mainPath, waitUntil } from "./cli";

const run = promisify(execFile);

/** Whether tmux is installed. Under CI it must be: a missing tmux fails instead of skipping the terminal tests. */
export function tmuxAvailable(): boolean {
  try {
    execFileSync("tmux", ["-V"], { stdio: "ignore" });
    return true;
  } catch (error) {
    if (process.env.CI === "true" || process.env.CI === "1") {
      throw new Error("CI=true and tmux is not installed: install it (apt-get install -y tmux) to run the terminal tests", {
        cause: error,
      });
    }
    return false;
  }
}

function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A tmux server of this test file's own. */
export function createTmux() {
  const socket = `pgqrs-cli-test-${randomBytes(4).toString("hex")}`;
  const tmux = (...args: string[]) => run("tmux", ["-L", socket, ...args]);
  let count = 0;
  return {
    /**
     * Opens a 120x40 terminal running `pgqrs <args>` and keeps the pane open after it exits. Before it the pane
     * shows `before-pgqrs`; after it, `exited <code>`, the terminal's icanon / echo modes (to prove they were
     * restored) and `end-of-session`.
     */
    async start(args: readonly string[], env: Record<string, string>) {
      count += 1;
      const session = `s${count}`;
      const assignments = Object.entries(env).map(([key, value]) => `${key}=${quote(value)}`);
      const command = [
        "echo before-pgqrs",
        `env ${assignments.join(" ")} ${quote(process.execPath)} --import tsx ${quote(mainPath)} ${args.map(quote).join(" ")}`,
        'echo "exited $?"',
        `stty -a | tr ' ;' '\\n\\n' | grep -E '^-?(icanon|echo)$'`,
        "echo end-of-session",
        "tail -f /dev/null",
      ].join("; ");
      await tmux("new-session", "-d", "-x", "120", "-y", "40", "-s", session, "-c", cliRoot, `sh -c ${quote(command)}`);
      const screen = async () => (await tmux("capture-pane", "-p", "-t", session)).stdout;
      return {
        screen,
        /** Polls the screen until `pattern` shows up; returns that screen. */
        async waitFor(pattern: RegExp, timeoutMs = 45_000): Promise<string> {
          let last = "";
          try {
            await waitUntil(
              `the screen matches ${pattern}`,
              async () => pattern.test((last = await screen())),
              timeoutMs,
            );
          } catch (error) {
            throw new Error(`${(error as Error).message}; the screen was:\n${last}`);
          }
          return last;
        },
        sendKeys: (...keys: string[]) => tmux("send-keys", "-t", session, ...keys),
      };
    },
    /** Stops the private tmux server and everything in it. */
    close: () => tmux("kill-server").catch(() => undefined),
  };
}
