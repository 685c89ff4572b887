import { createHash } from 'node:crypto';

/** The person behind an address: case, surrounding space and a `+tag` in the local part do not count. */
export function emailIdentity(email: string): string {
  const [local = '', domain = ''] = email.trim().toLowerCase().split('@');
  return `${local.split('+')[0]}@${domain}`;
}

/** Whether two addresses belong to the same person (see `emailIdentity`). */
export function sameEmailIdentity(a: string | null | undefined, b: string | null | undefined): boolean {
  return !!a && !!b && emailIdentity(a) === emailIdentity(b);
}

/** One-way: stored so that "new to the program" survives erasure without keeping the address. */
export function emailFingerprint(programId: string, email: string): string {
  return createHash('sha256').update(`${programId}\n${emailIdentity(email)}`).digest('hex');
}
