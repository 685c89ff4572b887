import type { ExperimentArm } from '../../../schema/values';
import type { Exposure } from '../experiments';
import type { Application, NotApplied, Offer } from '../offers';

/**
 * Who met an experiment's offer in this order: a treatment member it applied to, and a control
 * member it was held back from (HOLDOUT: it would have applied). Written in the order's own batch.
 */
export function offerExposures(
  memberId: string | null,
  at: Date,
  offers: readonly Offer[],
  arms: ReadonlyMap<string, ExperimentArm>,
  outcome: { applied: readonly Application[]; notApplied: readonly NotApplied[] },
): Exposure[] {
  if (memberId === null || arms.size === 0) return [];
  const experimentOf = new Map(
    offers.flatMap((offer) => (offer.conditions.experimentId ? [[offer.id, offer.conditions.experimentId]] : [])),
  );
  const met = [
    ...outcome.applied.map((application) => application.offerId),
    ...outcome.notApplied.filter((entry) => entry.reason === 'holdout').map((entry) => entry.offerId),
  ];
  const exposures = new Map<string, Exposure>();
  for (const offerId of met) {
    const experimentId = offerId ? experimentOf.get(offerId) : undefined;
    const arm = experimentId ? arms.get(experimentId) : undefined;
    if (!offerId || !experimentId || !arm) continue;
    exposures.set(offerId, { experimentId, memberId, arm, subjectKind: 'offer', subjectId: offerId, at });
  }
  return [...exposures.values()];
}
