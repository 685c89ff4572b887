/** Lone halves of surrogate pairs, which a JSON string (a GraphQL variable) may carry and UTF-8 cannot. */
const LONE_SURROGATE = /\p{Cs}/gu;

/** Text as the database stores it: the driver turns half of a surrogate pair alone into U+FFFD on the way in. */
export const asStoredText = (text: string) => text.replace(LONE_SURROGATE, '\uFFFD');

/** A JSON-like value with every string in it (keys included) as the database stores it; other values unchanged. */
export function withStoredTexts(value: unknown): unknown {
  if (typeof value === 'string') return asStoredText(value);
  if (Array.isArray(value)) return value.map(withStoredTexts);
  if (value === null || typeof value !== 'object') return value;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [asStoredText(key), withStoredTexts(entry)]));
}
