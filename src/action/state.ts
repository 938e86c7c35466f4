import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { sightingKey } from "../proposals/index.js";
import type { Update } from "../plan/index.js";
// The in-memory store's own file: the folder's index would bring the SQLite driver (native) into the bundle.
import { createMemoryStore, type MemoryStore } from "../store/memory.js";

/**
 * The one place the Action meets the App's state API (kept small so the store behind the App can
 * change without touching the Action): a run starts from empty memory plus what the state file
 * keeps between runs — minimumAge first sightings — and writes them back at the end. Everything
 * else repin must remember is on GitHub (PR markers, the dashboard issue). The file is the
 * workflow's to persist (actions/cache); a missing or unreadable one starts the clocks from each
 * image's creation time instead, and a corrupt one is never trusted, only replaced.
 */
export interface ActionState {
  /** The App's store, as one run on one repository needs it, in memory: nothing to index for others, nothing queued. */
  readonly store: MemoryStore;
  /** Whether a state file was read: without one, minimumAge counts from the image's creation time. */
  readonly loaded: boolean;
  /** Why the file was not used (corrupt); null when it was, or when there was none. */
  readonly problem: string | null;
}

const VERSION = 1;

export async function loadState(path: string): Promise<ActionState> {
  const store = createMemoryStore("the Action's run (nothing kept but the state file)");
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return { store, loaded: false, problem: null };
  }
  const firstSeen = parseFirstSeen(text);
  if (firstSeen === null)
    return {
      store,
      loaded: false,
      problem: `${path} is not a repin state file; it is replaced at the end of this run`,
    };
  await store.firstSeen.record(firstSeen);
  return { store, loaded: true, problem: null };
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
export async function seedFromCreation(state: ActionState, updates: readonly Update[]): Promise<void> {
  if (state.loaded) return;
  const created = new Map<string, number>();
  for (const update of updates) {
    const key = sightingKey(update);
    const at = update.created === null ? NaN : Date.parse(update.created);
    if (key !== null && Number.isFinite(at) && !created.has(key)) created.set(key, at);
  }
  // A sighting already recorded keeps its time.
  await state.store.firstSeen.record(created);
}

/** Writes the file whole or not at all (a temporary file renamed over it). */
export async function saveState(path: string, state: ActionState): Promise<void> {
  const body = JSON.stringify({ version: VERSION, firstSeen: Object.fromEntries(state.store.sightings()) });
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${body}\n`);
  await rename(temporary, path);
}
