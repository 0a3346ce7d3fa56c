/**
 * The JSON Schema model the codegen reads: the subset the codex bundle uses plus a few common
 * extras, the keywords it understands or ignores, and small predicates over schemas.
 */

/** A JSON value (enum and const values). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A JSON Schema object: the keywords the codegen reads, and any others (checked by name). */
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

/** A schema: an object, or `true` (anything) / `false` (nothing). */
export type Schema = boolean | SchemaObject;

/** Keywords that only annotate or constrain values further; the codecs ignore them. */
export const IGNORED_KEYWORDS = new Set([
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
export const HANDLED_KEYWORDS = new Set([
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

/** True for a schema object (not `true`/`false`, not an array). */
export function isSchemaObject(s: unknown): s is SchemaObject {
  return typeof s === "object" && s !== null && !Array.isArray(s);
}

/** Throws on a keyword the generator neither handles nor may ignore. */
export function assertKnownKeywords(s: SchemaObject, where: string): void {
  for (const k of Object.keys(s)) {
    if (!HANDLED_KEYWORDS.has(k) && !IGNORED_KEYWORDS.has(k)) {
      throw new Error(`${where}: unsupported JSON Schema keyword "${k}"`);
    }
  }
}

/** The schema's types: declared, else implied by its structure; `nullable` adds "null". */
export function typesOf(s: SchemaObject): string[] {
  const declared = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
  const types = [...declared];
  if (types.length === 0) {
    if (s.properties !== undefined || s.additionalProperties !== undefined) types.push("object");
    else if (s.items !== undefined) types.push("array");
  }
  if (s.nullable === true && !types.includes("null")) types.push("null");
  return types;
}

/** A schema that is only an enum of strings (optionally `type: "string"`). */
export function isPureStringEnum(s: Schema): s is SchemaObject & { enum: string[] } {
  if (!isSchemaObject(s) || !Array.isArray(s.enum)) return false;
  const structural = Object.keys(s).filter((k) => HANDLED_KEYWORDS.has(k));
  const typeOk = s.type === undefined || s.type === "string";
  return (
    typeOk &&
    structural.every((k) => k === "enum" || k === "type") &&
    s.enum.every((v) => typeof v === "string")
  );
}

/** True when the schema has structure of its own (properties, items, additionalProperties). */
export const isStructural = (s: SchemaObject): boolean =>
  s.properties !== undefined || s.items !== undefined || s.additionalProperties !== undefined;

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A property key as TypeScript source: bare when an identifier, else quoted. */
export const propKey = (k: string): string => (IDENT.test(k) ? k : JSON.stringify(k));
