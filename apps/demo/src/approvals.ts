/**
 * Approvals for story 4, kept as files: the trigger side writes one, the workflow's approval step looks for
 * it. Any shared place would do (a table, an API); the workflow only needs to re-check it when resumed.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** A recorded approval. */
export interface Approval {
  approvedBy: string;
  approvedAt: string;
}

function approvalFile(folder: string, runId: string): string {
  return join(folder, `${runId.replace(/[^\w.-]/g, "_")}.json`);
}

/** Records that `approvedBy` approved the run. */
export async function approveRun(options: { folder: string; runId: string; approvedBy: string }): Promise<Approval> {
  const approval: Approval = { approvedBy: options.approvedBy, approvedAt: new Date().toISOString() };
  await writeFile(approvalFile(options.folder, options.runId), JSON.stringify(approval));
  return approval;
}

/** The run's approval, or `null` while there is none. */
export async function findApproval(folder: string, runId: string): Promise<Approval | null> {
  try {
    return JSON.parse(await readFile(approvalFile(folder, runId), "utf8")) as Approval;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}
