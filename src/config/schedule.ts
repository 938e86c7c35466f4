/**
 * `schedule`: a list of 5-field cron expressions (minute hour day-of-month
 * month day-of-week). PRs may be opened or updated only during a minute that
 * matches one of them, in `timezone` (default UTC). An empty list means any
 * time. Fields take `*`, numbers, `a-b` ranges, `/step`, `,` lists, and month
 * and day names (`jan`, `mon`); day-of-week 0 and 7 are Sunday. As in Vixie
 * cron, when both day fields are restricted a day matching either one counts.
 * Renovate's English schedules ("before 6am") are not supported.
 */
interface Field {
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const FIELDS: readonly Field[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] },
  { min: 0, max: 7, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] },
];

/** One parsed expression: the allowed values of each field, and whether the day fields were `*`. */
interface Cron {
  readonly sets: readonly ReadonlySet<number>[];
  readonly domAny: boolean;
  readonly dowAny: boolean;
}

function value(text: string, field: Field): number | null {
  const named = field.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named !== -1) return named + (field.names?.length === 12 ? 1 : 0);
  if (!/^\d+$/.test(text)) return null;
  const n = Number(text);
  return n >= field.min && n <= field.max ? n : null;
}

function parseField(text: string, field: Field): Set<number> | null {
  const set = new Set<number>();
  for (const item of text.split(",")) {
    const [range = "", stepText, extra] = item.split("/");
    if (extra !== undefined) return null;
    const step = stepText === undefined ? 1 : /^\d+$/.test(stepText) ? Number(stepText) : 0;
    if (step < 1) return null;
    let lo = field.min;
    let hi = field.max;
    if (range !== "*") {
      const [a = "", b, more] = range.split("-");
      const from = value(a, field);
      const to = b === undefined ? (stepText === undefined ? from : field.max) : value(b, field);
      if (more !== undefined || from === null || to === null || to < from) return null;
      [lo, hi] = [from, to];
    }
    for (let n = lo; n <= hi; n += step) set.add(n);
  }
  return set;
}

function parseCron(expression: string): Cron | null {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== FIELDS.length) return null;
  const sets: Set<number>[] = [];
  for (const [i, field] of FIELDS.entries()) {
    const set = parseField(parts[i] ?? "", field);
    if (!set) return null;
    sets.push(set);
  }
  const dow = sets[4];
  if (dow?.has(7)) dow.add(0);
  return { sets, domAny: parts[2] === "*", dowAny: parts[4] === "*" };
}

/** Whether the text is a 5-field cron expression this module understands. */
export function isValidCron(expression: string): boolean {
  return parseCron(expression) !== null;
}

/** Whether the text names a time zone this Node knows (IANA names and `UTC`). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** The wall-clock minute, hour, day, month and weekday of `date` in `timeZone`. */
function wallClock(date: Date, timeZone: string): number[] {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    minute: "numeric",
    hour: "numeric",
    day: "numeric",
    month: "numeric",
    weekday: "short",
  }).formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? "";
  return [
    Number(get("minute")),
    Number(get("hour")),
    Number(get("day")),
    Number(get("month")),
    WEEKDAYS.indexOf(get("weekday")),
  ];
}

function matches(cron: Cron, clock: readonly number[]): boolean {
  const hit = (i: number): boolean => cron.sets[i]?.has(clock[i] ?? -1) ?? false;
  if (!hit(0) || !hit(1) || !hit(3)) return false;
  if (cron.domAny || cron.dowAny) return hit(2) && hit(4);
  return hit(2) || hit(4);
}

/**
 * Whether `date` falls in the schedule. An empty schedule is always open; an
 * invalid expression or time zone (the config schema rejects both) never matches.
 */
export function isWithinSchedule(schedule: readonly string[], date: Date, timeZone = "UTC"): boolean {
  if (schedule.length === 0) return true;
  if (!isValidTimeZone(timeZone)) return false;
  const clock = wallClock(date, timeZone);
  return schedule.some((expression) => {
    const cron = parseCron(expression);
    return cron !== null && matches(cron, clock);
  });
}
