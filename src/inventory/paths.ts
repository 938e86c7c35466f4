/** Which paths inside an image hold a package database, and how OCI whiteouts remove them. */

/** "./var/lib/x/" and "/var/lib/x" both become "var/lib/x". */
export function normalizeTarPath(name: string): string {
  return name.replace(/^(\.?\/)+/, "").replace(/\/+$/, "");
}

// usr/lib/apk/db/installed is where usr-merged Wolfi/Chainguard images keep it.
const APK_PATHS = ["lib/apk/db/installed", "usr/lib/apk/db/installed"] as const;
const DPKG_STATUS = "var/lib/dpkg/status";
const DPKG_STATUS_D = "var/lib/dpkg/status.d/";

export function isDatabasePath(path: string): boolean {
  if ((APK_PATHS as readonly string[]).includes(path) || path === DPKG_STATUS) return true;
  if (!path.startsWith(DPKG_STATUS_D)) return false;
  const name = path.slice(DPKG_STATUS_D.length);
  // Distroless keeps "<pkg>.md5sums" beside each "<pkg>" stanza file.
  return name !== "" && !name.includes("/") && !name.endsWith(".md5sums");
}

export type Whiteout =
  { readonly kind: "delete"; readonly path: string } | { readonly kind: "opaque"; readonly dir: string };

/** ".wh.<name>" deletes <name> from lower layers; ".wh..wh..opq" hides everything under its directory. */
export function parseWhiteout(path: string): Whiteout | null {
  const slash = path.lastIndexOf("/");
  const dir = slash >= 0 ? path.slice(0, slash) : "";
  const base = path.slice(slash + 1);
  if (!base.startsWith(".wh.")) return null;
  if (base === ".wh..wh..opq") return { kind: "opaque", dir };
  const name = base.slice(".wh.".length);
  return { kind: "delete", path: dir === "" ? name : `${dir}/${name}` };
}

// Directories that hold the databases: a whiteout of one of them or of a parent can hide one.
const DATABASE_DIRS = ["lib/apk/db", "usr/lib/apk/db", "var/lib/dpkg", DPKG_STATUS_D.slice(0, -1)];

/** Whether a whiteout can remove a database file; the others need not be kept. */
export function canHideDatabase(whiteout: Whiteout): boolean {
  const path = whiteout.kind === "delete" ? whiteout.path : whiteout.dir;
  if (whiteout.kind === "delete" && isDatabasePath(path)) return true;
  return DATABASE_DIRS.some((dir) => path === "" || dir === path || dir.startsWith(`${path}/`));
}

/**
 * Drops from `files` (the lower layers) whatever the whiteouts of the layer above remove:
 * each file's path and parents are looked up, so the cost grows with files, not files × whiteouts.
 */
export function applyWhiteouts(files: Map<string, Buffer>, whiteouts: readonly Whiteout[]): void {
  if (whiteouts.length === 0) return;
  const deleted = new Set<string>();
  const opaque = new Set<string>();
  for (const w of whiteouts) {
    if (w.kind === "delete") deleted.add(w.path);
    else opaque.add(w.dir);
  }
  const hidden = (path: string): boolean => {
    if (deleted.has(path) || opaque.has("")) return true;
    for (let slash = path.indexOf("/"); slash >= 0; slash = path.indexOf("/", slash + 1)) {
      const parent = path.slice(0, slash);
      if (deleted.has(parent) || opaque.has(parent)) return true;
    }
    return false;
  };
  for (const path of [...files.keys()]) if (hidden(path)) files.delete(path);
}

export interface DatabaseFiles {
  readonly apk: { path: string; text: string } | null;
  readonly dpkg: { path: string; text: string }[];
}

/** Picks the database files out of the merged file system; dpkg's status file first. */
export function selectDatabases(files: ReadonlyMap<string, Buffer>): DatabaseFiles {
  const text = (path: string) => ({ path, text: files.get(path)!.toString("utf8") });
  const apkPath = APK_PATHS.find((p) => files.has(p));
  const statusD = [...files.keys()].filter((p) => p.startsWith(DPKG_STATUS_D)).sort();
  const dpkgPaths = files.has(DPKG_STATUS) ? [DPKG_STATUS, ...statusD] : statusD;
  return { apk: apkPath ? text(apkPath) : null, dpkg: dpkgPaths.map(text) };
}
