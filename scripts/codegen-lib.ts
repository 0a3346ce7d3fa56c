/**
 * Generates io-ts codecs from the JSON Schema bundle that `codex app-server generate-json-schema`
 * writes. Pure functions (JSON in, source text out) plus a few small effectful helpers used by the
 * CLI wrapper (scripts/codegen.ts) and by the staleness spec (spec/generated/codegen.spec.ts).
 *
 * Input: `codex_app_server_protocol.schemas.json` — a draft-07 bundle whose `definitions` hold the
 * root (v1 / shared) definitions plus a nested `definitions.v2` namespace. Refs are
 * `#/definitions/Name` and `#/definitions/v2/Name`.
 *
 * Output modules (all under lib/generated/app-server/):
 *   v2.ts        every `definitions.v2` entry
 *   protocol.ts  every root entry (ClientRequest, ServerNotification, JSONRPC*, Initialize*, ...)
 *   methods.ts   method-name -> params codec tables, experimental-only method lists
 *   version.ts   the codex CLI version the schemas came from
 *   index.ts     re-exports
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { resolveCodexBinary as resolveLibraryBinary } from "../lib/shell/codex-binary.js";

// ---------------------------------------------------------------------------------------------
// JSON Schema model (the subset the codex bundle uses, plus a few common extras)
// ---------------------------------------------------------------------------------------------

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface SchemaObject {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema;
  items?: Schema | Schema[];
  enum?: Json[];
  const?: Json;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  nullable?: boolean;
  description?: string;
  title?: string;
  definitions?: Record<string, Schema>;
  [key: string]: unknown;
}

export type Schema = boolean | SchemaObject;

/** Keywords that only annotate or constrain values further; the codecs ignore them. */
const IGNORED_KEYWORDS = new Set([
  "$schema",
  "$id",
  "$comment",
  "title",
  "description",
  "default",
  "examples",
  "format",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minLength",
  "maxLength",
  "pattern",
  "minItems",
  "maxItems",
  "uniqueItems",
  "minProperties",
  "maxProperties",
  "deprecated",
  "readOnly",
  "writeOnly",
  "contentEncoding",
  "contentMediaType",
]);

/** Keywords the generator understands structurally. */
const HANDLED_KEYWORDS = new Set([
  "$ref",
  "type",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "enum",
  "const",
  "oneOf",
  "anyOf",
  "allOf",
  "nullable",
  "definitions",
]);

// ---------------------------------------------------------------------------------------------
// Definitions and references
// ---------------------------------------------------------------------------------------------

/** Namespace of a definition: "" for root-level, "v2" for `definitions.v2`. */
type Namespace = string;

interface DefKey {
  readonly ns: Namespace;
  readonly name: string;
}

const keyId = (k: DefKey): string => (k.ns === "" ? k.name : `${k.ns}/${k.name}`);

interface ModulePlan {
  readonly ns: Namespace;
  readonly file: string;
  /** Identifier used when another module imports this one as a namespace (`import * as V2`). */
  readonly alias: string;
}

function moduleFor(ns: Namespace): ModulePlan {
  return ns === ""
    ? { ns, file: "protocol.ts", alias: "P" }
    : { ns, file: `${ns}.ts`, alias: ns.toUpperCase() };
}

function isSchemaObject(s: unknown): s is SchemaObject {
  return typeof s === "object" && s !== null && !Array.isArray(s);
}

/** `definitions.v2` is a namespace of schemas, not a schema. */
function isNamespaceEntry(name: string, value: unknown): value is Record<string, Schema> {
  if (!/^v\d+$/.test(name) || !isSchemaObject(value)) return false;
  return !Object.keys(value).some((k) => HANDLED_KEYWORDS.has(k) || IGNORED_KEYWORDS.has(k));
}

function collectDefinitions(bundle: SchemaObject): Map<string, { key: DefKey; schema: Schema }> {
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

function parseRef(ref: string): DefKey {
  const m = /^#\/definitions\/(?:(v\d+)\/)?([^/]+)$/.exec(ref);
  if (!m || m[2] === undefined) throw new Error(`unsupported $ref: ${ref}`);
  return { ns: m[1] ?? "", name: decodeURIComponent(m[2]) };
}

function refsOf(s: Schema, acc: Set<string>): Set<string> {
  if (!isSchemaObject(s)) return acc;
  if (typeof s.$ref === "string") acc.add(keyId(parseRef(s.$ref)));
  for (const sub of subSchemas(s)) refsOf(sub, acc);
  return acc;
}

function subSchemas(s: SchemaObject): Schema[] {
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
function sameSchema(a: unknown, b: unknown): boolean {
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

// ---------------------------------------------------------------------------------------------
// Tiny pretty printer: a Doc is either a string or a group that prints flat when it fits.
// ---------------------------------------------------------------------------------------------

type Doc = string | Group;

interface Group {
  readonly kind: "group";
  readonly open: string;
  readonly items: readonly Item[];
  readonly close: string;
  /** Force multi-line layout (e.g. because items carry comments). */
  readonly forceBreak: boolean;
}

interface Item {
  readonly comment?: string;
  /** Printed before the item's doc, e.g. `key: `. */
  readonly prefix?: string;
  readonly doc: Doc;
}

const WIDTH = 100;

function group(open: string, items: Item[], close: string): Group {
  return { kind: "group", open, items, close, forceBreak: items.some((i) => i.comment) };
}

function call(fn: string, args: Doc[]): Group {
  return group(
    `${fn}(`,
    args.map((doc) => ({ doc })),
    ")",
  );
}

function flat(d: Doc): string | undefined {
  if (typeof d === "string") return d;
  if (d.forceBreak) return undefined;
  const parts: string[] = [];
  for (const it of d.items) {
    const f = flat(it.doc);
    if (f === undefined) return undefined;
    parts.push((it.prefix ?? "") + f);
  }
  const inner = parts.join(", ");
  const padded = d.open.endsWith("{") && inner !== "" ? ` ${inner} ` : inner;
  return `${d.open}${padded}${d.close}`;
}

/** Render `d` starting at column `indent + used` (the first line shares a line with `used` chars). */
function render(d: Doc, indent: number, used: number): string {
  const f = flat(d);
  if (f !== undefined && indent + used + f.length + 2 <= WIDTH) return f;
  if (typeof d === "string") return d;
  // Hug a call's single structured argument: `t.type({` ... `}, "Name")` instead of a broken call.
  const groups = d.items.filter((i) => typeof i.doc !== "string");
  if (
    d.open.endsWith("(") &&
    groups.length === 1 &&
    d.items.every((i) => !i.comment && !i.prefix)
  ) {
    let out = d.open;
    d.items.forEach((it, i) => {
      if (i > 0) out += ", ";
      const lastLine = out.slice(out.lastIndexOf("\n") + 1);
      out += typeof it.doc === "string" ? it.doc : render(it.doc, indent, used + lastLine.length);
    });
    return out + d.close;
  }
  const pad = " ".repeat(indent + 2);
  const lines: string[] = [d.open];
  for (const it of d.items) {
    if (it.comment) lines.push(...it.comment.split("\n").map((l) => pad + l));
    const prefix = it.prefix ?? "";
    lines.push(pad + prefix + render(it.doc, indent + 2, prefix.length) + ",");
  }
  lines.push(" ".repeat(indent) + d.close);
  return lines.join("\n");
}

function jsDoc(lines: readonly string[]): string | undefined {
  const clean = lines
    .join("\n")
    .replace(/\*\//g, "*\\/")
    .replace(/\r/g, "")
    .split("\n")
    .map((l) => l.trimEnd());
  while (clean.length > 0 && clean[clean.length - 1] === "") clean.pop();
  if (clean.length === 0) return undefined;
  if (clean.length === 1) return `/** ${clean[0]} */`;
  return ["/**", ...clean.map((l) => (l === "" ? " *" : ` * ${l}`)), " */"].join("\n");
}

/** Module-local helper emitted on demand: like `t.unknown` but rejects `undefined` (a missing key). */
const DEFINED_UNKNOWN = "definedUnknown";
const DEFINED_UNKNOWN_DECL = [
  "/** Any value but `undefined`: a required property whose schema is `true` must still be present. */",
  `const ${DEFINED_UNKNOWN} = new t.Type<unknown>(`,
  `  "unknown",`,
  "  (u): u is unknown => u !== undefined,",
  "  (u, c) => (u === undefined ? t.failure(u, c) : t.success(u)),",
  "  t.identity,",
  ");",
];

/** Helper declarations needed by `body` (inserted after the imports). */
function helpersFor(body: string): string[] {
  return new RegExp(`\\b${DEFINED_UNKNOWN}\\b`).test(body) ? ["", ...DEFINED_UNKNOWN_DECL] : [];
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const propKey = (k: string): string => (IDENT.test(k) ? k : JSON.stringify(k));

// ---------------------------------------------------------------------------------------------
// Codec generation
// ---------------------------------------------------------------------------------------------

interface Ctx {
  /** Module being emitted. */
  readonly ns: Namespace;
  /** Resolves a ref to the identifier to use from module `ns`, recording cross-module imports. */
  readonly ref: (ref: string) => string;
  /** Marks an inline property as experimental-only (absent from the stable schema). */
  readonly experimentalProp?: (prop: string) => boolean;
}

function assertKnownKeywords(s: SchemaObject, where: string): void {
  for (const k of Object.keys(s)) {
    if (!HANDLED_KEYWORDS.has(k) && !IGNORED_KEYWORDS.has(k)) {
      throw new Error(`${where}: unsupported JSON Schema keyword "${k}"`);
    }
  }
}

function typesOf(s: SchemaObject): string[] {
  const declared = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
  const types = [...declared];
  if (types.length === 0) {
    if (s.properties !== undefined || s.additionalProperties !== undefined) types.push("object");
    else if (s.items !== undefined) types.push("array");
  }
  if (s.nullable === true && !types.includes("null")) types.push("null");
  return types;
}

function isPureStringEnum(s: Schema): s is SchemaObject & { enum: string[] } {
  if (!isSchemaObject(s) || !Array.isArray(s.enum)) return false;
  const structural = Object.keys(s).filter((k) => HANDLED_KEYWORDS.has(k));
  const typeOk = s.type === undefined || s.type === "string";
  return (
    typeOk &&
    structural.every((k) => k === "enum" || k === "type") &&
    s.enum.every((v) => typeof v === "string")
  );
}

function literalDoc(v: Json): string {
  if (v === null) return "t.null";
  if (typeof v === "object") throw new Error(`unsupported enum/const value ${JSON.stringify(v)}`);
  return `t.literal(${JSON.stringify(v)})`;
}

function enumDoc(values: readonly Json[], name?: string): Doc {
  const uniq = [...new Set(values.map((v) => JSON.stringify(v)))].map((v) => JSON.parse(v) as Json);
  if (uniq.length === 0) return "t.never";
  if (uniq.length === 1) {
    const only = uniq[0] as Json;
    return name && only !== null
      ? `t.literal(${JSON.stringify(only)}, ${JSON.stringify(name)})`
      : literalDoc(only);
  }
  if (uniq.every((v): v is string => typeof v === "string" && v !== "__proto__")) {
    const obj = group(
      "{",
      uniq.map((v) => ({ doc: `${propKey(v)}: null` })),
      "}",
    );
    return call("t.keyof", name ? [obj, JSON.stringify(name)] : [obj]);
  }
  return unionDoc(uniq.map(literalDoc), name);
}

function unionDoc(members: Doc[], name?: string): Doc {
  const seen = new Set<string>();
  const uniq = members.filter((m) => {
    const k = typeof m === "string" ? m : render(m, 0, 0);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  if (uniq.length === 0) return "t.never";
  if (uniq.length === 1) return uniq[0] as Doc;
  const arr = group(
    "[",
    uniq.map((doc) => ({ doc })),
    "]",
  );
  return call("t.union", name ? [arr, JSON.stringify(name)] : [arr]);
}

function intersectionDoc(members: Doc[], name?: string): Doc {
  if (members.length === 0) return "t.unknown";
  if (members.length === 1) return members[0] as Doc;
  if (members.length > 5) {
    // io-ts typings stop at 5; nest the tail.
    return intersectionDoc([...members.slice(0, 4), intersectionDoc(members.slice(4))], name);
  }
  const arr = group(
    "[",
    members.map((doc) => ({ doc })),
    "]",
  );
  return call("t.intersection", name ? [arr, JSON.stringify(name)] : [arr]);
}

function propComment(s: Schema, experimental: boolean): string | undefined {
  const lines: string[] = [];
  if (isSchemaObject(s) && typeof s.description === "string") lines.push(s.description);
  if (experimental)
    lines.push("@experimental Requires `capabilities.experimentalApi` at initialize.");
  return jsDoc(lines);
}

function objectDoc(s: SchemaObject, ctx: Ctx, where: string, name?: string): Doc {
  const props = s.properties ?? {};
  const keys = Object.keys(props);
  if (keys.length === 0) {
    const ap = s.additionalProperties;
    if (ap !== undefined && typeof ap !== "boolean") {
      const value = codecDoc(ap, { ns: ctx.ns, ref: ctx.ref }, `${where}.additionalProperties`);
      return call("t.record", ["t.string", value, ...(name ? [JSON.stringify(name)] : [])]);
    }
    return "t.UnknownRecord";
  }
  const required = new Set(s.required ?? []);
  const req: Item[] = [];
  const opt: Item[] = [];
  const inner: Ctx = { ns: ctx.ns, ref: ctx.ref };
  for (const k of keys) {
    const ps = props[k] as Schema;
    const comment = propComment(ps, ctx.experimentalProp?.(k) ?? false);
    const doc = codecDoc(ps, inner, `${where}.${k}`);
    const item: Item = {
      ...(comment ? { comment } : {}),
      prefix: `${propKey(k)}: `,
      // `t.unknown` accepts a missing key; a required property must at least be present.
      doc: required.has(k) && doc === "t.unknown" ? DEFINED_UNKNOWN : doc,
    };
    (required.has(k) ? req : opt).push(item);
  }
  const parts: Doc[] = [];
  const named = (fn: string, items: Item[], alone: boolean): Doc =>
    call(
      fn,
      alone && name ? [group("{", items, "}"), JSON.stringify(name)] : [group("{", items, "}")],
    );
  const alone = req.length === 0 || opt.length === 0;
  if (req.length > 0) parts.push(named("t.type", req, alone));
  if (opt.length > 0) parts.push(named("t.partial", opt, alone));
  return alone ? (parts[0] as Doc) : intersectionDoc(parts, name);
}

function codecDoc(s: Schema, topCtx: Ctx, where: string, name?: string): Doc {
  if (s === true) return "t.unknown";
  if (s === false) return "t.never";
  assertKnownKeywords(s, where);
  if (typeof s.$ref === "string") return topCtx.ref(s.$ref);
  // Only the definition's own `properties` are compared against the stable schema.
  const ctx: Ctx = { ns: topCtx.ns, ref: topCtx.ref };

  const parts: Doc[] = [];
  const combinator = s.oneOf ?? s.anyOf;
  if (s.oneOf && s.anyOf) throw new Error(`${where}: both oneOf and anyOf`);

  // Base: enum/const or the declared type(s).
  let base: Doc | undefined;
  if (s.enum !== undefined || s.const !== undefined) {
    const values = s.enum ?? [s.const as Json];
    const types = typesOf(s);
    const withNull = types.includes("null") && !values.includes(null) ? [...values, null] : values;
    base = enumDoc(withNull, combinator || s.allOf ? undefined : name);
  } else {
    const types = typesOf(s);
    const structural =
      s.properties !== undefined || s.items !== undefined || s.additionalProperties !== undefined;
    // When a combinator is present and the schema has no structure of its own, `type` is just a
    // summary of the alternatives (e.g. `type: ["string", "object"]` + anyOf): let them decide.
    if (types.length > 0 && (!(combinator || s.allOf) || structural)) {
      const members = types.map((ty): Doc => {
        switch (ty) {
          case "string":
            return "t.string";
          case "number":
          case "integer":
            return "t.number";
          case "boolean":
            return "t.boolean";
          case "null":
            return "t.null";
          case "array":
            if (Array.isArray(s.items)) {
              return call("t.tuple", [
                group(
                  "[",
                  s.items.map((it, i) => ({ doc: codecDoc(it, ctx, `${where}.items[${i}]`) })),
                  "]",
                ),
              ]);
            }
            return call("t.array", [
              s.items === undefined ? "t.unknown" : codecDoc(s.items, ctx, `${where}.items`),
            ]);
          case "object":
            return objectDoc(
              s,
              topCtx,
              where,
              types.length === 1 && !(combinator || s.allOf) ? name : undefined,
            );
          default:
            throw new Error(`${where}: unsupported type "${ty}"`);
        }
      });
      base = unionDoc(members, types.length > 1 && !(combinator || s.allOf) ? name : undefined);
    }
  }
  if (base !== undefined) parts.push(base);

  if (combinator) {
    const alts = combinator;
    if (alts.length > 0 && alts.every(isPureStringEnum)) {
      parts.push(
        enumDoc(
          alts.flatMap((a) => a.enum),
          parts.length === 0 && !s.allOf ? name : undefined,
        ),
      );
    } else {
      parts.push(
        unionDoc(
          alts.map((a, i) => codecDoc(a, ctx, `${where}.${s.oneOf ? "oneOf" : "anyOf"}[${i}]`)),
          parts.length === 0 && !s.allOf ? name : undefined,
        ),
      );
    }
  }
  if (s.allOf) parts.push(...s.allOf.map((a, i) => codecDoc(a, ctx, `${where}.allOf[${i}]`)));

  if (parts.length === 0) return "t.unknown";
  return intersectionDoc(parts, parts.length > 1 ? name : undefined);
}

// ---------------------------------------------------------------------------------------------
// Static TypeScript types (only needed for recursive definitions, which must be annotated)
// ---------------------------------------------------------------------------------------------

function tsLiteral(v: Json): string {
  if (v === null) return "null";
  if (typeof v === "object") throw new Error(`unsupported literal ${JSON.stringify(v)}`);
  return JSON.stringify(v);
}

function tsType(s: Schema, ctx: Ctx): string {
  if (s === true) return "unknown";
  if (s === false) return "never";
  if (typeof s.$ref === "string") return ctx.ref(s.$ref);
  const parts: string[] = [];
  const combinator = s.oneOf ?? s.anyOf;
  if (s.enum !== undefined || s.const !== undefined) {
    const values = s.enum ?? [s.const as Json];
    const withNull =
      typesOf(s).includes("null") && !values.includes(null) ? [...values, null] : values;
    parts.push([...new Set(withNull.map(tsLiteral))].join(" | ") || "never");
  } else {
    const types = typesOf(s);
    const structural =
      s.properties !== undefined || s.items !== undefined || s.additionalProperties !== undefined;
    if (types.length > 0 && (!(combinator || s.allOf) || structural)) {
      const members = types.map((ty) => {
        switch (ty) {
          case "string":
            return "string";
          case "number":
          case "integer":
            return "number";
          case "boolean":
            return "boolean";
          case "null":
            return "null";
          case "array":
            if (Array.isArray(s.items))
              return `[${s.items.map((it) => tsType(it, ctx)).join(", ")}]`;
            return `(${s.items === undefined ? "unknown" : tsType(s.items, ctx)})[]`;
          case "object": {
            const props = s.properties ?? {};
            const keys = Object.keys(props);
            if (keys.length === 0) {
              const ap = s.additionalProperties;
              return `{ [key: string]: ${ap !== undefined && typeof ap !== "boolean" ? tsType(ap, ctx) : "unknown"} }`;
            }
            const required = new Set(s.required ?? []);
            const req = keys.filter((k) => required.has(k));
            const opt = keys.filter((k) => !required.has(k));
            const objs: string[] = [];
            if (req.length > 0)
              objs.push(
                `{ ${req.map((k) => `${propKey(k)}: ${tsType(props[k] as Schema, ctx)}`).join("; ")} }`,
              );
            if (opt.length > 0)
              objs.push(
                `{ ${opt.map((k) => `${propKey(k)}?: ${tsType(props[k] as Schema, ctx)}`).join("; ")} }`,
              );
            return objs.length === 1 ? (objs[0] as string) : `(${objs.join(" & ")})`;
          }
          default:
            throw new Error(`unsupported type "${ty}"`);
        }
      });
      parts.push(members.length === 1 ? (members[0] as string) : `(${members.join(" | ")})`);
    }
  }
  if (combinator) parts.push(`(${combinator.map((a) => tsType(a, ctx)).join(" | ")})`);
  if (s.allOf) parts.push(...s.allOf.map((a) => `(${tsType(a, ctx)})`));
  if (parts.length === 0) return "unknown";
  return parts.length === 1 ? (parts[0] as string) : parts.map((p) => `(${p})`).join(" & ");
}

// ---------------------------------------------------------------------------------------------
// Ordering: strongly connected components, dependencies first, alphabetical tie-break
// ---------------------------------------------------------------------------------------------

function sccs(nodes: readonly string[], edges: (n: string) => readonly string[]): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const strong = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges(v)) {
      if (!index.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
      }
    }
    if (low.get(v) === index.get(v)) {
      const comp: string[] = [];
      for (;;) {
        const w = stack.pop() as string;
        onStack.delete(w);
        comp.push(w);
        if (w === v) break;
      }
      out.push(comp.sort());
    }
  };
  for (const n of nodes) if (!index.has(n)) strong(n);
  return out; // Tarjan emits components in reverse topological order: dependencies first.
}

// ---------------------------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------------------------

export const BUNDLE_FILE = "codex_app_server_protocol.schemas.json";
export const OUTPUT_DIR = path.join("lib", "generated", "app-server");

export interface GenerateInput {
  /** The bundle the codecs are generated from (generate-json-schema --experimental). */
  readonly bundle: SchemaObject;
  /** The stable bundle (generate-json-schema without --experimental), used to tag experimental-only API. */
  readonly stableBundle?: SchemaObject;
  /** e.g. "0.169.0" */
  readonly cliVersion: string;
  /** The generate-json-schema flags the bundle was produced with, for the header. */
  readonly schemaFlags?: readonly string[];
}

interface Variant {
  readonly method: string;
  readonly params: Schema | undefined;
  readonly paramsRequired: boolean;
}

function unionVariants(def: Schema | undefined, where: string): Variant[] {
  if (!isSchemaObject(def)) return [];
  const alts = def.oneOf ?? def.anyOf ?? [];
  return alts.map((alt, i) => {
    if (!isSchemaObject(alt) || !alt.properties) throw new Error(`${where}[${i}]: not an object`);
    const m = alt.properties.method;
    const values = isSchemaObject(m) ? (m.enum ?? (m.const !== undefined ? [m.const] : [])) : [];
    if (values.length !== 1 || typeof values[0] !== "string")
      throw new Error(`${where}[${i}]: no method literal`);
    return {
      method: values[0],
      params: alt.properties.params,
      paramsRequired: (alt.required ?? []).includes("params"),
    };
  });
}

/**
 * Generate the codec modules. Returns file name (relative to the output dir) -> contents.
 * Deterministic: same input, byte-identical output.
 */
export function generateFromBundles(input: GenerateInput): Map<string, string> {
  const flags = input.schemaFlags ?? [];
  const header = `// GENERATED by scripts/codegen.ts from codex app-server generate-json-schema${flags.length ? ` ${flags.join(" ")}` : ""} (codex-cli ${input.cliVersion}). Do not edit by hand.`;
  const defs = collectDefinitions(input.bundle);
  const stableDefs = input.stableBundle ? collectDefinitions(input.stableBundle) : undefined;

  // Root definitions identical to a same-named definition in a namespace are aliased to it (the
  // bundle repeats e.g. RequestId and AbsolutePathBuf at both levels); differing ones are renamed.
  const alias = new Map<string, string>(); // keyId -> keyId it resolves to
  const exportName = new Map<string, string>(); // keyId -> exported identifier in its module
  const namespaces = [...new Set([...defs.values()].map((d) => d.key.ns))].sort();
  for (const [id, { key, schema }] of defs) {
    let name = key.name.replace(/[^A-Za-z0-9_$]/g, "_");
    if (/^[0-9]/.test(name)) name = `_${name}`;
    if (key.ns === "") {
      for (const ns of namespaces.filter((n) => n !== "")) {
        const other = defs.get(keyId({ ns, name: key.name }));
        if (other === undefined) continue;
        if (sameSchema(schema, other.schema)) alias.set(id, keyId(other.key));
        else name = `${name}V1`;
      }
    }
    exportName.set(id, name);
  }
  const resolve = (id: string): string => alias.get(id) ?? id;
  for (const ns of namespaces) {
    const seen = new Map<string, string>();
    for (const [id, { key }] of defs) {
      if (key.ns !== ns || alias.has(id)) continue;
      const n = exportName.get(id) as string;
      const prev = seen.get(n);
      if (prev !== undefined) throw new Error(`name collision: ${prev} and ${id} both map to ${n}`);
      seen.set(n, id);
    }
  }
  const allExports = new Map<string, string>([[DEFINED_UNKNOWN, "(generator helper)"]]);
  for (const [id] of defs) {
    if (alias.has(id)) continue;
    const n = exportName.get(id) as string;
    const prev = allExports.get(n);
    if (prev !== undefined) throw new Error(`index collision: ${prev} and ${id} both export ${n}`);
    allExports.set(n, id);
  }

  const isExperimentalDef = (id: string): boolean =>
    stableDefs !== undefined && !stableDefs.has(id);
  const experimentalProps = (id: string): ((p: string) => boolean) | undefined => {
    if (!stableDefs) return undefined;
    const st = stableDefs.get(id);
    if (!st) return undefined;
    const stableProps = isSchemaObject(st.schema) ? st.schema.properties : undefined;
    if (stableProps === undefined) return undefined;
    return (p) => !Object.prototype.hasOwnProperty.call(stableProps, p);
  };

  const files = new Map<string, string>();
  const graph = new Map<string, string[]>();
  for (const [id, { schema }] of defs) {
    graph.set(
      id,
      [...refsOf(schema, new Set())]
        .map((r) => {
          if (!defs.has(r)) throw new Error(`${id}: dangling $ref to ${r}`);
          return resolve(r);
        })
        .sort(),
    );
  }
  const order = sccs([...defs.keys()].sort(), (n) => graph.get(n) ?? []);
  const recursive = new Set<string>();
  for (const comp of order) {
    const first = comp[0] as string;
    if (comp.length > 1 || (graph.get(first) ?? []).includes(first))
      comp.forEach((c) => recursive.add(c));
  }
  // Cross-namespace cycles would make ESM modules import each other circularly; refuse.
  for (const comp of order) {
    const nss = new Set(comp.map((c) => (defs.get(c) as { key: DefKey }).key.ns));
    if (nss.size > 1) throw new Error(`cycle spans namespaces: ${comp.join(", ")}`);
  }

  for (const ns of namespaces) {
    const mod = moduleFor(ns);
    const imports = new Set<string>();
    const ref = (r: string): string => {
      const target = resolve(keyId(parseRef(r)));
      const { key } = defs.get(target) as { key: DefKey };
      const n = exportName.get(target) as string;
      if (key.ns === ns) return n;
      const other = moduleFor(key.ns);
      imports.add(key.ns);
      return `${other.alias}.${n}`;
    };
    const body: string[] = [];
    let count = 0;
    for (const comp of order) {
      const ids = comp.filter(
        (id) => (defs.get(id) as { key: DefKey }).key.ns === ns && !alias.has(id),
      );
      for (const id of ids) {
        const { schema } = defs.get(id) as { key: DefKey; schema: Schema };
        const name = exportName.get(id) as string;
        const docLines: string[] = [];
        if (isSchemaObject(schema) && typeof schema.description === "string")
          docLines.push(schema.description);
        if (isExperimentalDef(id))
          docLines.push("@experimental Requires `capabilities.experimentalApi` at initialize.");
        const doc = jsDoc(docLines);
        const epFn = experimentalProps(id);
        const ctx: Ctx = { ns, ref, ...(epFn ? { experimentalProp: epFn } : {}) };
        const codec = codecDoc(schema, ctx, id, name);
        body.push("");
        if (recursive.has(id)) {
          const typeCtx: Ctx = { ns, ref };
          if (doc) body.push(doc);
          body.push(`export type ${name} = ${tsType(schema, typeCtx)};`);
          if (doc) body.push(doc);
          const inner = render(codec, 2, 9);
          body.push(
            `export const ${name}: t.Type<${name}> = t.recursion(${JSON.stringify(name)}, () =>\n  ${inner},\n);`,
          );
        } else {
          if (doc) body.push(doc);
          body.push(`export const ${name} = ${render(codec, 0, 14 + name.length)};`);
          if (doc) body.push(doc);
          body.push(`export type ${name} = t.TypeOf<typeof ${name}>;`);
        }
        count++;
      }
    }
    const head = [
      header,
      `// ${count} definitions from ${ns === "" ? "the bundle's root `definitions`" : `\`definitions.${ns}\``}.`,
      "",
      `import * as t from "io-ts";`,
    ];
    for (const other of [...imports].sort()) {
      const m = moduleFor(other);
      head.push(`import * as ${m.alias} from "./${m.file.replace(/\.ts$/, ".js")}";`);
    }
    files.set(mod.file, [...head, ...helpersFor(body.join("\n")), ...body, ""].join("\n"));
  }

  // methods.ts: per-method params codecs for the four method-tagged unions.
  {
    const ref = (r: string): string => {
      const target = resolve(keyId(parseRef(r)));
      const { key } = defs.get(target) as { key: DefKey };
      return `${moduleFor(key.ns).alias}.${exportName.get(target) as string}`;
    };
    const body: string[] = [];
    const tables: [string, string, string][] = [
      [
        "ClientRequest",
        "ClientRequestParams",
        "Params codec of every client -> server request method (`ClientRequest`).",
      ],
      [
        "ClientNotification",
        "ClientNotificationParams",
        "Params codec of every client -> server notification method (`ClientNotification`).",
      ],
      [
        "ServerRequest",
        "ServerRequestParams",
        "Params codec of every server -> client request method (`ServerRequest`).",
      ],
      [
        "ServerNotification",
        "ServerNotificationParams",
        "Params codec of every server -> client notification method (`ServerNotification`).",
      ],
    ];
    for (const [unionName, tableName, doc] of tables) {
      const def = defs.get(unionName);
      if (!def) continue;
      const variants = unionVariants(def.schema, unionName);
      const items: Item[] = variants.map((v) => {
        let codec: Doc =
          v.params === undefined
            ? "t.undefined"
            : codecDoc(v.params, { ns: "", ref }, `${unionName}.${v.method}.params`);
        if (v.params !== undefined && !v.paramsRequired) codec = unionDoc([codec, "t.undefined"]);
        return { prefix: `${JSON.stringify(v.method)}: `, doc: codec };
      });
      body.push(
        "",
        jsDoc([
          doc,
          "Optional params are `X | undefined`; methods without params map to `t.undefined`.",
        ]) as string,
      );
      body.push(
        `export const ${tableName} = ${render(group("{", items, "}"), 0, 16 + tableName.length)} as const;`,
      );
      body.push(`export type ${unionName}Method = keyof typeof ${tableName};`);
      if (stableDefs) {
        const stableMethods = new Set(
          unionVariants(stableDefs.get(unionName)?.schema, unionName).map((v) => v.method),
        );
        const exp = variants.filter((v) => !stableMethods.has(v.method)).map((v) => v.method);
        const constName = `EXPERIMENTAL_${unionName.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase()}_METHODS`;
        const list = render(
          group(
            "[",
            exp.map((m) => ({ doc: JSON.stringify(m) })),
            "]",
          ),
          0,
          40 + constName.length,
        );
        body.push(
          "",
          jsDoc([
            `${unionName} methods present only in \`generate-json-schema --experimental\` output; they need`,
            "`capabilities.experimentalApi: true` in the initialize request.",
          ]) as string,
          `export const ${constName}: readonly ${unionName}Method[] = ${list};`,
        );
      }
    }
    const text = body.join("\n");
    const head = [
      header,
      "// Method-name -> params codec tables for the method-tagged unions in protocol.ts.",
      "",
    ];
    if (/\bt\./.test(text)) head.push(`import * as t from "io-ts";`);
    for (const ns of namespaces) {
      const m = moduleFor(ns);
      if (new RegExp(`\\b${m.alias}\\.`).test(text))
        head.push(`import * as ${m.alias} from "./${m.file.replace(/\.ts$/, ".js")}";`);
    }
    files.set("methods.ts", [...head, ...helpersFor(text), ...body, ""].join("\n"));
  }

  files.set(
    "version.ts",
    [
      header,
      "",
      "/** Version of the codex CLI whose `app-server generate-json-schema` output these codecs were generated from. */",
      `export const CODEX_CLI_VERSION = ${JSON.stringify(input.cliVersion)};`,
      "",
      "/** Flags passed to `codex app-server generate-json-schema`. */",
      `export const SCHEMA_FLAGS: readonly string[] = ${JSON.stringify(flags)};`,
      "",
    ].join("\n"),
  );

  const index = [header, ""];
  for (const f of [...files.keys()].sort())
    index.push(`export * from "./${f.replace(/\.ts$/, ".js")}";`);
  files.set("index.ts", [...index, ""].join("\n"));
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

// ---------------------------------------------------------------------------------------------
// Effects: locate the binary, run generate-json-schema, read/write directories
// ---------------------------------------------------------------------------------------------

/** Path of the codex binary pinned in node_modules: the library's own lookup (throws here, in a script). */
export function resolveCodexBinary(): string {
  const r = resolveLibraryBinary();
  if (r.isErr()) throw new Error(r.error.message);
  return r.value.path;
}

/** "0.169.0" from `codex --version` ("codex-cli 0.169.0"). */
export function codexVersion(codex: string): string {
  const r = spawnSync(codex, ["--version"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${codex} --version failed: ${r.stderr}`);
  const m = /(\d+\.\d+\.\d+\S*)/.exec(r.stdout);
  if (!m || m[1] === undefined) throw new Error(`cannot parse codex version from: ${r.stdout}`);
  return m[1];
}

/** Run `codex app-server generate-json-schema` into `outDir` with an empty CODEX_HOME. */
export function runGenerateJsonSchema(
  codex: string,
  outDir: string,
  flags: readonly string[],
): void {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "codex-home-"));
  try {
    const r = spawnSync(codex, ["app-server", "generate-json-schema", ...flags, "--out", outDir], {
      encoding: "utf8",
      env: { ...process.env, CODEX_HOME: home },
    });
    if (r.status !== 0) throw new Error(`generate-json-schema failed (${r.status}): ${r.stderr}`);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

export const SCHEMA_FLAGS = ["--experimental"] as const;

export function readBundle(schemaDir: string): SchemaObject {
  return JSON.parse(fs.readFileSync(path.join(schemaDir, BUNDLE_FILE), "utf8")) as SchemaObject;
}

/**
 * Run the pinned codex binary (or `codex`) twice — with and without `--experimental` — and return
 * the generated modules.
 */
export function generateWithCodex(codex: string = resolveCodexBinary()): Map<string, string> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "codex-schema-"));
  try {
    const full = path.join(tmp, "experimental");
    const stable = path.join(tmp, "stable");
    runGenerateJsonSchema(codex, full, SCHEMA_FLAGS);
    runGenerateJsonSchema(codex, stable, []);
    return generate(full, { stableSchemaDir: stable, cliVersion: codexVersion(codex) });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Generate from a directory written by `generate-json-schema --experimental --out DIR`. */
export function generate(
  schemaDir: string,
  opts: { readonly stableSchemaDir?: string; readonly cliVersion: string },
): Map<string, string> {
  return generateFromBundles({
    bundle: readBundle(schemaDir),
    ...(opts.stableSchemaDir ? { stableBundle: readBundle(opts.stableSchemaDir) } : {}),
    cliVersion: opts.cliVersion,
    schemaFlags: SCHEMA_FLAGS,
  });
}

/** The `.ts` files currently in `dir`, as name -> contents. */
export function readOutputDir(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!fs.existsSync(dir)) return out;
  for (const f of fs.readdirSync(dir).sort()) {
    if (f.endsWith(".ts")) out.set(f, fs.readFileSync(path.join(dir, f), "utf8"));
  }
  return out;
}

/** Write `files` into `dir`, deleting `.ts` files there that are no longer generated. */
export function writeOutputDir(dir: string, files: ReadonlyMap<string, string>): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(dir)) {
    if (f.endsWith(".ts") && !files.has(f)) fs.rmSync(path.join(dir, f));
  }
  for (const [f, text] of files) fs.writeFileSync(path.join(dir, f), text);
}
