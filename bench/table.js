// The printed form of a bench result (the JSON holds the same figures and more).

const f3 = (x) => (x === null || x === undefined ? "-" : x.toFixed(3));
const ratio = (x) => (x === null || x === undefined ? "-" : x.toFixed(2) + "x");

function line(name, reps, w) {
  return [
    name, reps,
    f3(w.hartvm.median), f3(w.hartvm.min), f3(w.hartvm.max), f3(w.hartvm.cpu?.median),
    f3(w.qemu?.median), f3(w.qemu?.cpu?.median),
    ratio(w.ratio), ratio(w.cpuRatio),
    w.hartvm.mips ? w.hartvm.mips.toFixed(0) : "", w.qemu?.mips ? w.qemu.mips.toFixed(0) : "",
  ];
}

export function printTable(r, log = console.log) {
  const rows = [["workload", "reps", "hartvm s", "min", "max", "CPU s", "qemu s", "CPU s", "wall ratio", "CPU ratio", "MIPS", "MIPS qemu"]];
  for (const w of r.workloads) {
    rows.push(line(w.name, String(w.reps), w));
    for (const p of w.phases ?? []) rows.push(line(`  · ${p.name}`, "", p));
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  for (const row of rows) log(row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ").trimEnd());

  const h = r.hostCost;
  const c = h.wasmCompile;
  log(`\nhost: wasm compile of core.wasm (${(c.bytes / 1024).toFixed(0)} KiB, fresh process): median ${(c.median * 1000).toFixed(1)} ms wall, ${(c.cpu.median * 1000).toFixed(1)} ms CPU`);
  const j = h.jit;
  if (j) {
    const share = (j.translateMs + j.inPlaceMs) / 10 / j.toPrompt;
    log(`host: translation tier on the guest's thread, createMachine() of the default guest to its prompt (${j.reps} fresh processes, medians):` +
      ` translate ${j.translateMs.toFixed(1)} ms + compile in place ${j.inPlaceMs.toFixed(1)} ms = ${share.toFixed(1)}% of ${j.toPrompt.toFixed(2)} s,` +
      ` ${j.regions} regions in ${j.modules} modules; ${(100 * j.compiledShare).toFixed(0)}% of the instructions ran compiled`);
  }
  const m = h.memory;
  if (m) {
    log(`host: memory of the default guest at its prompt, ${m.guestRamMiB} MiB RAM: RSS ${m.rssMiB.toFixed(0)} MiB (peak ${m.peakRssMiB.toFixed(0)}),` +
      ` of which guest memory resident ${m.guestResidentMiB.toFixed(0)} MiB; beyond guest RAM ${m.beyondGuestMiB.toFixed(0)} MiB` +
      ` = a bare Node process ${m.nodeBaselineMiB.toFixed(0)} MiB + hartvm's own ${m.ownMiB.toFixed(0)} MiB`);
  } else log("host: memory not measured (needs /proc)");
  log(`load average ${r.host.load.start.map((x) => x.toFixed(1)).join(" ")} at the start, ${r.host.load.end.map((x) => x.toFixed(1)).join(" ")} at the end`);
  if (r.host.unsetEnv?.length > 0) log(`unset for the workloads: ${r.host.unsetEnv.join(", ")} (bench/environment.js)`);
  if (!r.host.qemu) log("QEMU not installed: no reference figures (apt-get install qemu-system-misc)");
}
