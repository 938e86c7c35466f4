/**
 * repin as a GitHub Action (SPEC 14): the App's reconcile for the repository a workflow runs in,
 * with the workflow's token. Inputs are checked first (inputs.ts), state between runs is one JSON
 * file (state.ts), and the runner hears one `::error::` for a failed run (output.ts, run.ts).
 */
export { runAction, type ActionIo } from "./run.js";
export { readInputs, DEFAULT_STATE_FILE, type ActionInputs } from "./inputs.js";
