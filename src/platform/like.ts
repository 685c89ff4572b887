/** The escape character every LIKE pattern built with `escapeLike` declares: `like ? escape '\'`. */
export const LIKE_ESCAPE = '\\';

/**
 * Escapes LIKE's wildcards (and the escape character itself) so that `text` matches literally: a
 * search for "50%" finds "50%", not everything starting with "50". Use with `escape '\'`.
 *
 * @example
 * sql`email like ${`%${escapeLike(search)}%`} escape '\\'`
 */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `${LIKE_ESCAPE}${char}`);
}
