/**
 * A fleet worker as its own process (one "machine"), for the process specs, the demo and the
 * bench. Options come as JSON in FLEET_WORKER_OPTIONS (secrets included: the environment of a
 * test process); telemetry goes as JSON lines to FLEET_EVENTS_FILE when set. Prints "ready"
 * once the worker runs; closes on SIGTERM.
 */
import { appendFileSync } from "node:fs";
import { startFleetWorker, type FleetWorkerOptions } from "../../../lib/fleet/index.js";

const options = JSON.parse(process.env["FLEET_WORKER_OPTIONS"] ?? "{}") as FleetWorkerOptions;
const eventsFile = process.env["FLEET_EVENTS_FILE"];

const started = await startFleetWorker({
  ...options,
  ...(eventsFile !== undefined
    ? { sink: (e) => appendFileSync(eventsFile, `${JSON.stringify(e)}\n`) }
    : {}),
});
if (started.isErr()) {
  process.stderr.write(`worker failed to start: ${JSON.stringify(started.error)}\n`);
  process.exit(2);
}
const worker = started.value;
process.stdout.write("ready\n");
process.on("SIGTERM", () => {
  void worker.close().then(() => process.exit(0));
});
