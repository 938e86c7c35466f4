/**
 * Whose commits and whose verdicts count (pure): what the GitHub port reads, judged here.
 */
export interface CommitPeople {
  readonly authorEmail: string;
  readonly committerEmail: string;
}

/** The committer GitHub writes when it commits on someone's behalf (web-flow). */
const GITHUB_COMMITTER = "noreply@github.com";

/**
 * A commit repin wrote: the App's bot (`<id>+<slug>[bot]@users.noreply.github.com`) is its author
 * and its committer (or GitHub, which may commit for it). A person's `git commit --amend` keeps
 * the author but makes them the committer; their own commits have them as author. The message,
 * `Repin-Content` trailer included, proves nothing: it is copied with the commit.
 */
export function madeByRepin(commit: CommitPeople, botLogin: string): boolean {
  const isBot = (email: string) =>
    email === `${botLogin}@users.noreply.github.com` || email.endsWith(`+${botLogin}@users.noreply.github.com`);
  return isBot(commit.authorEmail) && (isBot(commit.committerEmail) || commit.committerEmail === GITHUB_COMMITTER);
}

export interface Review {
  readonly id: number;
  readonly user: string;
  readonly state: string;
}

/**
 * The id of the newest review whose author still requests changes (their latest verdict is
 * CHANGES_REQUESTED), or null. Reviews come oldest first, as GitHub lists them.
 */
export function blockingReview(reviews: readonly Review[]): number | null {
  const verdicts = new Map<string, Review>();
  for (const review of reviews) {
    // Comments do not change a verdict; approvals, dismissals and new requests do.
    if (review.state === "COMMENTED" || review.state === "PENDING") continue;
    verdicts.set(review.user, review);
  }
  const blocking = [...verdicts.values()].filter((v) => v.state === "CHANGES_REQUESTED").map((v) => v.id);
  return blocking.length === 0 ? null : Math.max(...blocking);
}
