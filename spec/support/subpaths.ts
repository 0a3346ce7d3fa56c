/** The public surface, by subpath of package.json's "exports": each entry point's module. */
import * as advanced from "../../lib/advanced/index.js";
import * as appServer from "../../lib/app-server/index.js";
import * as codecs from "../../lib/codecs/index.js";
import * as fleet from "../../lib/fleet/index.js";
import * as root from "../../lib/index.js";
import * as otel from "../../lib/otel/index.js";
import * as sessions from "../../lib/sessions/index.js";
import * as testing from "../../lib/testing/index.js";

/** Each subpath of package.json's "exports" and what it exports. */
export const SUBPATHS: Record<string, Record<string, unknown>> = {
  ".": root,
  "./codecs": codecs,
  "./sessions": sessions,
  "./app-server": appServer,
  "./advanced": advanced,
  "./testing": testing,
  "./otel": otel,
  "./fleet": fleet,
};
