/**
 * Who may drive repin. Only the permission GitHub reports (the collaborator permission endpoint,
 * `GET /repos/{owner}/{repo}/collaborators/{username}/permission`) counts, never the payload.
 */

const ACTING_ROLES: ReadonlySet<string> = new Set(["admin", "maintain", "write"]);

/** The endpoint's answer: `permission` is the legacy level (admin/write/read/none), `role_name` the role. */
export interface PermissionAnswer {
  readonly permission?: string | null;
  readonly role_name?: string | null;
}

/**
 * true for write, maintain or admin. A custom role's `role_name` is not one of those, so its
 * base `permission` decides; triage, read, none and anything unrecognised are refused.
 */
export function canAct(answer: string | PermissionAnswer | null | undefined): boolean {
  if (answer === null || answer === undefined) return false;
  if (typeof answer === "string") return ACTING_ROLES.has(answer.toLowerCase());
  return [answer.permission, answer.role_name].some(
    (value) => typeof value === "string" && ACTING_ROLES.has(value.toLowerCase()),
  );
}

export interface Sender {
  readonly type?: string | null;
  readonly login: string;
}

/** Bots (repin itself included) never drive repin: no loops, no command injection by automation. */
export function isBotSender(sender: Sender): boolean {
  return sender.type === "Bot" || sender.login.toLowerCase().endsWith("[bot]");
}
