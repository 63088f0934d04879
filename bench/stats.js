// Summaries of repeated measurements, in the shapes bench/README.md documents.

/** { seconds, median, min, max } of a list of seconds. */
export function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { seconds: xs, median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, min: s[0], max: s[s.length - 1] };
}

/** One side of a row: wall-time stats plus CPU-time stats (null when CPU is unknown). */
export function side(samples) {
  const out = stats(samples.map((x) => x.wall));
  out.cpu = samples.every((x) => x.cpu !== null && x.cpu !== undefined) ? stats(samples.map((x) => x.cpu)) : null;
  return out;
}

/** A table row comparing hartvm's samples ({wall, cpu}) with QEMU's (empty: no QEMU). */
export function row(name, kind, hartvmSamples, qemuSamples, extra = {}) {
  const hartvm = side(hartvmSamples);
  const qemu = qemuSamples.length ? side(qemuSamples) : null;
  return {
    name, kind, reps: hartvmSamples.length, ...extra, hartvm, qemu,
    ratio: qemu ? hartvm.median / qemu.median : null,
    cpuRatio: qemu?.cpu && hartvm.cpu ? hartvm.cpu.median / qemu.cpu.median : null,
  };
}

/** Phase rows of one workload from per-run phase lists ([{name, wall, cpu}] in order). */
export function phaseRows(hartvmRuns, qemuRuns) {
  return hartvmRuns[0].map((p, i) => {
    const r = row(p.name, "phase", hartvmRuns.map((run) => run[i]), qemuRuns.map((run) => run[i]));
    delete r.kind;
    delete r.reps;
    return r;
  });
}
