import type { LotRow } from '../../../../schema';
import { builder } from '../../../graphql/builder';
import { programIdOf } from '../../../graphql/context';
import { MemberType } from '../../members';
import { ProgramType } from '../../programs';
import { AuditViolationType, LotType, MoneyType, TransferType, WalletBalanceType } from './types';
import { connectionById } from '../../../graphql/connections';

const ExpiringPointsType = builder.objectRef<{ points: number; until: Date; lots: LotRow[] }>('ExpiringPoints').implement({
  fields: (t) => ({
    points: t.expose('points', { type: 'SafeInt', description: 'Points that expire by `until` unless spent' }),
    until: t.expose('until', { type: 'DateTime' }),
    lots: t.field({ type: [LotType], description: 'Soonest expiry first', resolve: (expiring) => expiring.lots }),
  }),
});

builder.objectFields(MemberType, (t) => ({
  pointsBalance: t.loadable({
    type: 'SafeInt',
    description: 'Points held now, including any whose expiry has come but not yet been processed',
    load: (memberIds: string[], context) => context.services.ledger.pointsBalances(programIdOf(context), memberIds),
    resolve: (member) => member.id,
  }),
  pendingPoints: t.loadable({
    type: 'SafeInt',
    description: "Part of pointsBalance not spendable yet: earned by orders still in the program's return window (pointsVestingDays)",
    load: (memberIds: string[], context) => context.services.ledger.pendingPoints(programIdOf(context), memberIds),
    resolve: (member) => member.id,
  }),
  walletBalances: t.loadableList({
    type: WalletBalanceType,
    load: (memberIds: string[], context) => context.services.ledger.walletBalances(programIdOf(context), memberIds),
    resolve: (member) => member.id,
  }),
  lots: t.connection({
    type: LotType,
    description: 'Points lots, newest first; only those still holding points unless includeClosed',
    args: { includeClosed: t.arg.boolean({ defaultValue: false }) },
    resolve: (member, args, context) =>
      connectionById(args, (page) =>
        context.services.ledger.lots(member.programId, member.id, { ...page, includeClosed: args.includeClosed ?? false }),
      ),
  }),
  pointsExpiringSoon: t.field({
    type: ExpiringPointsType,
    args: { days: t.arg.int({ required: true, description: 'Look ahead this many days (1–3650)' }) },
    resolve: (member, { days }, context) =>
      context.services.ledger.expiringSoon(member.programId, member.id, Math.min(Math.max(days, 1), 3650)),
  }),
  transfers: t.connection({
    type: TransferType,
    description: "Every movement of this member's points and wallets, newest first",
    resolve: (member, args, context) =>
      connectionById(args, (page) => context.services.ledger.transfers(member.programId, member.id, page)),
  }),
}));

const LiabilityType = builder.objectRef<{ points: number; value: { amount: number; currency: string } }>('PointsLiability').implement({
  description: 'What the program owes its members',
  fields: (t) => ({
    points: t.expose('points', { type: 'SafeInt', description: 'Points held by all members' }),
    value: t.field({
      type: MoneyType,
      description: 'Their worth at the current redemption value',
      resolve: (liability) => liability.value,
    }),
  }),
});

builder.objectField(ProgramType, 'liability', (t) =>
  t.field({
    type: LiabilityType,
    authScopes: { admin: true },
    resolve: (program, _args, context) => context.services.ledger.liability(program.id),
  }),
);

const LedgerAuditType = builder
  .objectRef<{ violations: Array<{ invariant: string; subject: string; detail: string }> }>('LedgerAudit')
  .implement({
    fields: (t) => ({
      sound: t.boolean({ resolve: (audit) => audit.violations.length === 0 }),
      violations: t.field({ type: [AuditViolationType], resolve: (audit) => audit.violations }),
    }),
  });

builder.queryField('ledgerAudit', (t) =>
  t.field({
    type: LedgerAuditType,
    description: 'Recomputes every ledger invariant for the program and lists what breaks them (empty when sound)',
    authScopes: { admin: true },
    resolve: async (_root, _args, context) => ({ violations: await context.services.ledger.audit(programIdOf(context)) }),
  }),
);
