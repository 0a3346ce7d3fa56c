/**
 * Helpers of the packed-tarball spec (spec/package/pack.spec.ts): child processes run as a
 * consumer project would run them, and the optional peers copied into that project from this
 * repository's node_modules (the test runs offline: they need not be in the npm cache).
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";

/** What a child process did. */
export interface Ran {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The environment for child npm and node: ours, without what a parent `npm test` exported
 * about this package (so a child npm sees the temp project, not this one).
 */
const childEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!/^(npm_package_|npm_lifecycle_|npm_config_local_prefix$|INIT_CWD$)/.test(k)) env[k] = v;
  return { ...env, npm_config_update_notifier: "false", NODE_ENV: "production" };
};

/** Runs `command` in `cwd` (killed after `timeoutMs`, default: never). */
export const run = (
  command: string,
  args: readonly string[],
  cwd: string,
  timeoutMs?: number,
): Ran => {
  const r = spawnSync(command, args, {
    cwd,
    env: childEnv(),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    ...(timeoutMs === undefined ? {} : { timeout: timeoutMs }),
  });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? String(r.error ?? "") };
};

/** The stdout of a run that must have succeeded; else an error with what it printed. */
export const ok = (r: Ran, what: string): string => {
  if (r.status !== 0)
    throw new Error(`${what} failed (${r.status}):\n${r.stdout}\n${r.stderr}`.slice(0, 8000));
  return r.stdout;
};

/** Writes `source` to `name` in `project` and runs it with this node. */
export const nodeScript = (
  project: string,
  name: string,
  source: string,
  timeoutMs?: number,
): Ran => {
  writeFileSync(join(project, name), source);
  return run(process.execPath, [name], project, timeoutMs);
};

/** What `npm pack --json` says of the tarball. */
export interface PackResult {
  readonly filename: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: readonly { readonly path: string; readonly size: number }[];
}

/** Packs `root` into `dest` (`npm pack` runs `prepare`, which builds dist/ from scratch). */
export const pack = (root: string, dest: string): PackResult => {
  const out = ok(run("npm", ["pack", "--json", "--pack-destination", dest], root), "npm pack");
  const first = (JSON.parse(out.slice(out.indexOf("["))) as PackResult[])[0];
  if (first === undefined) throw new Error(`npm pack printed no result:\n${out}`);
  return first;
};

interface Manifest {
  readonly version: string;
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
}
const manifest = (dir: string): Manifest =>
  JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;

/** The version of `pkg` installed in `root`'s node_modules. */
export const version = (root: string, pkg: string): string =>
  manifest(join(root, "node_modules", pkg)).version;

/** Every file under `dir`, recursively. */
export const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );

/** Where Node finds `name` from `from` (a package dir under `root`), or null. */
const resolveFrom = (root: string, from: string, name: string): string | null => {
  for (let d = from; ; d = dirname(d)) {
    const candidate = join(d, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (d === root || !d.startsWith(root)) return null;
  }
};

/**
 * Copies `names` and every package they need (dependencies, and the optional and peer ones
 * that `root` has installed) from `root`'s node_modules into `project`'s, at the same places,
 * so Node and TypeScript resolve them there as they would after an install. A package the
 * project already holds (installed with the tarball) is kept. Returns the packages copied.
 */
export const copyPackages = (root: string, names: readonly string[], project: string): string[] => {
  const found = new Set<string>();
  const visit = (from: string, name: string, required: boolean): void => {
    const dir = resolveFrom(root, from, name);
    if (dir === null) {
      if (required)
        throw new Error(`${name} (needed from ${relative(root, from)}) is not installed`);
      return;
    }
    if (found.has(dir)) return;
    found.add(dir);
    const m = manifest(dir);
    for (const dep of Object.keys(m.dependencies ?? {})) visit(dir, dep, true);
    for (const dep of Object.keys({ ...m.optionalDependencies, ...m.peerDependencies }))
      visit(dir, dep, false);
  };
  for (const name of names) visit(root, name, true);
  // A package nested in another's node_modules comes with it.
  const dirs = [...found].filter(
    (d) => ![...found].some((o) => o !== d && d.startsWith(o + sep + "node_modules" + sep)),
  );
  const copied: string[] = [];
  for (const dir of dirs.sort()) {
    const target = join(project, relative(root, dir));
    if (existsSync(target)) continue;
    cpSync(dir, target, { recursive: true, dereference: true });
    copied.push(relative(join(root, "node_modules"), dir));
  }
  return copied;
};
