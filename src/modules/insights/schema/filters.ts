import { builder } from '../../../graphql/builder';
import { upperCaseEnum } from '../../../graphql/enums';
import { segmentIdFrom } from '../../segments';
import { tierIdFrom } from '../../tiers';
import { insightPeriods } from '../domain/periods';
import type { MemberFilter } from '../scope';

export const InsightPeriod = upperCaseEnum('InsightPeriod', insightPeriods);

export const Definition = builder.objectRef<{ term: string; meaning: string }>('InsightDefinition').implement({
  fields: (t) => ({ term: t.exposeString('term'), meaning: t.exposeString('meaning') }),
});

export const Span = builder.objectRef<{ start: Date; end: Date }>('InsightSpan').implement({
  fields: (t) => ({ start: t.expose('start', { type: 'DateTime' }), end: t.expose('end', { type: 'DateTime' }) }),
});

/** Decodes the optional segment and tier ids of a report; an id of another type is not found. */
export function memberFilterOf(args: { segmentId?: string | number | null; tierId?: string | number | null }): MemberFilter {
  const segmentId = args.segmentId == null ? null : segmentIdFrom(args.segmentId);
  const tierId = args.tierId == null ? null : tierIdFrom(args.tierId);
  return { segmentId, tierId };
}
