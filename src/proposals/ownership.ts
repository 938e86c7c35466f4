/**
 * Whose verdicts count (pure): what the GitHub port reads, judged here. Whose commits count is
 * seal.ts's: a sealed SHA or a tree, never a name or an e-mail.
 */
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
