import { reason, type Update } from "../plan/index.js";

/** GitHub refuses an App's commit touching these files unless the installation granted `workflows: write`. */
export const isWorkflowPath = (path: string): boolean => path.startsWith(".github/workflows/");

/**
 * Without `workflows: write` (SPEC 5) the references in workflow files are reported, not edited:
 * a bump or pin there becomes a skip that says why, so no PR carries a commit GitHub would refuse.
 */
export function withoutWorkflowEdits(updates: readonly Update[], canWriteWorkflows: boolean): Update[] {
  if (canWriteWorkflows) return [...updates];
  return updates.map((update) =>
    isWorkflowPath(update.file) && update.edits.length > 0
      ? {
          ...update,
          action: "skip",
          reason: reason("workflows-permission"),
          newTag: null,
          newDigest: null,
          edits: [],
        }
      : update,
  );
}
