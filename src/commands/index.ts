/**
 * `/repin` commands (SPEC 6) as pure data in, data out: finding commands in a comment or review
 * body, who may act (bots never, people only with write/maintain/admin), the help text and
 * replies (echoes of someone else's text go through src/markdown).
 */
export type { Command, CommandKind, CommandOutcome } from "./types.js";
export { parseCommands, MAX_COMMANDS, MAX_UNKNOWN_TEXT } from "./parse.js";
export { canAct, isBotSender } from "./permission.js";
export type { PermissionAnswer, Sender } from "./permission.js";
export { COMMAND_TEXT, helpText, renderReply } from "./reply.js";
