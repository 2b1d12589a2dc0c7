/**
 * Runs the whole tour as a user does (`tsx src/main.ts` in a child process) and checks that it tells all six
 * stories, passes them, and exits 0 on its own, with no process.exit.
 */
import { adminUrl, postgresAvailable } from "@pgqrs/vitest-config/postgres";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { successStory } from "../src/stories/1-success";
import { transientStory } from "../src/stories/2-transient";
import { permanentStory } from "../src/stories/3-permanent";
import { pauseStory } from "../src/stories/4-pause";
import { crashStory } from "../src/stories/5-worker-killed";
import { approvalStory } from "../src/stories/6-approval";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const titles = [successStory, transientStory, permanentStory, pauseStory, crashStory, approvalStory].map((story) => story.title);
/** The tour must finish in under a minute (by its own clock, from start to summary). */
const tourLimitSeconds = 60;
/** Past this the child is killed and the test fails; above the tour's limit, for Node and tsx start-up on a busy machine. */
const killAfterMs = 110_000;
/** Under CI=true a PostgreSQL server that does not answer fails here instead of skipping. */
const withPostgres = await postgresAvailable();

async function runDemo(databaseUrl: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: packageDir,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), killAfterMs);
  const [code] = (await once(child, "close")) as [number | null];
  clearTimeout(timer);
  return { code, output };
}

function expectSixStories(output: string): void {
  for (const title of titles) {
    expect(output).toContain(`== ${title} ==`);
    expect(output).toContain(`✓ ${title}`);
  }
  expect(output).toContain("6 of 6 stories passed");
  expect(output).not.toMatch(/FAILED|check: .* NO$/m);
  expect(output).toMatch(/status QUEUED, attempt 0[\s\S]*status RUNNING, attempt 1[\s\S]*status SUCCESS, attempt 1/);
  expect(output).toMatch(/\/healthz → 200/);
  // Story 6: the run pauses for the event, the reviewer sends it, and the run finishes with the reviewer's payload.
  const approval = output.slice(output.indexOf(`== ${approvalStory.title} ==`));
  expect(approval).toMatch(
    /status QUEUED, attempt 0[\s\S]*status RUNNING, attempt 1[\s\S]*status PAUSED, attempt 1, reason "waiting for event "approved"[\s\S]*sendEvent\("approved", \{ by: "reviewer@example.com" \}\) → delivered[\s\S]*status RUNNING, attempt 2[\s\S]*status SUCCESS, attempt 2/,
  );
  expect(approval).toContain("created false: the first payload wins (by reviewer@example.com)");
  expect(approval).toContain("steps: prepare_report → approval → publish_report");
  expect(approval).toContain("check: the status went QUEUED → RUNNING → PAUSED → RUNNING → SUCCESS … yes");
  const seconds = Number(/stories passed in ([\d.]+) s/.exec(output)?.[1]);
  expect(seconds).toBeLessThan(tourLimitSeconds);
}

describe("the demo", () => {
  it("tells the six stories on embedded PGlite and exits 0 on its own", async () => {
    const { code, output } = await runDemo("");
    expect(output, output).toContain("store:  embedded PGlite");
    expectSixStories(output);
    expect(output).toContain("worker-a killed inside download_files");
    expect(code, output).toBe(0);
  });

  it.skipIf(!withPostgres)(
    "tells the six stories on PostgreSQL, killing a real worker process with SIGKILL, and exits 0",
    async () => {
      const { code, output } = await runDemo(adminUrl);
      expect(output, output).toContain("store:  PostgreSQL");
      expectSixStories(output);
      expect(output).toMatch(/worker-a \(process \d+\) killed with SIGKILL inside download_files/);
      expect(code, output).toBe(0);
    },
  );
});
