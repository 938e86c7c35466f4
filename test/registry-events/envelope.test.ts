import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseEnvelope, type TagHint } from "../../src/registry-events/index.js";

/** Envelopes docker-registry 2.8 sent to a listener (test/support/registry `notify`), verbatim. */
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
const manifestPush = JSON.parse(fixture("manifest-push.v1.json")).events[0] as Record<string, any>;

/** The real manifest push event with some fields replaced (undefined drops a field). */
function event(change: { action?: string; target?: Record<string, unknown>; request?: Record<string, unknown> }) {
  const drop = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return {
    ...manifestPush,
    ...(change.action && { action: change.action }),
    target: drop({ ...manifestPush.target, ...change.target }),
    request: drop({ ...manifestPush.request, ...change.request }),
  };
}
const envelope = (...events: unknown[]) => JSON.stringify({ events });
const app: TagHint = { registry: "127.0.0.1:36875", repository: "team/app", tag: "1.0" };

describe("parseEnvelope: which events are tag hints", () => {
  it.each<[string, string, TagHint[]]>([
    ["a manifest push (docker-registry 2.8, verbatim)", fixture("manifest-push.v1.json"), [app]],
    [
      "an index push (verbatim)",
      fixture("index-push.v1.json"),
      [{ registry: "127.0.0.1:36875", repository: "team/multi", tag: "2.0" }],
    ],
    ["a blob push (verbatim)", fixture("blob-push.v1.json"), []],
    ["a manifest pull with a tag (verbatim)", fixture("manifest-pull.v1.json"), []],
    ["a delete", envelope(event({ action: "delete" })), []],
    ["a mount", envelope(event({ action: "mount" })), []],
    ["a manifest pushed by digest (no tag)", envelope(event({ target: { tag: undefined } })), []],
    ["a push with an empty tag", envelope(event({ target: { tag: "" } })), []],
    [
      "a push of a blob media type that names a tag",
      envelope(event({ target: { mediaType: "application/vnd.oci.image.layer.v1.tar+gzip" } })),
      [],
    ],
    ["a push with no media type", envelope(event({ target: { mediaType: undefined } })), []],
    [
      "a Docker schema 2 manifest",
      envelope(event({ target: { mediaType: "application/vnd.docker.distribution.manifest.v2+json" } })),
      [app],
    ],
    [
      "a Docker manifest list",
      envelope(event({ target: { mediaType: "application/vnd.docker.distribution.manifest.list.v2+json" } })),
      [app],
    ],
    [
      "the host of target.url wins over request.host",
      envelope(event({ target: { url: "https://registry.example.com/v2/team/app/manifests/1.0" } })),
      [{ ...app, registry: "registry.example.com" }],
    ],
    ["request.host when there is no target.url", envelope(event({ target: { url: undefined } })), [app]],
    [
      "request.host when target.url is not an http(s) URL",
      envelope(event({ target: { url: "ftp://elsewhere.example/x" } })),
      [app],
    ],
    [
      "Docker Hub's API host is docker.io, and official images keep library/",
      envelope(
        event({
          target: { url: "https://registry-1.docker.io/v2/library/python/manifests/x", repository: "library/python" },
        }),
      ),
      [{ registry: "docker.io", repository: "library/python", tag: "1.0" }],
    ],
    [
      "an uppercase host is lowercased",
      envelope(event({ target: { url: undefined }, request: { host: "Reg.Example.COM" } })),
      [{ ...app, registry: "reg.example.com" }],
    ],
    [
      "a host no reference could name as a registry (no dot, no port)",
      envelope(event({ target: { url: undefined }, request: { host: "registry" } })),
      [],
    ],
    ["no host at all", envelope(event({ target: { url: undefined }, request: { host: undefined } })), []],
    ["an invalid tag", envelope(event({ target: { tag: "-nope" } })), []],
    ["an uppercase repository", envelope(event({ target: { repository: "Team/App" } })), []],
    ["a repository that is not a string", envelope(event({ target: { repository: 42 } })), []],
    ["a target that is not an object", envelope({ ...manifestPush, target: "team/app:1.0" }), []],
    ["the same tag twice in one envelope", envelope(event({}), event({})), [app]],
    ["two tags in one envelope", envelope(event({}), event({ target: { tag: "1.1" } })), [app, { ...app, tag: "1.1" }]],
    ["an empty envelope", envelope(), []],
  ])("%s", (_, body, hints) => {
    expect(parseEnvelope(body)).toEqual({ ok: true, hints, events: JSON.parse(body).events.length });
  });
});

describe("parseEnvelope: malformed bodies", () => {
  it.each([
    ["not JSON", "{events:", "the body is not JSON"],
    ["empty", "", "the body is not JSON"],
    ["a JSON array", "[]", 'the body is not an envelope: no "events" array'],
    ["no events", "{}", 'the body is not an envelope: no "events" array'],
    ["events not an array", '{"events":{}}', 'the body is not an envelope: no "events" array'],
    ["an event that is not an object", '{"events":[{}, 3]}', "event 1 is not an object"],
  ])("%s", (_, body, reason) => {
    expect(parseEnvelope(body)).toEqual({ ok: false, reason });
  });
});
