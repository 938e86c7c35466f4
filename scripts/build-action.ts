// Builds the GitHub Action's one-file bundle (SPEC 14): `npm run build:action` writes
// action/index.mjs from src/action/main.ts for the Actions node24 runtime. The bundle must not reach
// a native module (better-sqlite3, any `.node` file): the build fails if its import graph does.
// `tsx scripts/build-action.ts OUTFILE` writes elsewhere (the staleness test compares the two).
import { fileURLToPath } from "node:url";
import { build, type Metafile } from "esbuild";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const ACTION_ENTRY = fileURLToPath(new URL("../src/action/main.ts", import.meta.url));
export const ACTION_BUNDLE = fileURLToPath(new URL("../action/index.mjs", import.meta.url));

/** Inputs the bundle must never contain: native addons and what loads them. */
export const NATIVE = /(^|\/)node_modules\/(better-sqlite3|bindings|prebuild-install|node-gyp-build)\/|\.node$/;

/** Builds `entry` (default: the Action) into `outfile`; throws when the bundle would reach a native module. */
export async function buildAction(outfile: string, entry: string = ACTION_ENTRY): Promise<Metafile> {
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    target: "node24",
    format: "esm",
    // ES module builds first: jsonc-parser's UMD main requires its files at run time, which a bundle cannot.
    mainFields: ["module", "main"],
    // Bundled CommonJS packages call require() for Node's built-ins: give the ES module one.
    banner: {
      js: 'import { createRequire as __repinRequire } from "node:module";\nconst require = __repinRequire(import.meta.url);',
    },
    legalComments: "none",
    // Paths in the bundle's comments are relative to the project, node_modules as it is linked:
    // the same bytes from any checkout, so the staleness test compares like with like.
    absWorkingDir: ROOT,
    preserveSymlinks: true,
    metafile: true,
    logLevel: "warning",
  });
  const native = Object.keys(result.metafile.inputs).filter((input) => NATIVE.test(input));
  if (native.length > 0) throw new Error(`the Action bundle reaches native modules: ${native.join(", ")}`);
  return result.metafile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildAction(process.argv[2] ?? ACTION_BUNDLE);
}
