import { describe, expect, it } from "vitest";
import { createRegistry, describeRegistryError, RegistryError, redactUrl } from "../../src/registry/index.js";
import { allowsPlainHttp, apiHost, isLoopbackHost, registryBaseUrl } from "../../src/registry/scheme.js";
import { fetchTransport } from "../../src/registry/transport.js";

describe("which hosts may speak plain HTTP", () => {
  it("allows loopback hosts with any port", () => {
    for (const host of ["localhost", "localhost:5000", "127.0.0.1", "127.12.0.9:443", "[::1]:5000", "::1"])
      expect(isLoopbackHost(host)).toBe(true);
    for (const host of ["127.0.0.1.nip.io", "10.0.0.1:5000", "registry.local", "128.0.0.1"])
      expect(isLoopbackHost(host)).toBe(false);
  });

  it("allows listed insecure registries by host or host:port", () => {
    expect(allowsPlainHttp("registry.corp:5000", ["registry.corp"])).toBe(true);
    expect(allowsPlainHttp("registry.corp:5000", ["registry.corp:5000"])).toBe(true);
    expect(allowsPlainHttp("registry.corp:5001", ["registry.corp:5000"])).toBe(false);
    expect(allowsPlainHttp("other.corp", ["registry.corp"])).toBe(false);
  });

  it("maps Docker Hub to its API host and picks the scheme", () => {
    expect(apiHost("docker.io")).toBe("registry-1.docker.io");
    expect(registryBaseUrl("docker.io", []).href).toBe("https://registry-1.docker.io/");
    expect(registryBaseUrl("127.0.0.1:5000", []).href).toBe("http://127.0.0.1:5000/");
    expect(registryBaseUrl("registry.corp", ["registry.corp"]).href).toBe("http://registry.corp/");
    expect(registryBaseUrl("ghcr.io", []).href).toBe("https://ghcr.io/");
  });

  it("refuses plain HTTP to another host before any request is made", async () => {
    const seen: string[] = [];
    const transport = fetchTransport({
      timeoutMs: 1000,
      insecureRegistries: [],
      onRequest: (info) => seen.push(info.url),
    });
    const err = (await transport({
      method: "GET",
      url: new URL("http://registry.example.com/v2/"),
      maxBytes: 100,
    }).catch((e: unknown) => e)) as RegistryError;
    expect(err).toBeInstanceOf(RegistryError);
    expect(err.kind).toBe("insecure-refused");
    expect(err.retryable).toBe(false);
    expect(seen).toEqual([]);
  });

  it("lets the operator's insecure list through the same check", async () => {
    const transport = fetchTransport({ timeoutMs: 200, insecureRegistries: ["registry.invalid"] });
    const err = (await transport({ method: "GET", url: new URL("http://registry.invalid/v2/"), maxBytes: 100 }).catch(
      (e: unknown) => e,
    )) as RegistryError;
    expect(err.kind).toBe("unavailable");
  });
});

describe("errors never carry secrets", () => {
  it("redacts userinfo and query values other than paging and scope", () => {
    expect(redactUrl("https://user:pw@blob.example/x?X-Amz-Signature=abc&n=5&token=t")).toBe(
      "https://blob.example/x?X-Amz-Signature=REDACTED&n=5&token=REDACTED",
    );
  });

  it("describes a registry error in one line", () => {
    const err = new RegistryError({
      kind: "not-found",
      status: 404,
      message: "404 not-found from ghcr.io for manifest x:1",
      url: "https://u:p@ghcr.io/v2/x/manifests/1",
    });
    expect(describeRegistryError(err)).toBe("404 not-found from ghcr.io for manifest x:1");
    expect(err.url).toBe("https://ghcr.io/v2/x/manifests/1");
    expect(err.name).toBe("RegistryError");
    expect(describeRegistryError(new TypeError("boom"))).toBe("TypeError: boom");
  });

  it("rejects a digest that is not one before asking", async () => {
    let requests = 0;
    const registry = createRegistry({ onRequest: () => requests++ });
    await expect(registry.getManifest({ registry: "ghcr.io", repository: "x" }, "sha256:short")).rejects.toMatchObject({
      kind: "bad-response",
    });
    expect(requests).toBe(0);
  });
});
