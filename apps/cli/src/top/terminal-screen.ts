import type { CliIo } from "../io";

/** A full-screen view on the alternate screen, with keys read in raw mode. */
export interface TerminalScreen {
  /** Redraws the whole screen with `lines`. */
  draw(lines: readonly string[]): void;
  width(): number;
  height(): number;
  /** Leaves the alternate screen, shows the cursor and restores the keyboard mode. Idempotent. */
  restore(): void;
}

const enterAlternateScreen = "\x1b[?1049h\x1b[?25l";
const leaveAlternateScreen = "\x1b[?25h\x1b[?1049l";

/**
 * Takes over the terminal: alternate screen, hidden cursor, raw keys (each key press goes to `onKey`, Ctrl-C
 * included, as "\x03"). `restore()` undoes all of it and also runs on process exit, so an unexpected exit
 * never leaves the terminal in raw mode.
 */
export function openTerminalScreen(io: CliIo, handlers: { onKey: (key: string) => void; onResize: () => void }): TerminalScreen {
  const { stdout, stdin } = io;
  let restored = false;
  const onData = (data: Buffer | string) => handlers.onKey(data.toString());
  stdout.write(enterAlternateScreen);
  if (stdin.isTTY) stdin.setRawMode(true);
  stdin.on("data", onData);
  stdin.resume();
  stdout.on("resize", handlers.onResize);
  const restore = () => {
    if (restored) return;
    restored = true;
    stdout.off("resize", handlers.onResize);
    stdin.off("data", onData);
    if (stdin.isTTY) stdin.setRawMode(false);
    stdin.pause();
    stdout.write(leaveAlternateScreen);
    process.off("exit", restore);
  };
  process.on("exit", restore);
  return {
    width: () => (stdout.columns > 0 ? stdout.columns : 80),
    height: () => (stdout.rows > 0 ? stdout.rows : 24),
    draw(lines) {
      if (restored) return;
      // Home, each line then clear-to-end-of-line, then clear below: no flicker from a full clear.
      stdout.write(`\x1b[H${lines.map((line) => `${line}\x1b[K`).join("\n")}\x1b[J`);
    },
    restore,
  };
}
