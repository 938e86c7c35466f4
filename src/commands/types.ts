/** The `/repin` commands of SPEC 6, by what they do. */
export type CommandKind =
  "rebase" | "recreate" | "ignore-digest" | "ignore-image" | "unignore" | "scan" | "explain" | "help";

/**
 * One `/repin` line of a comment or review body. `unknown` keeps what followed `/repin`,
 * already cut to one short plain line; it still must be escaped before it is echoed.
 */
export type Command = { readonly kind: CommandKind } | { readonly kind: "unknown"; readonly text: string };

/** What the App did with a command, for `renderReply`. */
export type CommandOutcome =
  /** Acted on. `subject` names what it acted on (e.g. an image and digest); it is quoted. */
  | { readonly kind: "done"; readonly command: CommandKind; readonly subject?: string }
  /** The sender lacks write, maintain or admin permission: nothing happened. */
  | { readonly kind: "refused"; readonly command: Command }
  /** Could not act, e.g. `/repin rebase` on an issue rather than a repin PR. `reason` is escaped. */
  | { readonly kind: "failed"; readonly command: Command; readonly reason: string }
  /** Not a command repin knows: the reply is the help text. */
  | { readonly kind: "unknown"; readonly text: string };
