import { describe, expect, it } from "vitest";
import { parseNextLink, parseRetryAfter, parseWwwAuthenticate } from "../../src/registry/headers.js";

describe("parseWwwAuthenticate", () => {
  it("reads Docker Hub's Bearer challenge", () => {
    expect(
      parseWwwAuthenticate(
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/python:pull"',
      ),
    ).toEqual({
      scheme: "bearer",
      realm: "https://auth.docker.io/token",
      service: "registry.docker.io",
      scope: "repository:library/python:pull",
    });
  });

  it("accepts any case, spaces, bare values and escaped quotes", () => {
    expect(parseWwwAuthenticate('bearer  realm = "https://r/t?a=\\"b\\"" , service=svc')).toEqual({
      scheme: "bearer",
      realm: 'https://r/t?a="b"',
      service: "svc",
      scope: null,
    });
  });

  it("reads Basic, and prefers Bearer when both are offered", () => {
    expect(parseWwwAuthenticate('Basic realm="Registry Realm"')).toEqual({ scheme: "basic", realm: "Registry Realm" });
    expect(parseWwwAuthenticate('Basic realm="x", Bearer realm="https://t/token",service="s"')).toMatchObject({
      scheme: "bearer",
      realm: "https://t/token",
    });
  });

  it("returns null for missing, unknown or realm-less Bearer challenges", () => {
    expect(parseWwwAuthenticate(null)).toBeNull();
    expect(parseWwwAuthenticate("Negotiate abc")).toBeNull();
    expect(parseWwwAuthenticate('Bearer service="s"')).toBeNull();
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2024-05-01T12:00:00Z");
  it("reads delta-seconds and HTTP dates", () => {
    expect(parseRetryAfter("7", now)).toBe(7000);
    expect(parseRetryAfter("Wed, 01 May 2024 12:00:30 GMT", now)).toBe(30_000);
  });
  it("never goes negative and ignores garbage", () => {
    expect(parseRetryAfter("Wed, 01 May 2024 11:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter("-3", now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });
});

describe("parseNextLink", () => {
  it("finds the next page, relative or absolute, among other relations", () => {
    expect(parseNextLink('</v2/x/tags/list?n=50&last=b>; rel="next"')).toBe("/v2/x/tags/list?n=50&last=b");
    expect(
      parseNextLink('<https://r/v2/x/tags/list?last=a>; rel="prev", <https://r/v2/x/tags/list?last=z>; rel=next'),
    ).toBe("https://r/v2/x/tags/list?last=z");
    expect(parseNextLink('</a>; rel="prev next"')).toBe("/a");
  });
  it("returns null when there is no next page", () => {
    expect(parseNextLink(null)).toBeNull();
    expect(parseNextLink('</v2/x/tags/list?last=a>; rel="prev"')).toBeNull();
    expect(parseNextLink('</v2/x/tags/list?last=a>; rel="nextpage"')).toBeNull();
  });
});
