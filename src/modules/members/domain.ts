import { z } from 'zod';
import type { MemberRow } from '../../../schema';
import { MAX_AMOUNT } from '../../platform/bounds';
import { text, withoutControlCharacters } from '../../platform/validation';
import { escapeLike } from '../../platform/like';

/** Trimmed and lower-cased: the form in which emails are stored and compared. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

const externalId = text(128);
const email = z.string().transform(normalizeEmail).pipe(z.email('must be a valid email address').max(254));
const name = text(200);
const birthday = z.iso
  .date('must be a real calendar date as YYYY-MM-DD')
  .refine((value) => value >= '1900-01-01', 'must be after 1900')
  .refine((value) => value <= latestBirthday(), 'must not be in the future');

/** Today in the time zone furthest ahead (UTC+14), so that no one's real birthday today is refused. */
function latestBirthday(): string {
  return new Date(Date.now() + 14 * 3600_000).toISOString().slice(0, 10);
}

/** An IANA time zone the runtime knows (`Europe/Berlin`), stored in its canonical spelling. */
const timeZone = z.string().max(64).refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin');

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const MAX_ATTRIBUTES = 50;
export const MAX_ATTRIBUTE_TEXT = 256;
export const MAX_TAGS = 50;

/** A member attribute: a small scalar (text up to 256 characters, a whole number within the money bound, a boolean). */
const attributeValue = z.union(
  [
    withoutControlCharacters(z.string().max(MAX_ATTRIBUTE_TEXT, `must be at most ${MAX_ATTRIBUTE_TEXT} characters`)),
    z.number().int('must be a whole number').min(-MAX_AMOUNT).max(MAX_AMOUNT, `must be within ±${MAX_AMOUNT}`),
    z.boolean(),
  ],
  { error: `must be text (≤ ${MAX_ATTRIBUTE_TEXT} characters), a whole number or a boolean` },
);

/** Your own facts about a customer: at most 50 keys (1–64 characters) of small scalar values. */
export const memberAttributesSchema = z
  .record(
    withoutControlCharacters(z.string().trim().min(1, 'keys must not be empty').max(64, 'keys must be at most 64 characters')),
    attributeValue,
  )
  .refine((attributes) => Object.keys(attributes).length <= MAX_ATTRIBUTES, `must have at most ${MAX_ATTRIBUTES} keys`);

/** Normalizes a tag as stored and compared: trimmed, lower-case. */
export const normalizeTag = (tag: string) => tag.trim().toLowerCase();

/** Labels: at most 50, each 1–64 characters, stored lower-case without duplicates. */
export const tagsSchema = z
  .array(text(64).transform(normalizeTag))
  .transform((tags) => [...new Set(tags)])
  .refine((tags) => tags.length <= MAX_TAGS, `must have at most ${MAX_TAGS} different tags`);

/** Members having every tag and every attribute value given. */
export const memberFilterSchema = z.object({ tags: tagsSchema.nullish(), attributes: memberAttributesSchema.nullish() });
export type MemberFilter = z.output<typeof memberFilterSchema>;

export const consentsSchema = z.object({
  email: z.boolean().nullish(),
  sms: z.boolean().nullish(),
  push: z.boolean().nullish(),
});

/** Validates and normalizes an enrollment; an enrolled member needs at least one way to find them. */
export const enrollmentSchema = z
  .object({
    externalId: externalId.nullish(),
    email: email.nullish(),
    name: name.nullish(),
    birthday: birthday.nullish(),
    timeZone: timeZone.nullish(),
    consents: consentsSchema.nullish(),
    attributes: memberAttributesSchema.nullish(),
    tags: tagsSchema.nullish(),
    referralCode: text(32).nullish(),
  })
  .refine((input) => input.externalId || input.email, {
    message: 'an externalId or an email is required',
    path: ['externalId'],
  });

/** A partial update: an omitted field stays as it is, `null` clears it. */
export const profileUpdateSchema = z.object({
  externalId: externalId.nullish(),
  email: email.nullish(),
  name: name.nullish(),
  birthday: birthday.nullish(),
  timeZone: timeZone.nullish(),
  consents: consentsSchema.nullish(),
  /** Replaces all attributes; `{}` or null clears them. */
  attributes: memberAttributesSchema.nullish(),
  /** Replaces all tags; `[]` or null clears them. */
  tags: tagsSchema.nullish(),
});

export type Enrollment = z.output<typeof enrollmentSchema>;
export type ProfileUpdate = z.output<typeof profileUpdateSchema>;
type Consents = z.output<typeof consentsSchema>;

type ProfileColumns = Pick<
  MemberRow,
  'externalId' | 'email' | 'name' | 'birthday' | 'timeZone' | 'consentEmail' | 'consentSms' | 'consentPush' | 'attributes' | 'tags'
>;

function consentColumns(consents: Consents | null | undefined): Partial<ProfileColumns> {
  const columns: Partial<ProfileColumns> = {};
  if (consents?.email != null) columns.consentEmail = consents.email;
  if (consents?.sms != null) columns.consentSms = consents.sms;
  if (consents?.push != null) columns.consentPush = consents.push;
  return columns;
}

/** The columns a new member starts with. */
export function enrollmentColumns(enrollment: Enrollment): ProfileColumns {
  return {
    externalId: enrollment.externalId ?? null,
    email: enrollment.email ?? null,
    name: enrollment.name ?? null,
    birthday: enrollment.birthday ?? null,
    timeZone: enrollment.timeZone ?? null,
    consentEmail: false,
    consentSms: false,
    consentPush: false,
    attributes: enrollment.attributes ?? {},
    tags: enrollment.tags ?? [],
    ...consentColumns(enrollment.consents),
  };
}

/** The columns an update changes: only the keys present in the input. */
export function profileUpdateColumns(update: ProfileUpdate): Partial<ProfileColumns> {
  const columns: Partial<ProfileColumns> = consentColumns(update.consents);
  for (const key of ['externalId', 'email', 'name', 'birthday', 'timeZone'] as const) {
    if (update[key] !== undefined) columns[key] = update[key];
  }
  if (update.attributes !== undefined) columns.attributes = update.attributes ?? {};
  if (update.tags !== undefined) columns.tags = update.tags ?? [];
  return columns;
}

/** The program finds its customers by these; a member needs one of them. */
export function keepsAnIdentifier(profile: { externalId: string | null; email: string | null }): boolean {
  return profile.externalId !== null || profile.email !== null;
}

/** Fields the program owns: a member token may change its name, birthday and consents, not these. */
export const programOwnedFields = ['externalId', 'email', 'attributes', 'tags'] as const;

export function selfUpdateIssues(update: ProfileUpdate) {
  return programOwnedFields
    .filter((field) => update[field] !== undefined)
    .map((field) => ({ path: ['input', field], message: 'can only be changed by the program (admin or storefront)' }));
}

/** What erasure leaves of a member: no personal data, no consents, an anonymous row for the ledger. */
export function erasureColumns(now: Date) {
  return {
    externalId: null,
    email: null,
    name: null,
    birthday: null,
    timeZone: null,
    consentEmail: false,
    consentSms: false,
    consentPush: false,
    attributes: {},
    tags: [],
    status: 'erased' as const,
    erasedAt: now,
    updatedAt: now,
  };
}

/** What a member search matches: the text anywhere, case-insensitively, wildcards taken literally. */
export function likePattern(search: string): string {
  return `%${escapeLike(search.trim().toLowerCase())}%`;
}

/**
 * What member events say about a member: the shop's own id and the channels they consent to, never
 * their email, name or birthday (a receiver that needs those reads them with its own access).
 * An erased member's row has no external id left, so their later events carry nothing personal.
 */
export function memberEventData(
  member: { id: string; externalId: string | null; status: string; consentEmail: boolean; consentSms: boolean; consentPush: boolean },
  extra: Record<string, unknown> = {},
) {
  return {
    memberId: member.id,
    externalId: member.externalId,
    status: member.status,
    consents: { email: member.consentEmail, sms: member.consentSms, push: member.consentPush },
    ...extra,
  };
}
