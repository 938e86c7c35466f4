/**
 * The Octokit the repin process gives Probot (main.ts): Probot's, with plugin-throttling's
 * in-process write spacing (1 s per write, 3 s per notifying write, per installation and process)
 * passed through, because repin paces writes itself through the store, across replicas
 * (pacing.ts). Throttling's rate-limit handling (wait for the reset, retry) stays as Probot sets it.
 */
import { ProbotOctokit } from "probot";

/** A stand-in for a Bottleneck group whose jobs run at once: `group.key(id).schedule(options, task)`. */
const passThrough = {
  key: () => ({
    schedule: <A extends unknown[], R>(_options: unknown, task: (...args: A) => R, ...args: A): Promise<Awaited<R>> =>
      Promise.resolve(task(...args)),
  }),
};

export const RepinOctokit = ProbotOctokit.defaults((instance: Record<string, unknown>) => ({
  ...instance,
  throttle: { ...(instance.throttle as object), write: passThrough, notifications: passThrough },
}));
