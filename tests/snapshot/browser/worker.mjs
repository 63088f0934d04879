import { restoreMachine } from "../../../dist/api.js";

onmessage = async ({ data }) => {
  try {
    const vm = await restoreMachine(new URL(data.snapshot, location.href));
    vm.start();
    const result = await vm.exec(data.run, { timeout: 60_000 });
    const snapshot = await vm.snapshot();
    await vm.stop();
    postMessage({ result, snapshot }, [snapshot.buffer]);
  } catch (e) {
    postMessage({ error: String(e?.stack ?? e) });
  }
};
