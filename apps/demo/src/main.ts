/**
 * The pgqrs tour: the zip_files workflow of SPEC §2 in five short stories, each on its own run, and a sixth, a
 * publish_report workflow that waits for an approval event. Runs on
 * embedded PGlite by default and on PostgreSQL when DATABASE_URL is set. Exits non-zero if a story fails.
 */
import { rm } from "node:fs/promises";
import { openDemoStore } from "./demo-store";
import { createDemoFolder, listObjects } from "./files";
import { successStory } from "./stories/1-success";
import { transientStory } from "./stories/2-transient";
import { permanentStory } from "./stories/3-permanent";
import { pauseStory } from "./stories/4-pause";
import { crashStory } from "./stories/5-worker-killed";
import { approvalStory } from "./stories/6-approval";
import type { Story } from "./stories/story";
import { createTourLog } from "./tour-log";
import { publishReport } from "./workflows/publish-report";
import { zipFiles } from "./workflows/zip-files";
import { describeError } from "./zip-handler";

const stories: readonly Story[] = [successStory, transientStory, permanentStory, pauseStory, crashStory, approvalStory];

async function main(): Promise<number> {
  const started = performance.now();
  const log = createTourLog();
  const databaseUrl = process.env.DATABASE_URL === "" ? undefined : process.env.DATABASE_URL;
  log.plain("pgqrs demo: the zip_files workflow in five stories, and an approval in a sixth");
  const folder = await createDemoFolder();
  const results: { title: string; error?: unknown }[] = [];
  try {
    log.plain(databaseUrl === undefined ? "starting embedded PGlite…" : "connecting to PostgreSQL…");
    const demoStore = await openDemoStore(databaseUrl);
    try {
      await demoStore.store.createWorkflow(zipFiles.name); // idempotent
      await demoStore.store.createWorkflow(publishReport.name);
      log.plain(`store:  ${demoStore.label}`);
      const objects = await listObjects(folder.bucket, "");
      log.plain(`bucket: ${folder.bucket} (${objects.map((object) => object.key).join(", ")})`);
      const context = { store: demoStore.store, folder, log, databaseUrl: demoStore.databaseUrl };
      for (const story of stories) {
        log.header(story.title);
        try {
          await story.run(context);
          results.push({ title: story.title });
        } catch (error) {
          log.event(`FAILED: ${describeError(error)}`);
          results.push({ title: story.title, error });
        }
      }
    } finally {
      await demoStore.close();
    }
  } finally {
    await rm(folder.root, { recursive: true, force: true });
  }
  const failed = results.filter((result) => result.error !== undefined).length;
  log.plain("");
  log.plain("== Summary ==");
  for (const result of results) log.plain(`  ${result.error === undefined ? "✓" : "✗"} ${result.title}`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  log.plain(`${results.length - failed} of ${stories.length} stories passed in ${seconds} s`);
  return failed === 0 ? 0 : 1;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`the tour could not run: ${describeError(error)}`);
  process.exitCode = 1;
}
