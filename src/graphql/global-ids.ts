import { decodeGlobalID } from '@pothos/plugin-relay';

/** The id inside a Relay global id of `typename`, or null for anything else (wrong type, garbage). */
export function decodeId(typename: string, globalId: string | number): string | null {
  try {
    const decoded = decodeGlobalID(String(globalId));
    return decoded.typename === typename ? decoded.id : null;
  } catch {
    return null;
  }
}

/** Like `decodeId`, but a foreign or malformed id becomes the error the caller gives for "not found". */
export function requireId(typename: string, globalId: string | number, notFound: (id: string) => Error): string {
  const id = decodeId(typename, globalId);
  if (id === null) throw notFound(String(globalId));
  return id;
}
