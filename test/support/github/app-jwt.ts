// Signs a GitHub App JWT (RS256) for tests that call /app endpoints directly.
import { createSign, type KeyObject } from "node:crypto";

export function signAppJwt(
  appId: number,
  privateKey: string | KeyObject,
  nowSeconds = Math.floor(Date.now() / 1000),
): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${part({ alg: "RS256", typ: "JWT" })}.${part({ iat: nowSeconds - 30, exp: nowSeconds + 540, iss: appId })}`;
  const signer = createSign("RSA-SHA256");
  signer.update(unsigned);
  return `${unsigned}.${signer.sign(privateKey, "base64url")}`;
}
