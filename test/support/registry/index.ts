/**
 * Test harness for real registries: `startRegistry` runs distribution 2.8 (none/basic/token
 * auth) on a free loopback port, the push helpers upload images and indexes through the
 * distribution API, and `startFaultProxy` injects 429/5xx/slowness/lying digests in front of it.
 */
export {
  freePort,
  parseAccessLine,
  startRegistry,
  type LoggedRequest,
  type RegistryAuth,
  type StartRegistryOptions,
  type TestRegistry,
} from "./registry.js";
export {
  emptyLayer,
  pushBlob,
  pushImage,
  pushIndex,
  pushManifest,
  pushManifestByDigest,
  sha256,
  type ImageSpec,
  type ManifestFormat,
  type PushTarget,
  type PushedImage,
  type PushedIndex,
  type TestPlatform,
} from "./push.js";
export {
  lyingDigest,
  startFaultProxy,
  type Fault,
  type FaultAction,
  type FaultProxy,
  type FaultProxyOptions,
  type ProxiedRequest,
} from "./faultProxy.js";
export {
  startTokenServer,
  tokenIssuer,
  tokenService,
  type TokenServer,
  type TokenServerOptions,
} from "./tokenServer.js";
export {
  startScriptedServer,
  type ScriptedHandler,
  type ScriptedRequest,
  type ScriptedServer,
} from "./scriptedServer.js";
export { hostileToken, startHostileRegistry, terminalAttack } from "./hostile.js";
export { startSilentServer, type SilentServer } from "./silentServer.js";
export { startEtagProxy, type EtagProxy } from "./etagProxy.js";
