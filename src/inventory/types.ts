/** One installed OS package. */
export interface InstalledPackage {
  readonly name: string;
  readonly version: string;
  /** Source package (apk origin `o:`, dpkg `Source:`) when it differs or is given. */
  readonly source?: string;
  /** Version of the source package when dpkg gives one (`Source: gcc-5 (5.1.1-12)`). */
  readonly sourceVersion?: string;
  readonly arch?: string;
}

/** A stanza that could not be read as a package; parsing goes on with the next one. */
export interface DatabaseProblem {
  /** Which file (or layer) the problem was found in, when known. */
  readonly file?: string;
  /** 1-based line where the stanza starts. */
  readonly line?: number;
  readonly message: string;
}

export interface ParsedDatabase {
  readonly packages: InstalledPackage[];
  readonly problems: DatabaseProblem[];
  /** How many stanzas were read; parsing stops once `maxStanzas` were. */
  readonly stanzas: number;
  /** Set when the text has more stanzas than `maxStanzas`: the packages are then incomplete. */
  readonly truncated?: true;
}

export type DatabaseKind = "apk" | "dpkg" | "none";

/** The package inventory of one image, as cached by digest. */
export interface Inventory {
  readonly kind: DatabaseKind;
  readonly packages: InstalledPackage[];
}
