import { randomUUID } from "node:crypto";
import { appendFile } from "node:fs/promises";

/**
 * What the runner reads: workflow commands on stdout (`::error::`, `::warning::`) and the step's
 * outputs in the `GITHUB_OUTPUT` file, as GitHub documents them.
 */
export interface Console {
  write(text: string): unknown;
}

/** A workflow command's message: `%`, CR and LF escaped so the whole message stays one annotation. */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

export function annotate(out: Console, level: "error" | "warning" | "notice", message: string): void {
  out.write(`::${level}::${escapeData(message)}\n`);
}

/** Appends `name<<delimiter` blocks (a delimiter no value contains) in one write. */
export async function writeOutputs(file: string, outputs: Readonly<Record<string, string>>): Promise<void> {
  const text = Object.entries(outputs)
    .map(([name, value]) => {
      let delimiter = `repin_${randomUUID()}`;
      while (value.includes(delimiter)) delimiter = `repin_${randomUUID()}`;
      return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
    })
    .join("");
  await appendFile(file, text);
}
