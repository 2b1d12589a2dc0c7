/**
 * The `zip_files` workflow, shared by the trigger side and the workers. A definition only: no I/O here.
 */
import { defineWorkflow, type WorkflowOutput } from "@pgqrs/core";
import { z } from "zod";

/** Zips every object of a bucket under a prefix. */
export const zipFiles = defineWorkflow({
  name: "zip_files",
  input: z.object({ bucket: z.string(), prefix: z.string() }),
  output: z.object({ archivePath: z.string(), fileCount: z.number() }),
});

/** What a zip_files run returns. */
export type ZipFilesOutput = WorkflowOutput<typeof zipFiles>;
