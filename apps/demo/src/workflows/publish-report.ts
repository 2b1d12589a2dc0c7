/**
 * The `publish_report` workflow of story 6, shared by the trigger side and the workers: it drafts a report, waits
 * for a reviewer's `approved` event, then publishes it. A definition only: no I/O here.
 */
import { defineWorkflow, type WorkflowOutput } from "@pgqrs/core";
import { z } from "zod";

/** Drafts a report of the CSV files under a prefix and publishes it once approved. */
export const publishReport = defineWorkflow({
  name: "publish_report",
  input: z.object({ bucket: z.string(), prefix: z.string() }),
  output: z.object({ reportPath: z.string(), rows: z.number(), approvedBy: z.string() }),
});

/** What a publish_report run returns. */
export type PublishReportOutput = WorkflowOutput<typeof publishReport>;

/** The payload a reviewer sends with the `approved` event. */
export interface Approved {
  by: string;
}
