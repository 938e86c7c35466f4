// Verifies a GitHub App's JWT (RS256) the way GitHub does for /app endpoints.
import { createVerify } from "node:crypto";
import type { App } from "./state.js";

export type JwtCheck = { ok: true; app: App } | { ok: false; message: string };

export function looksLikeJwt(token: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token) && token.startsWith("eyJ");
}

function decodePart(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return value && typeof value === "object" ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function verifyAppJwt(token: string, apps: Map<number, App>, nowSeconds: number): JwtCheck {
  const [headerPart = "", payloadPart = "", signature = ""] = token.split(".");
  const header = decodePart(headerPart);
  const payload = decodePart(payloadPart);
  if (!header || !payload || header.alg !== "RS256")
    return { ok: false, message: "A JSON web token could not be decoded" };
  const app = apps.get(Number(payload.iss));
  if (!app) return { ok: false, message: "Integration not found" };
  const verifier = createVerify("RSA-SHA256");
  verifier.update(`${headerPart}.${payloadPart}`);
  if (!verifier.verify(app.publicKey, Buffer.from(signature, "base64url"))) {
    return { ok: false, message: "A JSON web token could not be decoded" };
  }
  const exp = payload.exp;
  const iat = payload.iat;
  if (typeof exp !== "number" || exp <= nowSeconds) {
    return {
      ok: false,
      message:
        "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires.",
    };
  }
  if (exp > nowSeconds + 600 + 60)
    return { ok: false, message: "'Expiration time' claim ('exp') is too far in the future" };
  if (typeof iat === "number" && iat > nowSeconds + 60)
    return {
      ok: false,
      message: "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued",
    };
  return { ok: true, app };
}
