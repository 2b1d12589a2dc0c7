const frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/** A one-line spinner on a terminal stream. */
export interface Spinner {
  /** Replaces the text after the spinner. */
  update(text: string): void;
  /** Stops and erases the line. Idempotent. */
  stop(): void;
}

/** Starts a spinner that redraws `stream`'s current line every 80 ms. Only for TTYs. */
export function startSpinner(stream: NodeJS.WriteStream, text: string): Spinner {
  let current = text;
  let frame = 0;
  let stopped = false;
  const draw = () => {
    const columns = stream.columns > 0 ? stream.columns : 80;
    const line = `${frames[frame % frames.length] ?? ""} ${current}`.slice(0, columns - 1);
    stream.write(`\r\x1b[2K${line}`);
    frame += 1;
  };
  draw();
  const timer = setInterval(draw, 80);
  return {
    update(next) {
      current = next;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      stream.write("\r\x1b[2K");
    },
  };
}
