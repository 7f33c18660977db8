/**
 * Checks of the messages between the extension and its webview pages, used on both sides: the extension checks what
 * a page sends (a page shows names from a binary, so it is untrusted input), and each page (media/, which bundles
 * this file) checks what the extension sends before using it. Each check is a type guard; a page declares its
 * schema with them typed as the extension's own message types (`Check<Wire<InspectorModel>>`), so the type-checker
 * holds the page's schema to the types the extension sends: there is no second description of a report to drift.
 */

export type Check<T> = (value: unknown) => value is T;
type Checked<C> = C extends Check<infer T> ? T : never;

/**
 * A message type as a page checks it: every field of the type, with string and boolean values checked for their
 * kind only (a page shows a host kind or a category it does not know as it is, rather than dropping the report).
 */
export type Wire<T> = T extends string
  ? string
  : T extends boolean
    ? boolean
    : T extends readonly (infer E)[]
      ? Wire<E>[]
      : T extends object
        ? { [K in keyof T]: Wire<T[K]> }
        : T;

/** An object made by JSON or structured cloning (no class instance, no array). */
export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
export const isString = (value: unknown): value is string => typeof value === 'string';
export const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
/** A size, count or offset. */
export const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
export const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';

/** One of these values. */
export const oneOf =
  <const V extends readonly (string | number | boolean)[]>(...values: V): Check<V[number]> =>
  (value: unknown): value is V[number] =>
    (values as readonly unknown[]).includes(value);

export const arrayOf =
  <T>(check: Check<T>): Check<T[]> =>
  (value: unknown): value is T[] =>
    Array.isArray(value) && value.every(check);

export const recordOf =
  <T>(check: Check<T>): Check<Record<string, T>> =>
  (value: unknown): value is Record<string, T> =>
    isPlainObject(value) && Object.values(value).every(check);

/**
 * An object whose listed keys pass their checks (`optional` ones may be missing). Other keys are allowed in data (a
 * report may grow); messages themselves are checked for exact keys with `hasExactly`.
 */
export const shape =
  <R extends Record<string, Check<unknown>>, O extends Record<string, Check<unknown>> = Record<never, never>>(
    required: R,
    optional?: O,
  ): Check<{ [K in keyof R]: Checked<R[K]> } & { [K in keyof O]?: Checked<O[K]> }> =>
  (value: unknown): value is { [K in keyof R]: Checked<R[K]> } & { [K in keyof O]?: Checked<O[K]> } =>
    isPlainObject(value) &&
    Object.entries(required).every(([k, check]) => check(value[k])) &&
    Object.entries(optional ?? {}).every(([k, check]) => value[k] === undefined || check(value[k]));

/** Exactly these own keys, no more and no fewer. */
export const hasExactly = (value: Record<string, unknown>, keys: readonly string[]): boolean =>
  Object.keys(value).length === keys.length && keys.every((k) => Object.prototype.hasOwnProperty.call(value, k));

/** Rich text (src/core/text/rich.ts): plain strings and code spans. */
export const isRich: Check<(string | { code: string })[]> = arrayOf(
  (part: unknown): part is string | { code: string } =>
    isString(part) || (isPlainObject(part) && hasExactly(part, ['code']) && isString(part.code)),
);
