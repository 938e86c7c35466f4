import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/**
 * Vitest global setup: the CLI tests run `dist/cli/main.js` as a process, the way users run it. When
 * a source file is newer than that build (or there is none), build once before any test starts.
 */
export default function buildCliWhenStale(): void {
  const root = new URL("../../", import.meta.url).pathname;
  const built = statSync(join(root, "dist/cli/main.js"), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const newest = (dir: string): number =>
    Math.max(
      0,
      ...readdirSync(dir, { withFileTypes: true }).map((entry) =>
        entry.isDirectory() ? newest(join(dir, entry.name)) : statSync(join(dir, entry.name)).mtimeMs,
      ),
    );
  if (newest(join(root, "src")) <= built) return;
  execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
    cwd: root,
    stdio: "inherit",
  });
}
