import { builder } from '../../../graphql/builder';
import { programIdOf } from '../../../graphql/context';
import { upperCaseEnum } from '../../../graphql/enums';
import { MemberType } from '../../members';
import { purchaseKeyKinds } from '../../../../schema/values';
import type { MemberStats } from '../service';

const PurchaseKind = upperCaseEnum('PurchaseKind', purchaseKeyKinds);
const MAX_WINDOW_DAYS = 3650;
const MAX_PURCHASE_KEYS = 100;

const PurchaseCountType = builder.objectRef<{ key: string; orders: number }>('PurchaseCount').implement({
  fields: (t) => ({ key: t.exposeString('key'), orders: t.exposeInt('orders') }),
});

const MemberStatsType = builder.objectRef<MemberStats>('MemberStats').implement({
  fields: (t) => ({
    firstOrderAt: t.expose('firstOrderAt', { type: 'DateTime', nullable: true }),
    lastOrderAt: t.expose('lastOrderAt', { type: 'DateTime', nullable: true }),
    orderCount: t.exposeInt('orderCount'),
    totalSpend: t.expose('totalSpend', { type: 'SafeInt' }),
    averageOrderValue: t.expose('averageOrderValue', { type: 'SafeInt', nullable: true }),
    purchases: t.field({
      type: [PurchaseCountType],
      args: {
        kind: t.arg({ type: PurchaseKind, required: true }),
        withinDays: t.arg.int(),
        first: t.arg.int({ defaultValue: 20 }),
      },
      resolve: (stats, { kind, withinDays, first }, context) => {
        const window = withinDays == null ? null : Math.min(Math.max(withinDays, 1), MAX_WINDOW_DAYS);
        return context.services.history.purchases(
          stats.programId,
          stats.memberId,
          kind,
          window,
          Math.min(Math.max(first ?? 20, 1), MAX_PURCHASE_KEYS),
        );
      },
    }),
  }),
});

builder.objectFields(MemberType, (t) => ({
  stats: t.loadable({
    type: MemberStatsType,
    load: (memberIds: string[], context) => context.services.history.stats(programIdOf(context), memberIds),
    resolve: (member) => member.id,
  }),
}));
