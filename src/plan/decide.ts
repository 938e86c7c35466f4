import type { FoundReference, TextEdit } from "../dockerfile/types.js";
import { formatPlatform, parsePlatform } from "../reference/index.js";
import type { Platform } from "../reference/types.js";
import type { IndexChild, Manifest } from "../registry/types.js";
import { manifestKey, tagKey } from "./keys.js";
import { childFor, isRunnablePlatform, samePlatform } from "./platform.js";
import { followable, tagEdit, targetOf, type Followable } from "./target.js";
import { reason, type Reason } from "./reasons.js";
import type { Lookup, Lookups, PlanOptions, ScannedFile, Update } from "./types.js";

type Decision = Omit<Update, "file" | "kind" | "line" | "image" | "tag" | "currentDigest" | "source">;

/** A decision that edits nothing; one shape for every action keeps the planner's objects alike. */
const nothing = (action: "skip" | "none", why: Reason | null): Decision => ({
  action,
  reason: why,
  newTag: null,
  newDigest: null,
  created: null,
  platforms: [],
  edits: [],
});

const skip = (why: Reason): Decision => nothing("skip", why);
const none = (why: Reason | null = null): Decision => nothing("none", why);

/**
 * What repin does with one reference, given what the registry said. Pure. The update is written out key by
 * key, not spread from two objects: this runs once per reference, and spreading objects of several shapes
 * took about a quarter of the planning time in a profile of `npm run bench -- parse`.
 */
export function decide(
  found: FoundReference,
  file: Pick<ScannedFile, "path" | "kind">,
  lookups: Lookups,
  options: PlanOptions,
): Update {
  const ref = found.ref;
  const decision = decideFollowable(found, lookups, options);
  return {
    file: file.path,
    kind: file.kind,
    line: found.line,
    image: ref ? withoutDigest(ref.written) : found.expanded || null,
    tag: ref?.tag ?? null,
    newTag: decision.newTag,
    currentDigest: ref?.digest ?? null,
    newDigest: decision.newDigest,
    action: decision.action,
    reason: decision.reason,
    source: ref ? options.resolutionName(ref) : null,
    created: decision.created,
    platforms: decision.platforms,
    edits: decision.edits,
  };
}

function decideFollowable(found: FoundReference, lookups: Lookups, options: PlanOptions): Decision {
  if (found.skip) return skip(reason(found.skip.reason, found.skip.detail));
  if (!found.ref) return skip(reason("unparsed-reference"));
  if (options.isIgnored(found.ref)) return skip(reason("ignored"));
  const item = followable(found, options);
  if (!item) return skip(reason("no-tag"));

  const target = targetOf(item, lookups, options);
  const resolved = lookups.tags.get(tagKey(item.name, target.tag));
  if (!resolved) return skip(reason("tag-not-resolved", target.tag));
  if (!resolved.ok) return skip(reason("registry-error", "", resolved.failure));
  const decision =
    item.ref.digest === null
      ? decideUnpinned(item, target.newTag, resolved.value.digest, lookups, options)
      : decidePinned(item, target.newTag, resolved.value.digest, lookups, options);
  if (target.note === null || decision.action === "skip") return decision;
  return { ...decision, reason: decision.reason === null ? target.note : { ...decision.reason, note: target.note } };
}

function decideUnpinned(
  item: Followable,
  newTag: string | null,
  digest: string,
  lookups: Lookups,
  options: PlanOptions,
): Decision {
  const { found } = item;
  const pinAt = options.pin ? found.pinInsertAt : null;
  if (newTag === null && !options.pin) return none(reason("not-pinned"));
  if (newTag === null && pinAt === null) return skip(reason("pin-not-extendable"));
  const edits: TextEdit[] = [];
  const pin = `${found.pinPrefix ?? "@"}${digest}`;
  const retag = newTag === null ? null : tagEdit(found, newTag);
  if (retag) {
    const pinHere = pinAt === retag.range.end;
    edits.push(pinHere ? { ...retag, text: `${retag.text}${pin}` } : retag);
    if (pinAt !== null && !pinHere) edits.push({ range: { start: pinAt, end: pinAt }, text: pin });
  } else if (pinAt !== null) {
    edits.push({ range: { start: pinAt, end: pinAt }, text: pin });
  }
  const pinned = pinAt !== null;
  const verified = pinned ? lookups.manifests.get(manifestKey(item.name, digest)) : undefined;
  if (pinned && !verified?.ok) return skip(reason("pin-manifest-unreadable", digest, verified?.failure));
  const { created, platforms } = details(verified);
  return {
    created,
    platforms,
    action: newTag !== null ? "bump" : "pin",
    reason: newTag !== null && options.pin && !pinned ? reason("pin-not-extendable") : null,
    newTag,
    newDigest: pinned ? digest : null,
    edits,
  };
}

function decidePinned(
  item: Followable,
  newTag: string | null,
  top: string,
  lookups: Lookups,
  options: PlanOptions,
): Decision {
  const { found } = item;
  const current = item.ref.digest as string;
  if (!found.digestRange) return skip(reason("digest-not-rewritable"));
  if (newTag === null && current === top) return none();

  const fresh = lookups.manifests.get(manifestKey(item.name, top));
  if (!fresh?.ok) return skip(reason("manifest-unreadable", top, fresh?.failure));
  const old = lookups.manifests.get(manifestKey(item.name, current));
  const chosen = chooseDigest(fresh.value, old, current, found, newTag !== null, options);
  if ("skip" in chosen) return skip(chosen.skip);
  if ("none" in chosen) return none(chosen.none);

  const edits: TextEdit[] = [{ range: found.digestRange, text: chosen.digest }];
  const retag = newTag === null ? null : tagEdit(found, newTag);
  if (retag) edits.push(retag);
  const manifest = chosen.digest === top ? fresh : lookups.manifests.get(manifestKey(item.name, chosen.digest));
  const { created, platforms } = details(manifest ?? fresh);
  return { action: "bump", reason: null, newTag, newDigest: chosen.digest, created, platforms, edits };
}

type Choice = { digest: string } | { skip: Reason } | { none: Reason | null };

/** The multi-arch rules of SPEC 3: index pins stay index pins, platform pins follow their platform. */
function chooseDigest(
  fresh: Manifest,
  pinned: Lookup<Manifest> | undefined,
  current: string,
  found: FoundReference,
  tagChanges: boolean,
  options: PlanOptions,
): Choice {
  if (fresh.kind === "index" && fresh.children.some((child) => child.digest === current))
    return same(current, current, tagChanges);
  // A pinned manifest the registry no longer has (deleted once untagged) is taken for a pin to the tag's
  // top-level manifest; one it failed to serve could be a platform pin, which must never become an index pin.
  if (!pinned?.ok && pinned?.failure.kind !== "not-found")
    return { skip: reason("pinned-manifest-unreadable", current, pinned?.failure) };
  const old = pinned.ok ? pinned.value : null;
  if (fresh.kind === "image") return chooseSingleImage(fresh, old, current, found, tagChanges);
  if (old?.kind === "image") {
    if (!isRunnablePlatform(old.platform)) return { skip: reason("pinned-platform-unknown", current) };
    const child = childFor(fresh.children, old.platform);
    if (!child) return { skip: reason("platform-missing", formatPlatform(old.platform)) };
    return same(child.digest, current, tagChanges);
  }
  if (old?.kind === "index") {
    const lost = runnable(old.children).filter((platform) => !childFor(fresh.children, platform));
    if (lost.length > 0) return { skip: reason("platforms-missing", lost.map(formatPlatform).join(", ")) };
    if (!tagChanges && onlyUnusedPlatformsChanged(old.children, fresh.children, usedPlatforms(found, options))) {
      return { none: reason("unused-platforms-changed") };
    }
  }
  return { digest: fresh.digest };
}

/** A tag that now serves one image must still serve every platform the pin or the file used. */
function chooseSingleImage(
  fresh: Extract<Manifest, { kind: "image" }>,
  old: Manifest | null,
  current: string,
  found: FoundReference,
  tagChanges: boolean,
): Choice {
  const served = fresh.platform;
  if (!isRunnablePlatform(served)) return same(fresh.digest, current, tagChanges);
  const pinned =
    old === null ? [] : old.kind === "image" ? [old.platform].filter(isRunnablePlatform) : runnable(old.children);
  const fixed = found.platform ? parsePlatform(found.platform) : null;
  const lost = [...pinned, ...(fixed ? [fixed] : [])].filter((platform) => !samePlatform(platform, served));
  if (lost.length > 0) {
    const names = [...new Set(lost.map(formatPlatform))].join(", ");
    return { skip: reason("single-platform", `${formatPlatform(served)} image, not ${names}`) };
  }
  return same(fresh.digest, current, tagChanges);
}

const same = (digest: string, current: string, tagChanges: boolean): Choice =>
  digest === current && !tagChanges ? { none: null } : { digest };

function runnable(children: readonly IndexChild[]): Platform[] {
  return children.map((child) => child.platform).filter(isRunnablePlatform);
}

function usedPlatforms(found: FoundReference, options: PlanOptions): Platform[] {
  const written = found.platform ? [found.platform] : options.platforms;
  return written.map(parsePlatform).filter((platform): platform is Platform => platform !== null);
}

function onlyUnusedPlatformsChanged(
  old: readonly IndexChild[],
  fresh: readonly IndexChild[],
  used: readonly Platform[],
): boolean {
  if (used.length === 0) return false;
  return used.every((platform) => {
    const before = childFor(old, platform);
    const after = childFor(fresh, platform);
    return before !== undefined && after !== undefined && before.digest === after.digest;
  });
}

function details(manifest: Lookup<Manifest> | undefined): Pick<Decision, "created" | "platforms"> {
  if (!manifest?.ok) return { created: null, platforms: [] };
  const value = manifest.value;
  if (value.kind === "index") return { created: value.created, platforms: runnable(value.children) };
  return { created: value.created, platforms: value.platform ? [value.platform] : [] };
}

function withoutDigest(written: string): string {
  const at = written.indexOf("@");
  return at === -1 ? written : written.slice(0, at);
}
