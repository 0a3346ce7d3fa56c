/**
 * Definitions and references: the bundle's definitions by id (root and `definitions.v2`), `$ref`
 * parsing, the refs a schema makes, and the module each namespace is emitted to.
 */
import {
  HANDLED_KEYWORDS,
  IGNORED_KEYWORDS,
  isSchemaObject,
  type Schema,
  type SchemaObject,
} from "./schema.js";

/** Namespace of a definition: "" for root-level, "v2" for `definitions.v2`. */
export type Namespace = string;

/** Where a definition lives. */
export interface DefKey {
  readonly ns: Namespace;
  readonly name: string;
}

/** `Name` for root definitions, `v2/Name` for namespaced ones. */
export const keyId = (k: DefKey): string => (k.ns === "" ? k.name : `${k.ns}/${k.name}`);

/** A generated module. */
export interface ModulePlan {
  readonly ns: Namespace;
  readonly file: string;
  /** Identifier used when another module imports this one as a namespace (`import * as V2`). */
  readonly alias: string;
}

/** The module a namespace is emitted to. */
export function moduleFor(ns: Namespace): ModulePlan {
  return ns === ""
    ? { ns, file: "protocol.ts", alias: "P" }
    : { ns, file: `${ns}.ts`, alias: ns.toUpperCase() };
}

/** `definitions.v2` is a namespace of schemas, not a schema. */
function isNamespaceEntry(name: string, value: unknown): value is Record<string, Schema> {
  if (!/^v\d+$/.test(name) || !isSchemaObject(value)) return false;
  return !Object.keys(value).some((k) => HANDLED_KEYWORDS.has(k) || IGNORED_KEYWORDS.has(k));
}

/** Every definition of the bundle (root and namespaced), by id, in name order. */
export function collectDefinitions(
  bundle: SchemaObject,
): Map<string, { key: DefKey; schema: Schema }> {
  const out = new Map<string, { key: DefKey; schema: Schema }>();
  const defs = bundle.definitions ?? {};
  for (const name of Object.keys(defs).sort()) {
    const value = defs[name];
    if (isNamespaceEntry(name, value)) {
      for (const inner of Object.keys(value).sort()) {
        const schema = value[inner];
        if (schema === undefined) continue;
        const key = { ns: name, name: inner };
        out.set(keyId(key), { key, schema });
      }
    } else if (value !== undefined) {
      const key = { ns: "", name };
      out.set(keyId(key), { key, schema: value });
    }
  }
  return out;
}

/** The definition a `$ref` points at. */
export function parseRef(ref: string): DefKey {
  const m = /^#\/definitions\/(?:(v\d+)\/)?([^/]+)$/.exec(ref);
  if (!m || m[2] === undefined) throw new Error(`unsupported $ref: ${ref}`);
  return { ns: m[1] ?? "", name: decodeURIComponent(m[2]) };
}

/** Ids of every definition `s` refers to, added to `acc`. */
export function refsOf(s: Schema, acc: Set<string>): Set<string> {
  if (!isSchemaObject(s)) return acc;
  if (typeof s.$ref === "string") acc.add(keyId(parseRef(s.$ref)));
  for (const sub of subSchemas(s)) refsOf(sub, acc);
  return acc;
}

/** The schemas directly nested in `s`. */
export function subSchemas(s: SchemaObject): Schema[] {
  const out: Schema[] = [];
  if (s.properties) out.push(...Object.values(s.properties));
  if (s.additionalProperties !== undefined) out.push(s.additionalProperties);
  if (Array.isArray(s.items)) out.push(...s.items);
  else if (s.items !== undefined) out.push(s.items);
  for (const k of ["oneOf", "anyOf", "allOf"] as const) {
    const v = s[k];
    if (v) out.push(...v);
  }
  return out;
}

/** Structural equality that ignores `$schema` and `title` (bundle noise). */
export function sameSchema(a: unknown, b: unknown): boolean {
  const strip = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(strip);
    if (isSchemaObject(x)) {
      const o: Record<string, unknown> = {};
      for (const k of Object.keys(x).sort()) {
        if (k === "$schema" || k === "title") continue;
        o[k] = strip(x[k]);
      }
      return o;
    }
    return x;
  };
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}
