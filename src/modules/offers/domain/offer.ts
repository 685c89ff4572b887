import { z } from 'zod';
import { limitPeriods, limitWindows } from '../../../../schema/values';
import type { OfferRow } from '../../../../schema';
import { MAX_AMOUNT, optional, prose, text, whole, withoutControlCharacters } from '../../../platform/validation';
import { MAX_MULTIPLIER_PERMILLE, MAX_POINTS } from '../../../platform/bounds';
import { amountStepsSchema, percentStepsSchema, type AmountStep, type PercentStep } from './steps';

export const audiences = ['everyone', 'members', 'member_only_tiers'] as const;
export type Audience = (typeof audiences)[number];

/** Lines an effect works on: a line matches when its SKU or its category is listed. */
export interface ItemMatch {
  skus: string[];
  categories: string[];
}

/** Who may use an offer and on which carts; every condition set must hold. */
export interface OfferConditions {
  /** `member_only_tiers`: members whose current tier has `memberOnlyOffers`. */
  audience: Audience;
  /** Empty: any tier (or none). */
  tierIds: string[];
  /** Only members who joined through a referral (a referee's welcome offer). */
  referredOnly: boolean;
  /** The member's birthday is at most this many days before or after today (UTC). */
  birthdayWindowDays: number | null;
  /** Today (UTC) is in the month of the member's birthday (absent on offers stored before it existed). */
  birthdayMonth?: boolean;
  /** Order attributes that must equal these values, e.g. `{ ownCup: true }`. */
  attributes: Record<string, string | number | boolean>;
  /** 1: the member's first order, 2: the second … */
  orderNumber: number | null;
  /** The member's previous order was at most this many days ago (a come-back offer). */
  withinDaysOfLastOrder: number | null;
  /** Cart total before discounts, minor units. */
  minimumSpend: number | null;
  /** Only members in at least one of these segments (empty or absent: anyone). */
  segmentIds?: string[];
  /** Part of this experiment: while it runs, its control members do not get the offer (absent: none). */
  experimentId?: string | null;
}

/**
 * Percent and amount effects give a fixed `basisPoints`/`amount`, or `steps`: the highest step whose
 * minimum spend the cart reaches applies (`steps` is absent on effects stored before it existed).
 */
export type OfferEffect =
  | { kind: 'percent_off'; basisPoints: number | null; steps?: PercentStep[] | null; items: ItemMatch | null }
  | { kind: 'amount_off'; amount: number | null; steps?: AmountStep[] | null; items: ItemMatch | null }
  /**
   * One of each SKU bought together: at `bundlePrice` per set, `bundleBasisPoints` off the set, or
   * `bundleAmountOff` off the set (absent on combos stored before it existed: read it with `?? null`).
   */
  | { kind: 'combo'; skus: string[]; bundlePrice: number | null; bundleBasisPoints: number | null; bundleAmountOff?: number | null }
  /** A gift when the cart total or the total weight (a line attribute × quantity) reaches the threshold. */
  | {
      kind: 'gift';
      sku: string;
      quantity: number;
      minimumAmount: number | null;
      minimumWeight: number | null;
      weightAttribute: string | null;
    }
  /** Fixed points, or a multiplier (permille) on the points the order earns. */
  | { kind: 'bonus_points'; points: number | null; multiplierPermille: number | null }
  /** Every `stampsRequired`-th matching unit a member buys is free. */
  | { kind: 'stamp_card'; stampsRequired: number; items: ItemMatch }
  /** A personal voucher of a partner campaign for the member whose order qualifies (a "partner gift"). */
  | { kind: 'partner_voucher'; campaignId: string };

export type EffectKind = OfferEffect['kind'];
export type Offer = OfferRow;

const label = text;
const basisPoints = whole(1, 10_000);

const itemMatchSchema = z
  .object({
    skus: z
      .array(label(128))
      .max(500)
      .nullish()
      .transform((skus) => skus ?? []),
    categories: z
      .array(label(128))
      .max(100)
      .nullish()
      .transform((categories) => categories ?? []),
  })
  .refine((items) => items.skus.length + items.categories.length > 0, 'name at least one SKU or category');

/** The GraphQL effect input: exactly one member set, like a oneOf input. */
export const effectInputSchema = z
  .object({
    percentOff: z
      .object({ basisPoints: optional(basisPoints), steps: optional(percentStepsSchema), items: optional(itemMatchSchema) })
      .refine((effect) => (effect.basisPoints === null) !== (effect.steps === null), 'give either basisPoints or steps')
      .nullish(),
    amountOff: z
      .object({ amount: optional(whole(1, MAX_AMOUNT)), steps: optional(amountStepsSchema), items: optional(itemMatchSchema) })
      .refine((effect) => (effect.amount === null) !== (effect.steps === null), 'give either amount or steps')
      .nullish(),
    combo: z
      .object({
        skus: z.array(label(128)).min(2, 'a combo needs at least 2 SKUs').max(20),
        bundlePrice: optional(whole(0, MAX_AMOUNT)),
        bundleBasisPoints: optional(basisPoints),
        bundleAmountOff: optional(whole(1, MAX_AMOUNT)),
      })
      .refine((combo) => new Set(combo.skus).size === combo.skus.length, 'the SKUs of a combo must differ')
      .refine(
        (combo) => [combo.bundlePrice, combo.bundleBasisPoints, combo.bundleAmountOff].filter((value) => value !== null).length === 1,
        'give exactly one of bundlePrice, bundleBasisPoints or bundleAmountOff',
      )
      .nullish(),
    gift: z
      .object({
        sku: label(128),
        quantity: whole(1, 1000)
          .nullish()
          .transform((quantity) => quantity ?? 1),
        minimumAmount: optional(whole(0, MAX_AMOUNT)),
        minimumWeight: optional(whole(1, MAX_AMOUNT)),
        weightAttribute: optional(label(64)),
      })
      .refine((gift) => (gift.minimumAmount === null) !== (gift.minimumWeight === null), 'give either minimumAmount or minimumWeight')
      .refine((gift) => gift.minimumWeight === null || gift.weightAttribute !== null, 'minimumWeight needs weightAttribute')
      .nullish(),
    bonusPoints: z
      .object({ points: optional(whole(1, MAX_POINTS)), multiplierPermille: optional(whole(1001, MAX_MULTIPLIER_PERMILLE)) })
      .refine((bonus) => (bonus.points === null) !== (bonus.multiplierPermille === null), 'give either points or multiplierPermille')
      .nullish(),
    stampCard: z.object({ stampsRequired: whole(2, 1000), items: itemMatchSchema }).nullish(),
    partnerVoucher: z.object({ campaignId: label(64) }).nullish(),
  })
  .transform((input, context): OfferEffect => {
    const given = Object.entries(input).filter(([, value]) => value != null);
    if (given.length !== 1) {
      context.addIssue({ code: 'custom', message: 'give exactly one effect' });
      return z.NEVER;
    }
    const [name, value] = given[0]! as [keyof typeof input, never];
    const kinds = {
      percentOff: 'percent_off',
      amountOff: 'amount_off',
      combo: 'combo',
      gift: 'gift',
      bonusPoints: 'bonus_points',
      stampCard: 'stamp_card',
      partnerVoucher: 'partner_voucher',
    } as const;
    return { kind: kinds[name], ...(value as object) } as OfferEffect;
  });

const attributesSchema = z.record(label(64), z.union([withoutControlCharacters(z.string().max(200)), z.number(), z.boolean()]));

export const conditionsInputSchema = z
  .object({
    audience: z
      .enum(audiences)
      .nullish()
      .transform((audience) => audience ?? 'everyone'),
    tierIds: z
      .array(z.string())
      .max(50)
      .nullish()
      .transform((ids) => ids ?? []),
    referredOnly: z
      .boolean()
      .nullish()
      .transform((referredOnly) => referredOnly ?? false),
    birthdayWindowDays: optional(whole(0, 31)),
    birthdayMonth: z
      .boolean()
      .nullish()
      .transform((birthdayMonth) => birthdayMonth ?? false),
    attributes: attributesSchema.nullish().transform((attributes) => attributes ?? {}),
    orderNumber: optional(whole(1, 1000)),
    withinDaysOfLastOrder: optional(whole(1, 3650)),
    minimumSpend: optional(whole(1, MAX_AMOUNT)),
    segmentIds: z
      .array(z.string())
      .max(20, 'at most 20 segments')
      .nullish()
      .transform((ids) => [...new Set(ids ?? [])]),
    experimentId: optional(z.string()),
  })
  .nullish()
  .transform(
    (conditions): OfferConditions =>
      conditions ?? {
        audience: 'everyone',
        tierIds: [],
        referredOnly: false,
        birthdayWindowDays: null,
        birthdayMonth: false,
        attributes: {},
        orderNumber: null,
        withinDaysOfLastOrder: null,
        minimumSpend: null,
        segmentIds: [],
        experimentId: null,
      },
  );

const offerFields = {
  name: label(200),
  description: optional(prose(2000)),
  status: z.enum(['active', 'paused', 'archived']),
  codeRequired: z.boolean(),
  priority: whole(-1_000_000, 1_000_000),
  exclusive: z.boolean(),
  startsAt: optional(z.date()),
  endsAt: optional(z.date()),
  maxRedemptions: optional(whole(1, 1_000_000_000)),
  budget: optional(whole(1, MAX_AMOUNT)),
  perMemberLimit: optional(whole(1, 1_000_000)),
  perMemberLimitPeriod: optional(z.enum(limitPeriods)),
  perMemberLimitWindow: z.enum(limitWindows),
  conditions: conditionsInputSchema,
  effect: effectInputSchema,
};

const validWindow = (offer: { startsAt?: Date | null; endsAt?: Date | null }) =>
  !offer.startsAt || !offer.endsAt || offer.startsAt < offer.endsAt;
const windowIssue = { message: 'endsAt must be after startsAt', path: ['endsAt'] };
/** A period says how often the per-member limit comes back: it needs the limit. */
export const hasLimitForPeriod = (offer: { perMemberLimit?: number | null; perMemberLimitPeriod?: string | null }) =>
  !offer.perMemberLimitPeriod || offer.perMemberLimit != null;
const periodIssue = { message: 'perMemberLimitPeriod needs perMemberLimit', path: ['perMemberLimitPeriod'] };

export const newOfferSchema = z
  .object({
    ...offerFields,
    status: offerFields.status.nullish().transform((status) => status ?? 'active'),
    codeRequired: offerFields.codeRequired.nullish().transform((required) => required ?? false),
    priority: offerFields.priority.nullish().transform((priority) => priority ?? 0),
    exclusive: offerFields.exclusive.nullish().transform((exclusive) => exclusive ?? false),
    perMemberLimitWindow: offerFields.perMemberLimitWindow.nullish().transform((window) => window ?? 'calendar'),
  })
  .refine(validWindow, windowIssue)
  .refine(hasLimitForPeriod, periodIssue);
export type NewOffer = z.output<typeof newOfferSchema>;

/** A partial change: omitted fields keep their value; null clears a nullable one. */
export const offerUpdateSchema = z
  .object({
    name: offerFields.name.optional(),
    description: offerFields.description.optional(),
    status: offerFields.status.optional(),
    codeRequired: offerFields.codeRequired.optional(),
    priority: offerFields.priority.optional(),
    exclusive: offerFields.exclusive.optional(),
    startsAt: offerFields.startsAt.optional(),
    endsAt: offerFields.endsAt.optional(),
    maxRedemptions: offerFields.maxRedemptions.optional(),
    budget: offerFields.budget.optional(),
    perMemberLimit: offerFields.perMemberLimit.optional(),
    perMemberLimitPeriod: offerFields.perMemberLimitPeriod.optional(),
    perMemberLimitWindow: offerFields.perMemberLimitWindow.nullish().transform((window) => window ?? undefined),
    conditions: offerFields.conditions.optional(),
    effect: offerFields.effect.optional(),
  })
  .refine(validWindow, windowIssue);
export type OfferUpdate = z.output<typeof offerUpdateSchema>;

/** The offer as it will be after `update`; the window is checked again on the result. */
export function applyOfferUpdate(offer: Offer, update: OfferUpdate): Offer {
  const next = { ...offer };
  for (const [key, value] of Object.entries(update)) {
    if (value !== undefined) (next as Record<string, unknown>)[key] = value;
  }
  return next;
}

export const isWindowValid = validWindow;

export function matchesItems(items: ItemMatch, line: { sku: string; category: string | null }): boolean {
  return items.skus.includes(line.sku) || (line.category !== null && items.categories.includes(line.category));
}
