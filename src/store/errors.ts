/** The store cannot be used: a file that is not a database, locked by another process, or not writable. */
export class StoreError extends Error {
  override readonly name = "StoreError";
}
