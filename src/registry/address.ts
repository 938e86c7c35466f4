import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP } from "node:net";

/**
 * Addresses that repository content must not make the App reach (SPEC 10): loopback, link-local,
 * private, unique-local, "this network", shared (CGNAT), multicast and reserved ranges. IPv6 forms
 * that carry an IPv4 address (mapped, NAT64, 6to4) are judged by that address.
 */
const internal = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  internal.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 96],
  ["fc00::", 7],
  ["fe80::", 10],
  ["fec0::", 10],
  ["ff00::", 8],
] as const) {
  internal.addSubnet(network, prefix, "ipv6");
}

/** Whether `address` (an IPv4 or IPv6 literal) is one repository content may not reach; anything unparsable is. */
export function isInternalAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "").split("%")[0]!;
  const family = isIP(bare);
  if (family === 4) return internal.check(bare, "ipv4");
  if (family !== 6) return true;
  const embedded = embeddedIpv4(bare);
  if (embedded) return internal.check(embedded, "ipv4");
  return internal.check(bare, "ipv6");
}

/** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d), NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address. */
function embeddedIpv4(address: string): string | null {
  const groups = expandIpv6(address);
  if (!groups) return null;
  const v4 = (high: number, low: number): string => `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  const zeros = (from: number, to: number): boolean => groups.slice(from, to).every((g) => g === 0);
  if (zeros(0, 5) && groups[5] === 0xffff) return v4(groups[6]!, groups[7]!);
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6)) return v4(groups[6]!, groups[7]!);
  if (groups[0] === 0x2002) return v4(groups[1]!, groups[2]!);
  return null;
}

/** Eight 16-bit groups of an IPv6 literal (a dotted IPv4 tail included), or null. */
function expandIpv6(address: string): number[] | null {
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const bytes = dotted[1]!.split(".").map(Number);
    text = `${text.slice(0, -dotted[1]!.length)}${((bytes[0]! << 8) | bytes[1]!).toString(16)}:${((bytes[2]! << 8) | bytes[3]!).toString(16)}`;
  }
  const [head, tail] = text.split("::") as [string, string | undefined];
  const part = (s: string | undefined): number[] => (s ? s.split(":").map((g) => parseInt(g, 16)) : []);
  const left = part(head);
  const right = part(tail);
  const missing = 8 - left.length - right.length;
  if (missing < 0 || (tail === undefined && missing !== 0)) return null;
  const groups = [...left, ...Array<number>(tail === undefined ? 0 : missing).fill(0), ...right];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

/** What an App's registry traffic may reach: public addresses, and the hosts the operator listed. */
export interface AddressGuard {
  /** `host` or `host:port` entries (REPIN_PRIVATE_REGISTRIES) that may be internal. */
  readonly privateRegistries: readonly string[];
  /** DNS lookup used before the check; default Node's (tests give another, so they never connect elsewhere). */
  readonly lookup?: typeof dnsLookup;
}

/** Whether the operator listed `host` (`name:port` as in a URL): an entry without a port covers every port. */
export function isListedHost(host: string, entries: readonly string[]): boolean {
  const lower = host.toLowerCase();
  const hostname = lower.startsWith("[") ? lower.slice(0, lower.indexOf("]") + 1) : lower.split(":")[0]!;
  return entries.some((entry) => {
    const wanted = entry.trim().toLowerCase();
    return wanted === lower || wanted === hostname;
  });
}

/** Raised by the checked lookup (or for an address literal) before any connection is made. */
export class InternalAddressError extends Error {
  override readonly name = "InternalAddressError";
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(`${host} resolves to ${address}, an internal address`);
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for `http.request` / `net.connect` that resolves as usual, then refuses when any
 * resolved address is internal: the check is on what the socket would connect to, so a name
 * that points (or re-points) at an internal address is refused too.
 */
export function checkedLookup(resolve: typeof dnsLookup = dnsLookup) {
  return (hostname: string, options: { all?: boolean; family?: number | string }, callback: LookupCallback): void => {
    resolve(
      hostname,
      { ...options, all: true } as never,
      ((error: NodeJS.ErrnoException | null, found: unknown) => {
        if (error) return callback(error, options.all ? [] : "", 0);
        const addresses = (Array.isArray(found) ? found : []) as LookupAddress[];
        const refused = addresses.find((entry) => isInternalAddress(entry.address));
        if (refused || addresses.length === 0) {
          const failure = new InternalAddressError(
            hostname,
            refused?.address ?? "no address",
          ) as Error as NodeJS.ErrnoException;
          return callback(failure, options.all ? [] : "", 0);
        }
        if (options.all) return callback(null, addresses);
        callback(null, addresses[0]!.address, addresses[0]!.family);
      }) as never,
    );
  };
}
