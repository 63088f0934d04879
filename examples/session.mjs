// The consumer logic every example shares, whatever the runtime: boot the embedded default
// guest, wait for its shell, run a command, pause and resume, stop. `hartvm` is the
// package's module (imported by the caller, so each runtime may spell the import its way).
export async function session(hartvm, log = () => {}) {
  const started = performance.now();
  const vm = await hartvm.createMachine();
  vm.start();
  await vm.console.waitFor(/root@hartvm.*# $/, { timeout: 120_000 });
  const promptMs = Math.round(performance.now() - started);
  log(`prompt after ${promptMs} ms`);

  const { output, status } = await vm.exec("uname -m");
  log(`uname -m: ${output.trim()} (status ${status})`);

  await vm.pause();
  const paused = vm.stats().instructions;
  await new Promise((r) => setTimeout(r, 50));
  const stillPaused = vm.stats().instructions === paused;
  await vm.resume();
  const after = await vm.exec("echo resumed");

  const { mips } = vm.stats();
  await vm.stop();
  return { machine: output.trim(), status, promptMs, stillPaused, resumed: after.output.trim(), mips: Math.round(mips), finalStatus: vm.status };
}
