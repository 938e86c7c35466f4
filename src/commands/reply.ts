import { escapeMarkdown, quoteUserText } from "../markdown/index.js";
import type { Command, CommandKind, CommandOutcome } from "./types.js";

/** What a command looks like when typed, for replies and the help text. */
export const COMMAND_TEXT: Readonly<Record<CommandKind, string>> = {
  rebase: "/repin rebase",
  recreate: "/repin recreate",
  "ignore-digest": "/repin ignore this digest",
  "ignore-image": "/repin ignore this image",
  unignore: "/repin unignore",
  scan: "/repin scan",
  explain: "/repin explain",
  help: "/repin help",
};

const HELP_LINES: readonly (readonly [CommandKind, string])[] = [
  ["rebase", "rebuild this PR's branch on the current base branch"],
  ["recreate", "rebuild this PR's branch even if someone else pushed to it"],
  ["ignore-digest", "never propose this PR's digest again (a newer one gets a new PR)"],
  ["ignore-image", "stop proposing updates for this PR's image"],
  ["unignore", "undo the ignores of this PR's image"],
  ["scan", "rescan this repository now"],
  ["explain", "show the package diff and advisories of this PR's bump"],
  ["help", "show this list"],
];

/** The commands as a markdown list; PR commands act on the PR they are written on. */
export function helpText(): string {
  const lines = HELP_LINES.map(([kind, what]) => `- \`${COMMAND_TEXT[kind]}\` — ${what}`);
  return [
    "repin commands (comment on a repin PR or issue; write, maintain or admin permission needed):",
    "",
    ...lines,
    "",
    "Ignores are listed, and can be undone, in the `repin dashboard` issue.",
  ].join("\n");
}

/** A short reply for each outcome; every piece of someone else's text is escaped or quoted. */
export function renderReply(outcome: CommandOutcome): string {
  switch (outcome.kind) {
    case "done":
      return doneText(outcome.command, outcome.subject);
    case "refused":
      // Someone without permission gets nothing of theirs echoed back.
      return `Only people with write, maintain or admin permission on this repository can use ${outcome.command.kind === "unknown" ? "`/repin` commands" : commandName(outcome.command)}; nothing was done.`;
    case "failed":
      return `Could not run ${commandName(outcome.command)}: ${escapeMarkdown(outcome.reason, { max: 300 })}`;
    case "unknown":
      return `${quoteUserText(`/repin ${outcome.text}`, 80)} is not a repin command.\n\n${helpText()}`;
  }
}

function doneText(kind: CommandKind, subject: string | undefined): string {
  const of = subject === undefined ? "" : ` ${quoteUserText(subject, 200)}`;
  switch (kind) {
    case "rebase":
      return "Rebasing this PR on the current base branch.";
    case "recreate":
      return "Recreating this PR from the current base branch; other commits on its branch are dropped.";
    case "ignore-digest":
      return `Ignoring digest${of}: repin will not propose it again; a newer digest gets a new PR. Undo with \`/repin unignore\`.`;
    case "ignore-image":
      return `Ignoring image${of}: repin will not propose updates for it. Undo with \`/repin unignore\`.`;
    case "unignore":
      return `Removed the ignores of${of === "" ? " this image" : of}; repin will propose its updates again.`;
    case "scan":
      return "Rescanning this repository.";
    case "explain":
      // The explanation itself is repin's own markdown, built where the package diff is known.
      return "The package diff and advisories of this bump are in the PR description.";
    case "help":
      return helpText();
  }
}

function commandName(command: Command): string {
  return command.kind === "unknown" ? quoteUserText(`/repin ${command.text}`, 80) : `\`${COMMAND_TEXT[command.kind]}\``;
}
