/**
 * JavaScript built-ins that return `any`, given honest types: what they return is `unknown`
 * until a codec or a guard says more. Using these instead of `JSON.parse(…) as unknown` keeps
 * type assertions out of the code that reads input.
 */

/** `JSON.parse`, returning `unknown`. Throws on text that is not JSON, as `JSON.parse` does. */
export const parseJson: (text: string) => unknown = JSON.parse;

/** `Object.getPrototypeOf`, returning `unknown`. */
export const prototypeOf: (o: object) => unknown = Object.getPrototypeOf;
