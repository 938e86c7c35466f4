import { z } from "zod";
import { DURATION_PATTERN } from "./duration.js";
import { isValidCron, isValidTimeZone } from "./schedule.js";

/**
 * `.github/repin.yml` (SPEC 7) as one zod schema: the type is inferred from
 * it, defaults are applied on parse, unknown keys are errors, and the
 * published JSON Schema (schema/repin.schema.json) is generated from it.
 */
const strings = (description: string) => z.array(z.string().min(1)).default([]).describe(description);

export const RepinConfigSchema = z
  .strictObject({
    _extends: z
      .string()
      .optional()
      .describe("Probot's config inheritance (`repo` or `owner/repo:path`); resolved by Probot before validation."),
    pin: z
      .boolean()
      .default(false)
      .describe("Also pin references that carry no digest (opens PRs adding `@sha256:…`)."),
    paths: z
      .strictObject({
        include: strings("Extra globs (picomatch, relative to the repository root) of files to scan."),
        exclude: strings("Globs of files never to scan; exclude wins over include."),
      })
      .prefault({})
      .describe("Which files are scanned, beyond the default Dockerfile names."),
    ignore: strings(
      "Image patterns repin leaves alone. A pattern is `name` or `name:tag`; the name is normalized the Docker way " +
        "(`python` = `docker.io/library/python`, `index.docker.io` = `docker.io`) and matched against the full normalized " +
        "name as a glob (`*` = one path part, `**` = any number): `cgr.dev/chainguard/*`. A pattern whose first part is a " +
        "glob matches on any registry (`**/python`). Without `:tag` every tag matches; `python:3.11` matches only tag " +
        "`3.11` and the tag may be a glob too (`python:3.11-*`).",
    ),
    group: z
      .enum(["image", "all"])
      .default("image")
      .describe("`image`: one PR per image and tag; `all`: one PR for everything."),
    labels: strings("Labels added to repin's PRs."),
    reviewers: strings("Users asked to review repin's PRs."),
    teamReviewers: strings("Team slugs asked to review repin's PRs."),
    assignees: strings("Users assigned to repin's PRs."),
    prConcurrentLimit: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe("Most repin PRs open at once in this repository; 0 means no limit."),
    rebuild: z
      .strictObject({
        dispatch: z
          .boolean()
          .default(false)
          .describe("Send a `repository_dispatch` (`repin-base-updated`) when an unpinned base image changes."),
      })
      .prefault({})
      .describe("What to do for references that are not pinned."),
    schedule: z
      .array(z.string().refine(isValidCron, { message: "not a 5-field cron expression" }))
      .default([])
      .describe(
        "When PRs may be opened or updated: 5-field cron expressions (`* 0-6 * * 1-5` = any minute from 00:00 to 06:59, " +
          "Monday to Friday) in `timezone`; a minute matching any of them is open. Empty = any time. Advisories with a fix skip it.",
      ),
    timezone: z
      .string()
      .refine(isValidTimeZone, { message: "not an IANA time zone" })
      .default("UTC")
      .describe("IANA time zone of `schedule`, e.g. `Europe/Berlin`."),
    platforms: z
      .array(z.string().regex(/^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/, "not os/arch[/variant]"))
      .default([])
      .describe(
        "Platforms the repository builds (`linux/amd64`, `linux/arm64/v8`); changes to others are not bumps. Empty = all.",
      ),
    updateTags: z
      .enum(["patch", "minor", "major", "none"])
      .default("patch")
      .describe(
        "Which newer version tags a reference may move to: same major and minor, same major, any, or none (digests only).",
      ),
    registryMap: z
      .record(
        z.string().regex(/^[A-Za-z0-9.-]+(?::[0-9]+)?(?:\/[a-z0-9._-]+)*$/, "not a registry[/path] prefix"),
        z.string().regex(/^[A-Za-z0-9.-]+(?::[0-9]+)?(?:\/[a-z0-9._-]+)*$/, "not a registry[/path] prefix"),
      )
      .default({})
      .describe(
        "Mirror prefix → upstream prefix (`mirror.corp/hub: docker.io`): mirrored references resolve against upstream.",
      ),
    minimumAge: z
      .string()
      .regex(new RegExp(DURATION_PATTERN), "not a duration like 30m, 24h, 3d, 1w")
      .optional()
      .describe("Propose a new digest only once repin has seen it this long (`24h`). Advisories with a fix skip it."),
    dashboard: z.boolean().default(true).describe("Keep a dashboard issue listing what repin tracks and holds back."),
  })
  .describe("repin repository configuration (.github/repin.yml)");

/** The config after parsing: every default filled in. */
export type RepinConfig = z.output<typeof RepinConfigSchema>;
/** The config as a user writes it: every key optional. */
export type RepinConfigInput = z.input<typeof RepinConfigSchema>;
