/**
 * `untyped(value)`: hands a function a value its parameter types refuse, as a JavaScript
 * caller or data from outside would, so a spec can check that runtime validation still
 * reports it. Use it only where the bad value is the point of the test.
 */
export const untyped = (value: unknown): never => value as never;
