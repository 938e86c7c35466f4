// registry_package webhook payloads. @octokit/webhooks-examples has no sample of this event, so
// these are built from its schema in @octokit/openapi-webhooks-types: `satisfies` makes tsc (part
// of `npm test`) check every payload against it (required fields, their types, no unknown field),
// and registry-package-payloads.test.ts validates them again at run time with ajv.
import type { components } from "@octokit/openapi-webhooks-types";

type Schemas = components["schemas"];
export type PackagePublished = Schemas["webhook-registry-package-published"];
export type PackageUpdated = Schemas["webhook-registry-package-updated"];

export function user(login: string, id: number, type: "User" | "Organization" = "User") {
  const api = `https://api.github.com/users/${login}`;
  return {
    login,
    id,
    node_id: `U_${id}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: "",
    url: api,
    html_url: `https://github.com/${login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type,
    site_admin: false,
  } satisfies Schemas["simple-user"];
}

export interface PackageVersionSpec {
  readonly owner: string;
  readonly name: string;
  /** The tag the version was pushed with; "" for a version pushed by digest. */
  readonly tag: string;
  readonly digest: string;
  readonly installationId?: number;
  /** GitHub's package_type: CONTAINER for ghcr.io; npm, maven, … for the others. */
  readonly packageType?: string;
}

/** `registry_package.published` as GitHub sends it for a container version pushed to ghcr.io. */
export function packagePublished(spec: PackageVersionSpec): PackagePublished {
  const type = spec.packageType ?? "CONTAINER";
  const owner = user(spec.owner, 7001, "Organization");
  const at = "2026-11-29T20:00:00Z";
  const pull = `ghcr.io/${spec.owner}/${spec.name}${spec.tag ? `:${spec.tag}` : `@${spec.digest}`}`;
  return {
    action: "published",
    ...(spec.installationId !== undefined && { installation: { id: spec.installationId, node_id: "I_1" } }),
    registry_package: {
      id: 81001,
      name: spec.name,
      namespace: spec.owner,
      description: null,
      ecosystem: type,
      package_type: type,
      html_url: `https://github.com/orgs/${spec.owner}/packages/${type.toLowerCase()}/package/${spec.name}`,
      created_at: at,
      updated_at: at,
      owner,
      package_version: {
        id: 92001,
        version: spec.digest,
        name: spec.digest,
        description: "",
        summary: "",
        body: "",
        body_html: "",
        html_url: `https://github.com/orgs/${spec.owner}/packages/${type.toLowerCase()}/${spec.name}/92001`,
        created_at: at,
        updated_at: at,
        metadata: [],
        container_metadata: { tag: { name: spec.tag, digest: spec.digest }, labels: null, manifest: null },
        package_files: [],
        installation_command: `docker pull ${pull}`,
        package_url: pull,
        author: user("builder", 7002),
      },
      registry: {
        about_url:
          "https://docs.github.com/packages/working-with-a-github-packages-registry/working-with-the-container-registry",
        name: "GitHub CONTAINER registry",
        type,
        url: `https://ghcr.io/${spec.owner}`,
        vendor: "GitHub Inc",
      },
    },
    sender: user("builder", 7002),
  } satisfies PackagePublished;
}

/** `registry_package.updated`: GitHub's older shape, tags in docker_metadata. */
export function packageUpdated(spec: PackageVersionSpec): PackageUpdated {
  const published = packagePublished(spec);
  const pkg = published.registry_package;
  const version = pkg.package_version!;
  const at = "2026-11-29T20:05:00Z";
  return {
    action: "updated",
    ...(published.installation && { installation: published.installation }),
    registry_package: {
      id: pkg.id,
      name: pkg.name,
      namespace: pkg.namespace,
      description: null,
      ecosystem: pkg.ecosystem,
      package_type: pkg.package_type,
      html_url: pkg.html_url,
      created_at: at,
      updated_at: at,
      owner: pkg.owner,
      package_version: {
        id: version.id,
        version: version.version,
        name: version.name,
        description: "",
        summary: "",
        body: "",
        body_html: "",
        html_url: version.html_url,
        created_at: at,
        updated_at: at,
        metadata: [],
        docker_metadata: [{ tags: spec.tag ? [spec.tag] : [] }],
        package_files: [],
        installation_command: version.installation_command,
        package_url: version.package_url,
        author: user("builder", 7002),
        target_commitish: "main",
        target_oid: "0".repeat(40),
      },
      // The schema of `updated` allows only an empty object or null here.
      registry: null,
    },
    sender: user("builder", 7002),
  } satisfies PackageUpdated;
}
