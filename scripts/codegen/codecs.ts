/**
 * io-ts codec expressions for schemas, as TypeScript source on one line (prettier lays them
 * out). A `$ref` becomes the identifier `ctx.ref` gives, so the caller decides imports.
 */
import {
  assertKnownKeywords,
  isPureStringEnum,
  isStructural,
  propKey,
  typesOf,
  type Json,
  type Schema,
  type SchemaObject,
} from "./schema.js";

/** How a codec refers to other definitions. */
export interface CodecCtx {
  /** Resolves a ref to the identifier to use from the module being emitted. */
  readonly ref: (ref: string) => string;
}

/** Module-local helper emitted on demand: like `t.unknown` but rejects `undefined` (a missing key). */
export const DEFINED_UNKNOWN = "definedUnknown";
const DEFINED_UNKNOWN_DECL = [
  "/** Any value but `undefined`: a required property whose schema is `true` must still be present. */",
  `const ${DEFINED_UNKNOWN} = new t.Type<unknown>("unknown", (u): u is unknown => u !== undefined, (u, c) => (u === undefined ? t.failure(u, c) : t.success(u)), t.identity);`,
];

/** Helper declarations needed by `body` (inserted after the imports). */
export function helpersFor(body: string): string[] {
  return new RegExp(`\\b${DEFINED_UNKNOWN}\\b`).test(body) ? ["", ...DEFINED_UNKNOWN_DECL] : [];
}

const named = (args: string, name?: string): string =>
  name ? `${args}, ${JSON.stringify(name)}` : args;

function literalCodec(v: Json): string {
  if (v === null) return "t.null";
  if (typeof v === "object") throw new Error(`unsupported enum/const value ${JSON.stringify(v)}`);
  return `t.literal(${JSON.stringify(v)})`;
}

function enumCodec(values: readonly Json[], name?: string): string {
  const uniq = [...new Set(values.map((v) => JSON.stringify(v)))].map((v) => JSON.parse(v) as Json);
  if (uniq.length === 0) return "t.never";
  if (uniq.length === 1) {
    const only = uniq[0] as Json;
    return name && only !== null
      ? `t.literal(${named(JSON.stringify(only), name)})`
      : literalCodec(only);
  }
  if (uniq.every((v): v is string => typeof v === "string" && v !== "__proto__"))
    return `t.keyof(${named(`{ ${uniq.map((v) => `${propKey(v)}: null`).join(", ")} }`, name)})`;
  return unionCodec(uniq.map(literalCodec), name);
}

/** `t.union` of the distinct members (the member itself when only one). */
export function unionCodec(members: readonly string[], name?: string): string {
  const uniq = [...new Set(members)];
  if (uniq.length === 0) return "t.never";
  if (uniq.length === 1) return uniq[0] as string;
  return `t.union(${named(`[${uniq.join(", ")}]`, name)})`;
}

function intersectionCodec(members: readonly string[], name?: string): string {
  if (members.length === 0) return "t.unknown";
  if (members.length === 1) return members[0] as string;
  // io-ts typings stop at 5; nest the tail.
  if (members.length > 5)
    return intersectionCodec([...members.slice(0, 4), intersectionCodec(members.slice(4))], name);
  return `t.intersection(${named(`[${members.join(", ")}]`, name)})`;
}

function objectCodec(s: SchemaObject, ctx: CodecCtx, where: string, name?: string): string {
  const props = s.properties ?? {};
  const keys = Object.keys(props);
  if (keys.length === 0) {
    const ap = s.additionalProperties;
    if (ap !== undefined && typeof ap !== "boolean")
      return `t.record(${named(`t.string, ${codecOf(ap, ctx, `${where}.additionalProperties`)}`, name)})`;
    return "t.UnknownRecord";
  }
  const required = new Set(s.required ?? []);
  const req: string[] = [];
  const opt: string[] = [];
  for (const k of keys) {
    const c = codecOf(props[k] as Schema, ctx, `${where}.${k}`);
    // `t.unknown` accepts a missing key; a required property must at least be present.
    if (required.has(k)) req.push(`${propKey(k)}: ${c === "t.unknown" ? DEFINED_UNKNOWN : c}`);
    else opt.push(`${propKey(k)}: ${c}`);
  }
  const alone = req.length === 0 || opt.length === 0;
  const obj = (fn: string, items: string[]) =>
    `${fn}(${named(`{ ${items.join(", ")} }`, alone ? name : undefined)})`;
  const parts: string[] = [];
  if (req.length > 0) parts.push(obj("t.type", req));
  if (opt.length > 0) parts.push(obj("t.partial", opt));
  return alone ? (parts[0] as string) : intersectionCodec(parts, name);
}

/** The codec of `s`; `name` labels the outermost combinator; `where` locates errors. */
export function codecOf(s: Schema, ctx: CodecCtx, where: string, name?: string): string {
  if (s === true) return "t.unknown";
  if (s === false) return "t.never";
  assertKnownKeywords(s, where);
  if (typeof s.$ref === "string") return ctx.ref(s.$ref);
  if (s.oneOf && s.anyOf) throw new Error(`${where}: both oneOf and anyOf`);
  const combinator = s.oneOf ?? s.anyOf;
  const combined = combinator !== undefined || s.allOf !== undefined;

  const parts: string[] = [];
  // Base: enum/const or the declared type(s).
  if (s.enum !== undefined || s.const !== undefined) {
    const values = s.enum ?? [s.const as Json];
    const withNull =
      typesOf(s).includes("null") && !values.includes(null) ? [...values, null] : values;
    parts.push(enumCodec(withNull, combined ? undefined : name));
  } else {
    const types = typesOf(s);
    // When a combinator is present and the schema has no structure of its own, `type` is just a
    // summary of the alternatives (e.g. `type: ["string", "object"]` + anyOf): let them decide.
    if (types.length > 0 && (!combined || isStructural(s))) {
      const members = types.map((ty): string => {
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
            if (Array.isArray(s.items))
              return `t.tuple([${s.items.map((it, i) => codecOf(it, ctx, `${where}.items[${i}]`)).join(", ")}])`;
            return `t.array(${s.items === undefined ? "t.unknown" : codecOf(s.items, ctx, `${where}.items`)})`;
          case "object":
            return objectCodec(s, ctx, where, types.length === 1 && !combined ? name : undefined);
          default:
            throw new Error(`${where}: unsupported type "${ty}"`);
        }
      });
      parts.push(unionCodec(members, types.length > 1 && !combined ? name : undefined));
    }
  }

  if (combinator) {
    const label = parts.length === 0 && !s.allOf ? name : undefined;
    parts.push(
      combinator.length > 0 && combinator.every(isPureStringEnum)
        ? enumCodec(
            combinator.flatMap((a) => a.enum),
            label,
          )
        : unionCodec(
            combinator.map((a, i) =>
              codecOf(a, ctx, `${where}.${s.oneOf ? "oneOf" : "anyOf"}[${i}]`),
            ),
            label,
          ),
    );
  }
  if (s.allOf) parts.push(...s.allOf.map((a, i) => codecOf(a, ctx, `${where}.allOf[${i}]`)));

  if (parts.length === 0) return "t.unknown";
  return intersectionCodec(parts, parts.length > 1 ? name : undefined);
}
