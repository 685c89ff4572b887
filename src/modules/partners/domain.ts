import { z } from 'zod';
import type { PartnerRow } from '../../../schema';
import { partnerFundings, partnerStatuses, type PartnerCampaignStatus, type PartnerStatus } from '../../../schema/values';
import { MAX_AMOUNT, MAX_BASIS_POINTS, MAX_QUANTITY } from '../../platform/bounds';
import { optional, prose, text, whole } from '../../platform/validation';
import { REST_OF_ORDER } from '../offers/domain/allocation';
import { claimOf, EMPTY_CARD } from '../offers/domain/effects';
import { conditionsInputSchema, effectInputSchema, type EffectKind, type OfferEffect } from '../offers/domain/offer';

/** Who acts on partner records: the host's operators, or one partner on its own records only. */
export type PartnerActor = { kind: 'admin' } | { kind: 'partner'; partnerId: string };

const contactFields = {
  contactName: optional(text(200)),
  contactEmail: optional(z.email('must be an email address').max(320)),
};
const terms = {
  costShareBasisPoints: whole(0, MAX_BASIS_POINTS),
  feePerRedemption: whole(0, MAX_AMOUNT),
  creditLimit: optional(whole(0, MAX_AMOUNT)),
};
const creditLimitMatchesFunding = (partner: { funding: string; creditLimit: number | null }) =>
  (partner.funding === 'postpaid') === (partner.creditLimit !== null);
// A fresh object per use: zod rewrites the params object it is given.
const fundingIssue = () => ({ message: 'POSTPAID partners need a creditLimit; PREPAID partners have none', path: ['creditLimit'] });

export const newPartnerSchema = z
  .object({
    name: text(200),
    ...contactFields,
    funding: z.enum(partnerFundings),
    ...terms,
    feePerRedemption: terms.feePerRedemption.nullish().transform((fee) => fee ?? 0),
  })
  .refine(creditLimitMatchesFunding, fundingIssue());
export type NewPartner = z.output<typeof newPartnerSchema>;

/** A partial change: omitted fields keep their value; null clears a nullable one. */
export const partnerUpdateSchema = z.object({
  name: text(200).optional(),
  status: z.enum(partnerStatuses).optional(),
  contactName: contactFields.contactName.optional(),
  contactEmail: contactFields.contactEmail.optional(),
  funding: z.enum(partnerFundings).optional(),
  costShareBasisPoints: terms.costShareBasisPoints.optional(),
  feePerRedemption: terms.feePerRedemption.optional(),
  creditLimit: terms.creditLimit.optional(),
});
export type PartnerUpdate = z.output<typeof partnerUpdateSchema>;

/** The partner after `update`, or the issue that makes it invalid (funding and credit limit go together). */
export function applyPartnerUpdate(partner: PartnerRow, update: PartnerUpdate): PartnerRow | { issue: ReturnType<typeof fundingIssue> } {
  const next = { ...partner };
  for (const [key, value] of Object.entries(update)) {
    if (value !== undefined) (next as Record<string, unknown>)[key] = value;
  }
  return creditLimitMatchesFunding(next) ? next : { issue: fundingIssue() };
}

export const fundsMovementSchema = z.object({
  amount: whole(1, MAX_AMOUNT),
  reference: optional(text(200)),
  idempotencyKey: text(200),
});

/** The effects a partner may fund: money off, a gift or bonus points (stamp cards and combos are the host's). */
export const partnerEffectKinds: readonly EffectKind[] = ['percent_off', 'amount_off', 'gift', 'bonus_points'];

const campaignFields = {
  name: text(200),
  description: optional(prose(2000)),
  effect: effectInputSchema.refine(
    (effect) => partnerEffectKinds.includes(effect.kind),
    'a partner campaign gives percentOff, amountOff, gift or bonusPoints',
  ),
  conditions: conditionsInputSchema,
  startsAt: optional(z.date()),
  endsAt: optional(z.date()),
  perMemberLimit: optional(whole(1, MAX_QUANTITY)),
  budget: whole(1, MAX_AMOUNT),
  voucherLimit: whole(1, MAX_QUANTITY),
};
const validWindow = (campaign: { startsAt?: Date | null; endsAt?: Date | null }) =>
  !campaign.startsAt || !campaign.endsAt || campaign.startsAt < campaign.endsAt;
const windowIssue = { message: 'endsAt must be after startsAt', path: ['endsAt'] };

export const newPartnerCampaignSchema = z.object(campaignFields).refine(validWindow, windowIssue);
export type NewPartnerCampaign = z.output<typeof newPartnerCampaignSchema>;

export const partnerCampaignUpdateSchema = z
  .object(
    Object.fromEntries(Object.entries(campaignFields).map(([key, schema]) => [key, schema.optional()])) as {
      [Key in keyof typeof campaignFields]: z.ZodOptional<(typeof campaignFields)[Key]>;
    },
  )
  .refine(validWindow, windowIssue);
export type PartnerCampaignUpdate = z.output<typeof partnerCampaignUpdateSchema>;

export const campaignActions = ['update', 'submit', 'approve', 'reject', 'pause', 'resume', 'end', 'issueVouchers', 'publish'] as const;
export type CampaignAction = (typeof campaignActions)[number];

interface Transition {
  from: readonly PartnerCampaignStatus[];
  to: PartnerCampaignStatus;
  /** Who may take it: the host, the owning partner, or both. */
  by: ReadonlyArray<PartnerActor['kind']>;
}

/**
 * The campaign lifecycle: a partner (or the host on its behalf) edits a DRAFT and submits it; the host approves (ACTIVE) or
 * rejects it back to DRAFT with a reason; either side pauses, resumes or ends it.
 */
export const campaignTransitions: Record<CampaignAction, Transition> = {
  update: { from: ['draft'], to: 'draft', by: ['admin', 'partner'] },
  submit: { from: ['draft'], to: 'submitted', by: ['admin', 'partner'] },
  approve: { from: ['submitted'], to: 'active', by: ['admin'] },
  reject: { from: ['submitted'], to: 'draft', by: ['admin'] },
  pause: { from: ['active'], to: 'paused', by: ['admin', 'partner'] },
  resume: { from: ['paused'], to: 'active', by: ['admin', 'partner'] },
  end: { from: ['draft', 'submitted', 'active', 'paused'], to: 'ended', by: ['admin', 'partner'] },
  issueVouchers: { from: ['active'], to: 'active', by: ['admin', 'partner'] },
  /** Personal vouchers to host members: the host's members are the host's to address. */
  publish: { from: ['active'], to: 'active', by: ['admin'] },
};

/** The status `action` leads to, or null when the campaign's status or the actor does not allow it. */
export function nextCampaignStatus(
  status: PartnerCampaignStatus,
  action: CampaignAction,
  actor: PartnerActor['kind'],
): PartnerCampaignStatus | null {
  const transition = campaignTransitions[action];
  return transition.from.includes(status) && transition.by.includes(actor) ? transition.to : null;
}

/** A campaign's offer is live only while the campaign is ACTIVE and its partner too. */
export function backingOfferStatus(campaign: PartnerCampaignStatus, partner: PartnerStatus): 'active' | 'paused' | 'archived' {
  if (campaign === 'ended') return 'archived';
  return campaign === 'active' && partner === 'active' ? 'active' : 'paused';
}

/** Whether the actor may see or act on a record of `partnerId`. */
export const mayAccess = (actor: PartnerActor, partnerId: string) => actor.kind === 'admin' || actor.partnerId === partnerId;

/** What a voucher takes off an order at the partner's own till, of which nothing but the amount is known. */
export type TillPricing = { discount: number } | { refusal: string };

/**
 * A voucher's discount on an `amount` paid at the partner's till: the campaign's money-off effect
 * on the whole amount (a stepped one by the amount), capped by the budget left; a gift takes
 * nothing off (the partner hands it over). Effects on items cannot be told without the lines, and
 * bonus points are the host's to give: both are refused, as are a minimum spend not reached and a
 * spent budget.
 */
export function tillPricing(effect: OfferEffect, minimumSpend: number | null, amount: number, budgetLeft: number): TillPricing {
  if (minimumSpend !== null && amount < minimumSpend) return { refusal: 'below_threshold' };
  if (effect.kind === 'gift') return { discount: 0 };
  if ((effect.kind !== 'percent_off' && effect.kind !== 'amount_off') || effect.items) return { refusal: 'not_redeemable_at_partner_till' };
  const claim = claimOf(effect, { total: amount, lines: [], remaining: new Map([[REST_OF_ORDER, amount]]) }, EMPTY_CARD);
  if ('reason' in claim) return { refusal: claim.reason };
  if (budgetLeft <= 0) return { refusal: 'budget_exhausted' };
  return { discount: Math.min(claim.discount, budgetLeft) };
}
