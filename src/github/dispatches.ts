import { DISPATCH_EVENT, type Dispatch } from "../proposals/index.js";
import type { GitHubClient } from "./client.js";

/** Sends a rebuild dispatch (`repository_dispatch`, SPEC 5); which ones are due is src/proposals'. */
export async function sendDispatch(
  client: GitHubClient,
  owner: string,
  repo: string,
  dispatch: Dispatch,
): Promise<void> {
  await client.request("POST /repos/{owner}/{repo}/dispatches", {
    owner,
    repo,
    event_type: DISPATCH_EVENT,
    client_payload: { image: dispatch.image, tag: dispatch.tag, digest: dispatch.digest, files: [...dispatch.files] },
  });
}
