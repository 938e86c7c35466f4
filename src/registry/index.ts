/**
 * The registry client (OCI Distribution API): resolve a tag to its top-level digest, read
 * manifests by digest (verified against their bytes), list tags, stream blobs (hashed as they
 * pass, size-capped). Layers stack per file:
 * transport (fetch, timeouts, redirects) → retry → auth (Bearer/Basic) with credentials from
 * Docker's config.json. `memoizeRegistry` gives the one-request-per-reference-per-run view.
 */
export { createRegistry, type RegistryOptions } from "./client.js";
export { cacheDirFromEnv, diskCache, type CachedContent, type CachedTagList, type ContentCache } from "./disk-cache.js";
export { createHostHealth, memoizeRegistry, type HostHealth, type MemoizeOptions } from "./memoize.js";
export {
  appRegistryFromEnv,
  createAppRegistry,
  credentialScopeWarning,
  listFromEnv,
  type AppRegistryOptions,
  type RegistryViews,
} from "./app-registry.js";
export { isInternalAddress, type AddressGuard } from "./address.js";
export type { OpenBlobOptions } from "./blob.js";
export { RegistryError, describeRegistryError, isRegistryError, redactUrl, registryFailureOf } from "./errors.js";
export type { RegistryFailure } from "./errors.js";
export {
  anonymousKeychain,
  dockerConfigKeychain,
  dockerKeychain,
  multiKeychain,
  staticKeychain,
  type Credentials,
  type DockerConfigKeychainOptions,
  type Keychain,
} from "./credentials.js";
export { stripControls } from "./redact.js";
export { allowsPlainHttp, apiHost, isLoopbackHost } from "./scheme.js";
export { manifestAccept, mediaTypes } from "./manifest.js";
export type { RequestInfo } from "./transport.js";
export type * from "./types.js";
