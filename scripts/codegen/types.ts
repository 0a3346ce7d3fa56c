/**
 * Static TypeScript types for schemas: an interface for a plain object definition, a type
 * alias for anything else, with the schema's descriptions as doc comments. A `$ref` becomes the
 * identifier `ref` gives, so the caller decides imports.
 */
import {
  isSchemaObject,
  isStructural,
  propKey,
  typesOf,
  type Json,
  type Schema,
  type SchemaObject,
} from "./schema.js";

/** A doc comment from lines of text (`*\/` escaped), or undefined when there is no text. */
export function jsDoc(lines: readonly string[]): string | undefined {
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

/** How a type refers to other definitions, and which properties are experimental-only. */
export interface TypeCtx {
  readonly ref: (ref: string) => string;
  /** Marks a property of the definition itself as experimental-only. */
  readonly experimentalProp?: (prop: string) => boolean;
}

const EXPERIMENTAL = "@experimental Requires `capabilities.experimentalApi` at initialize.";

function tsLiteral(v: Json): string {
  if (v === null) return "null";
  if (typeof v === "object") throw new Error(`unsupported literal ${JSON.stringify(v)}`);
  return JSON.stringify(v);
}

/** The members of an object type: `key: T;` / `key?: T;`, each with its description. */
function members(s: SchemaObject, ctx: TypeCtx): string {
  const props = s.properties ?? {};
  const required = new Set(s.required ?? []);
  const inner: TypeCtx = { ref: ctx.ref };
  return Object.keys(props)
    .map((k) => {
      const ps = props[k] as Schema;
      const lines: string[] = [];
      if (isSchemaObject(ps) && typeof ps.description === "string") lines.push(ps.description);
      if (ctx.experimentalProp?.(k) === true) lines.push(EXPERIMENTAL);
      const doc = jsDoc(lines);
      const decl = `${propKey(k)}${required.has(k) ? "" : "?"}: ${typeOf(ps, inner)};`;
      return doc === undefined ? decl : `${doc}\n${decl}`;
    })
    .join("\n");
}

/** The TypeScript type of `s`. */
export function typeOf(s: Schema, ctx: TypeCtx): string {
  if (s === true) return "unknown";
  if (s === false) return "never";
  if (typeof s.$ref === "string") return ctx.ref(s.$ref);
  const inner: TypeCtx = { ref: ctx.ref };
  const parts: string[] = [];
  const combinator = s.oneOf ?? s.anyOf;
  if (s.enum !== undefined || s.const !== undefined) {
    const values = s.enum ?? [s.const as Json];
    const withNull =
      typesOf(s).includes("null") && !values.includes(null) ? [...values, null] : values;
    parts.push([...new Set(withNull.map(tsLiteral))].join(" | ") || "never");
  } else {
    const types = typesOf(s);
    if (types.length > 0 && (!(combinator || s.allOf) || isStructural(s))) {
      const alts = types.map((ty) => {
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
              return `[${s.items.map((it) => typeOf(it, inner)).join(", ")}]`;
            return `(${s.items === undefined ? "unknown" : typeOf(s.items, inner)})[]`;
          case "object": {
            if (Object.keys(s.properties ?? {}).length === 0) {
              const ap = s.additionalProperties;
              return `{ [key: string]: ${ap !== undefined && typeof ap !== "boolean" ? typeOf(ap, inner) : "unknown"} }`;
            }
            return `{\n${members(s, ctx)}\n}`;
          }
          default:
            throw new Error(`unsupported type "${ty}"`);
        }
      });
      parts.push(alts.length === 1 ? (alts[0] as string) : `(${alts.join(" | ")})`);
    }
  }
  if (combinator) parts.push(`(${combinator.map((a) => typeOf(a, inner)).join(" | ")})`);
  if (s.allOf) parts.push(...s.allOf.map((a) => `(${typeOf(a, inner)})`));
  if (parts.length === 0) return "unknown";
  return parts.length === 1 ? (parts[0] as string) : parts.map((p) => `(${p})`).join(" & ");
}

/** True when `s` (a definition) is a plain object type with properties: an interface. */
const isInterface = (s: Schema): s is SchemaObject =>
  isSchemaObject(s) &&
  s.$ref === undefined &&
  s.enum === undefined &&
  s.const === undefined &&
  s.oneOf === undefined &&
  s.anyOf === undefined &&
  s.allOf === undefined &&
  Object.keys(s.properties ?? {}).length > 0 &&
  typesOf(s).length === 1 &&
  typesOf(s)[0] === "object";

/** `export interface Name { … }` or `export type Name = …;`. */
export function typeDeclaration(name: string, s: Schema, ctx: TypeCtx): string {
  return isInterface(s)
    ? `export interface ${name} {\n${members(s, ctx)}\n}`
    : `export type ${name} = ${typeOf(s, ctx)};`;
}
