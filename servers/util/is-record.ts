/** A JSON object (not null, not an array): the one check for "a record" across servers and tests. */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
