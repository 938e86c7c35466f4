import { isRegistryError } from "./errors.js";

/**
 * What a registry says reaches terminals, logs and PR comments. Control characters (C0, DEL,
 * C1, and the bidirectional overrides) would let it move the cursor, set the clipboard
 * (OSC 52) or reorder text: line breaks and tabs become spaces, the rest is dropped.
 */
export function stripControls(text: string): string {
  return text
    .replace(/[\t\n\r]/g, " ")
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, "");
}

// An Authorization value of either scheme, whoever it belongs to.
const authorizationValue = /\b(Basic|Bearer)\s+[A-Za-z0-9._~+/=-]{8,}/gi;

export interface Redactor {
  /** Records a credential repin sends (a password, a token, a Basic string), so no message repeats it. */
  remember(secret: string): void;
  /** `text` without control characters and without anything remembered. */
  clean(text: string): string;
  /** Cleans a thrown error's message (and a registry error's codes) in place, keeping its class, and returns it. */
  scrub<T>(error: T): T;
}

export function createRedactor(): Redactor {
  const secrets = new Set<string>();
  let ordered: string[] = [];
  const clean = (text: string): string => {
    let result = stripControls(text);
    // Longest first, so a secret that contains another is replaced whole.
    for (const secret of ordered) result = result.split(secret).join("REDACTED");
    return result.replace(authorizationValue, "$1 REDACTED");
  };
  return {
    remember(secret) {
      if (!secret || secrets.has(secret)) return;
      secrets.add(secret);
      ordered = [...secrets].sort((a, b) => b.length - a.length);
    },
    clean,
    scrub(error) {
      if (!(error instanceof Error)) return error;
      error.message = clean(error.message);
      // The stack's first line repeats the message as it was thrown, and loggers print stacks.
      if (typeof error.stack === "string") error.stack = error.stack.split("\n").map(clean).join("\n");
      if (isRegistryError(error)) Object.defineProperty(error, "codes", { value: error.codes.map(clean) });
      return error;
    },
  };
}
