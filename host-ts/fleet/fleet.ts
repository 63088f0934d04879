// createFleet: many short-lived guests, each job in a fresh guest restored from one snapshot
// (docs/FLEET.md). This module is portable; the worker threads that run the guests are
// Node's (node-pool.ts), loaded only when a fleet starts.
import { HartvmError } from "../errors.js";
import { runtime } from "../platform/runtime.js";
import { makeJobSnapshot } from "./job-snapshot.js";
import { checkFleetOptions } from "./jobs.js";
import type { Fleet, FleetOptions } from "./types.js";

export const DEFAULT_PROMPT = /[#$] $/;
/**
 * `jitThreshold`: the guests of a fleet run the same code job after job, and what one guest
 * compiles every later guest of its worker starts with (its lineage), so code is worth
 * compiling at a few hundred visits in one job instead of a machine's thousands: the fixed job
 * interprets 0.95 M instructions instead of 2.0 M and takes about 5% less CPU.
 */
export const FLEET_DEFAULTS = { guestsPerWorker: 4, timeout: 60_000, outputLimit: 1 << 20, cpuShare: 1, bootTimeout: 300_000, jitThreshold: 300 } as const;

/**
 * Starts a fleet: boots the guest once (or takes the snapshot given), snapshots it at its
 * shell prompt, and starts the worker threads that run jobs in guests restored from it.
 */
export async function createFleet(options: FleetOptions = {}): Promise<Fleet> {
  checkFleetOptions(options);
  if (runtime !== "node") throw new HartvmError("invalid-config", "fleets run guests in Node's worker threads; elsewhere, run machines under a CpuScheduler yourself");
  const g = options.perGuest ?? {};
  const snapshot = await makeJobSnapshot({
    guest: options.guest,
    snapshot: options.snapshot,
    prompt: options.prompt ?? DEFAULT_PROMPT,
    memory: g.memory,
    harts: g.harts,
    bootTimeout: options.bootTimeout ?? FLEET_DEFAULTS.bootTimeout,
  });
  const { startNodeFleet } = await import("./node-pool.js");
  return startNodeFleet(snapshot, options);
}
