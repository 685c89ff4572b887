import { customAlphabet } from 'nanoid';

/** No 0/O, 1/I/L or 5/S look-alikes: a code read aloud or off a receipt is typed right. */
export const CODE_ALPHABET = '2346789ABCDEFGHJKMNPQRTUVWXYZ';

/** How codes (promo and referral) are stored and compared: trimmed, upper case. Entry is case-insensitive. */
export function normalizeCode(code: string): string {
  return code.trim().toUpperCase();
}

/** A generator of random codes of `length` characters from CODE_ALPHABET (29^length of them). */
export const randomCodes = (length: number) => customAlphabet(CODE_ALPHABET, length);
