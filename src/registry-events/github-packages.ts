import { tagHint, type TagHint } from "./hint.js";

/** The parts of a `registry_package` webhook a hint needs (GitHub's schema: webhook-registry-package-*). */
export interface PackageEvent {
  readonly action: string;
  readonly registry_package: {
    readonly name: string;
    readonly package_type: string;
    readonly ecosystem?: string;
    readonly owner: { readonly login: string };
    readonly package_version?: {
      readonly container_metadata?: { readonly tag?: { readonly name?: string } } | null;
      readonly docker_metadata?: readonly ({ readonly tags?: readonly string[] } | null)[];
    } | null;
  };
}

const ACTIONS = new Set(["published", "updated"]);

/**
 * `ghcr.io/<owner>/<package>:<tag>` for each tag a container package version was published or
 * updated with (SPEC 11), owner and package lowercased as ghcr.io names them. Other package types,
 * other actions and untagged versions give nothing.
 */
export function packageHint(event: PackageEvent): TagHint[] {
  const pkg = event.registry_package;
  if (!ACTIONS.has(event.action) || !isContainer(pkg.package_type, pkg.ecosystem)) return [];
  const version = pkg.package_version;
  const tags = new Set<string>();
  const tag = version?.container_metadata?.tag?.name;
  if (tag) tags.add(tag);
  for (const entry of version?.docker_metadata ?? []) for (const name of entry?.tags ?? []) if (name) tags.add(name);
  const repository = `${pkg.owner.login}/${pkg.name}`.toLowerCase();
  return [...tags].map((name) => tagHint("ghcr.io", repository, name)).filter((hint) => hint !== null);
}

/** GitHub names container packages `container` (REST) or `CONTAINER` (webhooks); `docker` is the retired registry. */
function isContainer(packageType: string, ecosystem: string | undefined): boolean {
  return packageType.toLowerCase() === "container" || ecosystem?.toLowerCase() === "container";
}
