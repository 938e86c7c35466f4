// Types for scripts/trim-github-openapi.mjs, so tests can call trim() directly.
export interface TrimmedOpenApi {
  openapi: string;
  info: { version?: string };
  operations: Record<string, { method: string; path: string; responses: Record<string, unknown> }>;
  components: { schemas: Record<string, unknown> };
}
export function trim(doc: unknown, operationIds: string[]): TrimmedOpenApi;
