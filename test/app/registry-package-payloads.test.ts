import { describe, expect, it } from "vitest";
import { webhookValidator } from "../support/github/webhook-schema.js";
import { packagePublished, packageUpdated } from "./support/packages.js";

// The registry_package payloads the App tests deliver, checked at run time against GitHub's webhook
// schema (@octokit/openapi-webhooks-types, read by the TypeScript checker), like the simulator's
// responses are checked against GitHub's OpenAPI description.
const PUBLISHED = "webhook-registry-package-published";
const UPDATED = "webhook-registry-package-updated";
const violations = webhookValidator([PUBLISHED, UPDATED]);
const digest = `sha256:${"a".repeat(64)}`;
const spec = { owner: "acme", name: "base", tag: "1.2.3", digest, installationId: 1 };

describe("registry_package payloads fit GitHub's webhook schema", () => {
  it.each([
    ["published, container, tagged", PUBLISHED, packagePublished(spec)],
    ["published, by digest", PUBLISHED, packagePublished({ ...spec, tag: "" })],
    ["published, npm", PUBLISHED, packagePublished({ ...spec, packageType: "npm" })],
    ["published, no installation", PUBLISHED, packagePublished({ ...spec, installationId: undefined })],
    ["updated, container, tagged", UPDATED, packageUpdated(spec)],
  ])("%s", (_, name, payload) => {
    expect(violations(name, payload)).toEqual([]);
  });

  it("the check catches a payload that breaks the schema", () => {
    const broken = structuredClone(packagePublished(spec)) as unknown as Record<string, Record<string, unknown>>;
    delete broken.registry_package!.owner;
    broken.registry_package!.package_type = 7;
    expect(violations(PUBLISHED, broken)).toEqual([
      "/registry_package must have required property 'owner'",
      "/registry_package/package_type must be string",
    ]);
    expect(violations(UPDATED, packagePublished(spec))).toContain("/action must be equal to constant");
  });
});
