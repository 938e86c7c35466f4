import { createHash, createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import type { Marker } from "./body.js";

/**
 * Never trust what can be forged (SPEC 10): repin's commit on a PR branch is the SHA it recorded
 * in the marker, sealed with an HMAC keyed from the App's private key. A writer can edit a PR
 * body, but cannot make the seal; an author e-mail or a commit trailer proves nothing.
 */
export type MarkerKey = Buffer;

/** The HMAC key, derived (HKDF-SHA256) from the App's private key; it is never logged. */
export function markerKey(privateKey: string | Buffer): MarkerKey {
  return Buffer.from(hkdfSync("sha256", privateKey, "repin", "repin PR marker seal v1", 32));
}

/** The seal of `commit` on `branch`. */
export function commitSeal(key: MarkerKey, branch: string, commit: string): string {
  return createHmac("sha256", key).update(`repin commit\n${branch}\n${commit}`).digest("hex").slice(0, 32);
}

/** The marker with its commit sealed for `branch`. */
export function sealed(marker: Marker, branch: string, key: MarkerKey): Marker {
  return { ...marker, sig: commitSeal(key, branch, marker.commit) };
}

/** The marker's commit when its seal is repin's for `branch`, else "" (a commit no head has). */
export function trustedCommit(marker: Marker, branch: string, key: MarkerKey): string {
  if (marker.commit === "" || typeof marker.sig !== "string") return "";
  const expected = Buffer.from(commitSeal(key, branch, marker.commit));
  const given = Buffer.from(marker.sig);
  return given.length === expected.length && timingSafeEqual(given, expected) ? marker.commit : "";
}

/**
 * The seal of repin's dashboard issue `number` in `repo` (`owner/name`, any case): bound to the
 * issue, so a seal copied into another issue (or another repository's) does not verify, and
 * anyone who may open issues cannot make one.
 */
export function dashboardSeal(key: MarkerKey, repo: string, number: number): string {
  return createHmac("sha256", key)
    .update(`repin dashboard\n${repo.toLowerCase()}\n${number}`)
    .digest("hex")
    .slice(0, 32);
}

/** Whether `given` is the dashboard seal of issue `number` in `repo`. */
export function isDashboardSeal(key: MarkerKey, repo: string, number: number, given: string): boolean {
  const expected = Buffer.from(dashboardSeal(key, repo, number));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export interface TreeBlob {
  readonly path: string;
  readonly sha: string;
  readonly mode: string;
}

/**
 * Whether `head` is exactly the tree repin writes for these files on `base` (how a run killed
 * between writing the branch and the PR is recognised): every path of the base with the changed
 * files' contents, nothing more, nothing less.
 */
export function isTreeRepinWrites(
  base: readonly TreeBlob[],
  head: readonly TreeBlob[],
  files: readonly { readonly path: string; readonly content: string }[],
): boolean {
  const expected = new Map(base.map((blob) => [blob.path, `${blob.mode} ${blob.sha}`]));
  for (const file of files) {
    const mode = expected.get(file.path)?.startsWith("100755 ") ? "100755" : "100644";
    expected.set(file.path, `${mode} ${gitBlobSha(file.content)}`);
  }
  if (head.length !== expected.size) return false;
  return head.every((blob) => expected.get(blob.path) === `${blob.mode} ${blob.sha}`);
}

/** Git's object id of a blob with this (UTF-8) content. */
export function gitBlobSha(content: string): string {
  const bytes = Buffer.from(content, "utf8");
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}
