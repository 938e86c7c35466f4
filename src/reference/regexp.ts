/**
 * The grammar of distribution/reference (regexp.go), transcribed. Go's RE2 and
 * JavaScript agree on leftmost-first submatches for these patterns.
 */
const alphanumeric = "[a-z0-9]+";
const separator = "(?:[._]|__|[-]+)";
const domainNameComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const optionalPort = "(?::[0-9]+)?";
const ipv6address = "\\[(?:[a-fA-F0-9:]+)\\]";
const domainName = `${domainNameComponent}(?:\\.${domainNameComponent})*`;
const host = `(?:${domainName}|${ipv6address})`;
const domainAndPort = `${host}${optionalPort}`;
const tag = "[\\w][\\w.-]{0,127}";
const digestPat = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9A-Fa-f]{32,}";
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const remoteName = `${pathComponent}(?:/${pathComponent})*`;
const namePat = `(?:${domainAndPort}/)?${remoteName}`;

/** Full match of a registry host with optional port. */
export const anchoredDomainRegexp = new RegExp(`^${domainAndPort}$`);
/** Groups: [1] domain (may be undefined), [2] remote name. */
export const anchoredNameRegexp = new RegExp(`^(?:(${domainAndPort})/)?(${remoteName})$`);
/** Groups: [1] name, [2] tag, [3] digest. */
export const referenceRegexp = new RegExp(`^(${namePat})(?::(${tag}))?(?:@(${digestPat}))?$`);
export const anchoredTagRegexp = new RegExp(`^${tag}$`);
export const anchoredDigestRegexp = new RegExp(`^${digestPat}$`);
/** A bare image ID: 64 lowercase hex characters. */
export const anchoredIdentifierRegexp = /^[a-f0-9]{64}$/;
