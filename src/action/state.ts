import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { createMemory, type RepinMemory } from "../github/index.js";
import { sightingKey } from "../proposals/index.js";
import type { Update } from "../plan/index.js";
import type { Store } from "../store/index.js";

/**
 * The one place the Action meets the App's state API (kept small so the store behind the App can
 * change without touching the Action): a run starts from empty memory plus what the state file
 * keeps between runs — minimumAge first sightings — and writes them back at the end. Everything
 * else repin must remember is on GitHub (PR markers, the dashboard issue). The file is the
 * workflow's to persist (actions/cache); a missing or unreadable one starts the clocks from each
 * image's creation time instead, and a corrupt one is never trusted, only replaced.
 */
export interface ActionState {
  readonly memory: RepinMemory;
  /** The App's store, as one run on one repository needs it: nothing to index for others, nothing queued. */
  readonly store: Store;
  /** Whether a state file was read: without one, minimumAge counts from the image's creation time. */
  readonly loaded: boolean;
  /** Why the file was not used (corrupt); null when it was, or when there was none. */
  readonly problem: string | null;
}

const VERSION = 1;

export async function loadState(path: string): Promise<ActionState> {
  const memory = createMemory();
  const store = runStore();
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return { memory, store, loaded: false, problem: null };
  }
  const firstSeen = parseFirstSeen(text);
  if (firstSeen === null)
    return {
      memory,
      store,
      loaded: false,
      problem: `${path} is not a repin state file; it is replaced at the end of this run`,
    };
  for (const [key, at] of firstSeen) memory.firstSeen.set(key, at);
  return { memory, store, loaded: true, problem: null };
}

function parseFirstSeen(text: string): Map<string, number> | null {
  try {
    const data = JSON.parse(text) as { version?: unknown; firstSeen?: unknown };
    if (data.version !== VERSION || typeof data.firstSeen !== "object" || data.firstSeen === null) return null;
    const entries = Object.entries(data.firstSeen as Record<string, unknown>);
    if (entries.some(([, at]) => typeof at !== "number" || !Number.isFinite(at))) return null;
    return new Map(entries as [string, number][]);
  } catch {
    return null;
  }
}

/**
 * Without a state file, a proposal's minimumAge clock starts when its image was created (the
 * registry says when), not now: a run that remembers nothing would otherwise hold every bump forever.
 */
export function seedFromCreation(state: ActionState, updates: readonly Update[]): void {
  if (state.loaded) return;
  for (const update of updates) {
    const key = sightingKey(update);
    const created = update.created === null ? NaN : Date.parse(update.created);
    if (key !== null && Number.isFinite(created) && !state.memory.firstSeen.has(key))
      state.memory.firstSeen.set(key, created);
  }
}

/** The repository's tracked files as this run read them (path → text), for the rows' `edits`. */
export function filesRead(state: ActionState, fullName: string): Map<string, string> {
  const files = state.memory.repos.get(fullName.toLowerCase())?.files ?? [];
  return new Map(files.map((file) => [file.path, file.content]));
}

/** Writes the file whole or not at all (a temporary file renamed over it). */
export async function saveState(path: string, state: ActionState): Promise<void> {
  const body = JSON.stringify({ version: VERSION, firstSeen: Object.fromEntries(state.memory.firstSeen) });
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${body}\n`);
  await rename(temporary, path);
}

/**
 * The store of one run: the reverse index and the work queue serve the App's other repositories
 * and its watch loop, which a workflow run has not; what a scan records there ends with the run.
 */
function runStore(): Store {
  return {
    location: "the Action's run (nothing kept)",
    usages: {
      replace: async () => undefined,
      usersOf: async () => [],
      watched: async () => [],
      recordDigest: async () => undefined,
    },
    queue: {
      enqueue: async () => true,
      due: async () => [],
      retry: async () => undefined,
      complete: async () => true,
    },
    close: async () => undefined,
  };
}
