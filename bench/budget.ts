/**
 * SPEC 9 budgets beside the figures they judge, and the command line of `npm run bench`.
 * Pure: run.ts does the printing and the exit code.
 */

/** A figure with a budget: the most it may be. */
export interface Budgeted {
  readonly value: number;
  readonly max: number;
}

export type Figure = string | number | Budgeted;
export type Figures = Record<string, Figure>;

export const atMost = (value: number, max: number): Budgeted => ({ value, max });

const isBudgeted = (figure: Figure): figure is Budgeted => typeof figure === "object";

export const missed = (figure: Figure): boolean => isBudgeted(figure) && !(figure.value <= figure.max);

/** One printed line: the figure, and for a budgeted one its budget and whether it held. */
export function formatFigure(name: string, figure: Figure): string {
  const head = `${name.padEnd(52)} `;
  if (!isBudgeted(figure)) return `${head}${figure}`;
  const verdict = missed(figure) ? "MISSED" : "ok";
  return `${head}${String(figure.value).padEnd(10)} budget ≤ ${figure.max}: ${verdict}`;
}

/** The budgets a section's figures missed, as `name: value > max`. */
export function missedBudgets(figures: Figures): string[] {
  return Object.entries(figures)
    .filter(([, figure]) => missed(figure))
    .map(([name, figure]) => `${name}: ${(figure as Budgeted).value} > ${(figure as Budgeted).max}`);
}

export interface BenchArgs {
  /** Exit non-zero when a budget is missed or a section fails. */
  readonly check: boolean;
  /** Words a section title must contain one of (case-insensitive); empty runs every section. */
  readonly words: readonly string[];
}

export const USAGE = "usage: npm run bench -- [--check] [word ...]";

/** `--check` is a flag, never a filter word; any other `-`-prefixed argument is an error. */
export function parseBenchArgs(argv: readonly string[]): { ok: true; args: BenchArgs } | { ok: false; error: string } {
  const flags = argv.filter((arg) => arg.startsWith("-"));
  const unknown = flags.filter((flag) => flag !== "--check");
  if (unknown.length > 0) return { ok: false, error: `unknown option ${unknown.join(", ")}; ${USAGE}` };
  return { ok: true, args: { check: flags.length > 0, words: argv.filter((arg) => !arg.startsWith("-")) } };
}

export const selects = (args: BenchArgs, title: string): boolean =>
  args.words.length === 0 || args.words.some((word) => title.toLowerCase().includes(word.toLowerCase()));
