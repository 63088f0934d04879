// What the page starts from, out of its address: ?kernel=URL&initrd=URL&append=...&memory=512M,
// or ?snapshot=URL. URLs are relative to the page (the worker lives elsewhere).
import type { BootPlan } from "./protocol.js";

export function bootPlanFrom(location: Location): { plan: BootPlan; notes: string[] } {
  const q = new URLSearchParams(location.search);
  const url = (name: string) => {
    const v = q.get(name);
    return v ? new URL(v, location.href).href : undefined;
  };
  const plan: BootPlan = {
    kernel: url("kernel"),
    initrd: url("initrd"),
    append: q.get("append") ?? undefined,
    memory: q.get("memory") ?? undefined,
    snapshot: url("snapshot"),
  };
  const notes: string[] = [];
  if (plan.snapshot && (plan.kernel || plan.initrd || plan.append || plan.memory)) {
    notes.push("?snapshot= starts from the saved machine: kernel, initrd, append and memory only apply to Reset after a power-off or to Add disk.");
  }
  return { plan, notes };
}
