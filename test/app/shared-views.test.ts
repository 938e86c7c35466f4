import { describe, expect, it } from "vitest";
import { shareViews } from "../../src/app/shared-views.js";
import type { RegistryViews } from "../../src/registry/index.js";

// Which registry views a queued job gets (pure: views stand in as labelled objects).
describe("registry views shared by queued jobs", () => {
  it("a move's fan-out keeps the views that saw it for minutes; later changes get fresh views every 30 s", () => {
    let clock = 0;
    let made = 0;
    const fresh = () => ({ label: `fresh${++made}` }) as unknown as RegistryViews;
    const views = shareViews(fresh, () => clock);
    const saw = { label: "saw the move" } as unknown as RegistryViews;
    clock = 1_000;
    views.adopt(saw);
    // Jobs the move queued (seen before it was adopted), however late their turn comes.
    clock = 8 * 60_000;
    expect(views.current({ seenAt: 900 })).toBe(saw);
    // A change seen after the move: fresh views, shared for 30 s by jobs for changes seen before they
    // were made, then fresh again.
    const later = views.current({ seenAt: 7 * 60_000 });
    expect(later).not.toBe(saw);
    clock += 20_000;
    expect(views.current({ seenAt: 7 * 60_000 + 1 })).toBe(later);
    // A change seen after those views were made never gets them (another replica may have seen a
    // move they still answer with the old digest).
    const newer = views.current({ seenAt: clock });
    expect(newer).not.toBe(later);
    clock += 40_000;
    expect(views.current({ seenAt: 7 * 60_000 })).not.toBe(newer);
    // Past ten minutes the move's answers are asked again.
    clock = 12 * 60_000;
    expect(views.current({ seenAt: 900 })).not.toBe(saw);
  });
});
