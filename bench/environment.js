// The environment the workloads run in. Node reads NODE_EXTRA_CA_CERTS at every start,
// before any script (with Debian's 140 KiB bundle: +40 ms wall and +40-70 ms CPU a process
// here), and no workload makes a TLS connection: a shell that sets it for other tools would
// charge every hartvm row for it and no QEMU row. The bench unsets it for its children and
// records that it did (JSON host.unsetEnv, a line under the table).
const NOT_FOR_WORKLOADS = ["NODE_EXTRA_CA_CERTS"];

/** Removes from this process's environment, inherited by every workload, what they must not pay for; returns the names removed. */
export function clearWorkloadEnvironment() {
  const present = NOT_FOR_WORKLOADS.filter((name) => process.env[name] !== undefined);
  for (const name of present) delete process.env[name];
  return present;
}
