import type { WorkflowStore } from "@pgqrs/core/storage";
import type { Command } from "commander";
import { withExamples } from "../examples";
import { writeLines, type CliIo } from "../io";
import { parseInterval } from "../parse-options";
import { redactUrl } from "../redact";
import { describeFailure } from "../report-error";
import { createSession } from "../session";
import { renderTop, type TopState } from "../top/render-top";
import { openTerminalScreen, type TerminalScreen } from "../top/terminal-screen";
import { takeSnapshot, type TopSnapshot } from "../top/top-snapshot";

interface TopCommandOptions {
  intervalMs: number;
  once?: boolean;
}

/** Keys that quit: q, Q, Ctrl-C (raw mode delivers it as a byte, not a signal). */
const quitKeys = new Set(["q", "Q", "\x03"]);

/** `pgqrs top`: a live view of runs per status and workflow, throughput and progress. */
export function registerTop(program: Command, io: CliIo): void {
  const command = program
    .command("top")
    .description("live view refreshing every second: runs per status and workflow, runs/s, progress since start")
    .option("--interval-ms <n>", "refresh interval in milliseconds (at least 100)", parseInterval, 1000)
    .option("--once", "print one frame and exit (what a script or a pipe wants)")
    .action(async (options: TopCommandOptions, self: Command) => {
      const session = createSession(io, self);
      const title = redactUrl(session.databaseUrl());
      await session.withStore((store) =>
        options.once === true ? printOnce(io, store, title) : watch({ io, store, title, intervalMs: options.intervalMs }),
      );
    });
  withExamples(command, ["pgqrs top", "pgqrs top --interval-ms 250", "pgqrs top --once"]);
}

async function printOnce(io: CliIo, store: WorkflowStore, title: string): Promise<void> {
  const snapshot = await takeSnapshot(store);
  const state: TopState = { first: snapshot, previous: null, current: snapshot, error: null };
  writeLines(io.stdout, renderTop(state, { width: io.stdout.columns > 0 ? io.stdout.columns : 120, height: 1000, title }));
}

/** Resolves after `ms`, or at once when `stop` settles first; never keeps a timer alive past that. */
function pause(ms: number, stop: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))), stop]).finally(() =>
    clearTimeout(timer),
  );
}

async function watch(args: { io: CliIo; store: WorkflowStore; title: string; intervalMs: number }): Promise<void> {
  const { io, store, title, intervalMs } = args;
  let quit = () => undefined as void;
  const quitting = new Promise<void>((resolve) => (quit = resolve));
  let stopped = false;
  void quitting.then(() => (stopped = true));
  // A holder, not a `let`: `draw` runs from the resize handler too and must see the latest state.
  const view: { state: TopState | null } = { state: null };
  let screen: TerminalScreen | null = null;
  const draw = () => {
    const state = view.state;
    if (state === null) return;
    if (screen) screen.draw(renderTop(state, { width: screen.width(), height: screen.height(), title }));
    else writeLines(io.stdout, [...renderTop(state, { width: 120, height: 1000, title }), ""]);
  };
  // Only a terminal gets the full-screen view; a pipe gets one frame after another until a signal.
  if (io.stdout.isTTY) {
    screen = openTerminalScreen(io, { onKey: (key) => (quitKeys.has(key) ? quit() : undefined), onResize: draw });
  }
  const onSignal = () => quit();
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
  for (const signal of signals) process.on(signal, onSignal);
  try {
    while (!stopped) {
      const outcome = await Promise.race([
        takeSnapshot(store).then(
          (snapshot): { snapshot: TopSnapshot } => ({ snapshot }),
          (error: unknown) => ({ error }),
        ),
        quitting.then(() => null),
      ]);
      if (outcome === null) break;
      const previous = view.state;
      if ("snapshot" in outcome) {
        view.state = previous
          ? { first: previous.first, previous: previous.current, current: outcome.snapshot, error: null }
          : { first: outcome.snapshot, previous: null, current: outcome.snapshot, error: null };
      } else if (previous !== null) {
        view.state = { ...previous, error: describeFailure(outcome.error).message };
      } else {
        // Nothing to show yet: the first read failing is an error of the command, not of a refresh.
        throw outcome.error;
      }
      draw();
      await pause(intervalMs, quitting);
    }
  } finally {
    for (const signal of signals) process.off(signal, onSignal);
    screen?.restore();
  }
}
