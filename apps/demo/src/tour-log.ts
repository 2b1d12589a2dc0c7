/** Plain, line-per-event output for the tour: a header per story, each event with the time since it began. */

/** Where the tour prints. */
export interface TourLog {
  /** Starts a story: prints its header and resets the clock. */
  header(title: string): void;
  /** Prints one event line, stamped with the seconds since the story began. */
  event(line: string): void;
  /** Prints a line as is. */
  plain(line: string): void;
}

/** Creates the tour's log over `write` (one call per line). */
export function createTourLog(write: (line: string) => void = (line) => console.log(line)): TourLog {
  let start = performance.now();
  return {
    header(title) {
      start = performance.now();
      write("");
      write(`== ${title} ==`);
    },
    event(line) {
      const seconds = ((performance.now() - start) / 1000).toFixed(2).padStart(5);
      write(`  ${seconds}s  ${line}`);
    },
    plain(line) {
      write(line);
    },
  };
}
