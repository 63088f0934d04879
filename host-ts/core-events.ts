// The profile core build's event counts (core-as/events.ts: what each one counts), named
// in the core's order. Other builds count nothing.

export const CORE_EVENT_NAMES = [
  "interpreted", "walks", "walks4k", "walksSuperpage", "walksFetch", "walksLoad", "walksStore",
  "tlbFlushes", "tlbClears", "tlbPageFlushes", "writeTlbDrops", "decodes", "secondWayHits",
  "exceptions", "interrupts", "regionEntries", "regionLeft", "mapProbes", "mmio", "misaligned",
  "regionChained",
] as const;

export type CoreEventName = (typeof CORE_EVENT_NAMES)[number];
/** What the core did so far, by kind of event (the profile core build only). */
export type CoreEvents = Record<CoreEventName, number>;

interface EventExports {
  coreEventKinds?: () => number;
  coreEventCount?: (kind: number) => number;
}

/** A core instance's event counts, or null when its build counts none. */
export function readCoreEvents(x: EventExports): CoreEvents | null {
  const kinds = x.coreEventKinds?.() ?? 0;
  if (kinds === 0 || !x.coreEventCount) return null;
  if (kinds !== CORE_EVENT_NAMES.length) throw new Error(`core.wasm counts ${kinds} kinds of event, this host knows ${CORE_EVENT_NAMES.length}`);
  const count = x.coreEventCount;
  return Object.fromEntries(CORE_EVENT_NAMES.map((name, i) => [name, count(i)])) as CoreEvents;
}
