import { describe, expect, it } from "vitest";
import { describeReason, reason, type Reason } from "../../src/plan/index.js";
import { RegistryError, registryFailureOf } from "../../src/registry/index.js";

const unavailable = registryFailureOf(
  new RegistryError({
    kind: "unavailable",
    status: 503,
    url: "https://user:secret@ghcr.io/v2/acme/base/manifests/1?token=abc",
    message: "503 unavailable from ghcr.io for manifest acme/base:1",
  }),
);

describe("typed reasons", () => {
  it("keeps a registry failure's host and whether retrying can help, without credentials", () => {
    expect(unavailable).toEqual({
      kind: "unavailable",
      message: "503 unavailable from ghcr.io for manifest acme/base:1",
      host: "ghcr.io",
      status: 503,
      retryable: true,
    });
    expect(registryFailureOf(new TypeError("boom"))).toMatchObject({ kind: "other", host: null, retryable: false });
  });

  it("renders each code as one sentence, a note after the main reason", () => {
    const why: Reason = { ...reason("pin-not-extendable"), note: reason("tag-list-failed", "", unavailable) };
    expect(describeReason(why)).toBe(
      "cannot pin: the tag is not written in one place repin can extend; " +
        "tag update skipped: 503 unavailable from ghcr.io for manifest acme/base:1",
    );
    expect(describeReason(reason("manifest-unreadable", "sha256:ab"))).toBe(
      "could not read the manifest of sha256:ab: not fetched",
    );
  });
});
