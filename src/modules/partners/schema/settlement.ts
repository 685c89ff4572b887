import type { PartnerRow, SettlementPeriodRow } from '../../../../schema';
import { builder } from '../../../graphql/builder';
import { programIdOf } from '../../../graphql/context';
import { parseInput } from '../../../graphql/parse-input';
import * as errors from '../errors';
import type { SettlementLine, SettlementTotals } from '../settlement';
import { visiblePartnerId, windowSchema } from './actor';
import { PartnerType } from './types';

interface Statement {
  partner: PartnerRow;
  from: Date;
  until: Date;
  currency: string;
  lines: SettlementLine[];
  totals: SettlementTotals;
  csv: () => string;
}

const adminOrPartner = { admin: true, partner: true };

const SettlementLineType = builder.objectRef<SettlementLine>('SettlementLine').implement({
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime' }),
    kind: t.string({ resolve: (line) => line.kind.toUpperCase() }),
    orderReference: t.exposeString('orderReference', { nullable: true }),
    memberReference: t.exposeString('memberReference', { nullable: true }),
    discount: t.expose('discount', { type: 'SafeInt' }),
    partnerShare: t.expose('partnerShare', { type: 'SafeInt' }),
    fee: t.expose('fee', { type: 'SafeInt' }),
  }),
});

const SettlementTotalsType = builder.objectRef<SettlementTotals>('SettlementTotals').implement({
  fields: (t) => ({
    discount: t.expose('discount', { type: 'SafeInt' }),
    partnerShare: t.expose('partnerShare', { type: 'SafeInt' }),
    fees: t.expose('fees', { type: 'SafeInt' }),
    total: t.expose('total', { type: 'SafeInt' }),
  }),
});

const SettlementStatementType = builder.objectRef<Statement>('SettlementStatement').implement({
  fields: (t) => ({
    partner: t.field({ type: PartnerType, resolve: (statement) => statement.partner }),
    from: t.expose('from', { type: 'DateTime' }),
    to: t.expose('until', { type: 'DateTime' }),
    currency: t.exposeString('currency'),
    lines: t.field({ type: [SettlementLineType], resolve: (statement) => statement.lines }),
    totals: t.field({ type: SettlementTotalsType, resolve: (statement) => statement.totals }),
    csv: t.string({ resolve: (statement) => statement.csv() }),
  }),
});

export const SettlementPeriodType = builder.objectRef<SettlementPeriodRow>('SettlementPeriod').implement({
  fields: (t) => ({
    from: t.expose('from', { type: 'DateTime' }),
    until: t.expose('until', { type: 'DateTime' }),
    closedAt: t.expose('closedAt', { type: 'DateTime' }),
    totals: t.field({
      type: SettlementTotalsType,
      resolve: (period) => ({
        discount: period.discount,
        partnerShare: period.partnerShare,
        fees: period.fees,
        total: period.partnerShare + period.fees,
      }),
    }),
    statement: t.field({
      type: SettlementStatementType,
      resolve: (period, _args, context) =>
        context.services.partners.statement(period.programId, period.partnerId, period.from, period.until),
    }),
  }),
});

builder.objectField(PartnerType, 'settlementPeriods', (t) =>
  t.field({
    type: [SettlementPeriodType],
    resolve: (partner, _args, context) => context.services.partners.periods(partner.programId, partner.id),
  }),
);

const CloseSettlementPeriodInput = builder.inputType('CloseSettlementPeriodInput', {
  fields: (t) => ({ partnerId: t.id({ required: true }), until: t.field({ type: 'DateTime', required: true }) }),
});

builder.queryField('settlementStatement', (t) =>
  t.field({
    type: SettlementStatementType,
    authScopes: adminOrPartner,
    args: {
      partnerId: t.arg.id({ required: true }),
      from: t.arg({ type: 'DateTime', required: true }),
      to: t.arg({ type: 'DateTime', required: true }),
    },
    errors: { types: [errors.PartnerNotFoundError], directResult: true, union: { name: 'SettlementStatementResult' } },
    resolve: (_root, args, context) => {
      const { from, to } = parseInput(windowSchema(), args);
      return context.services.partners.statement(programIdOf(context), visiblePartnerId(context, args.partnerId), from, to);
    },
  }),
);

builder.mutationField('closeSettlementPeriod', (t) =>
  t.field({
    type: SettlementPeriodType,
    authScopes: { admin: true },
    args: { input: t.arg({ type: CloseSettlementPeriodInput, required: true }) },
    errors: { types: [errors.PartnerNotFoundError], directResult: true, union: { name: 'CloseSettlementPeriodResult' } },
    resolve: (_root, { input }, context) =>
      context.services.partners.closePeriod(programIdOf(context), visiblePartnerId(context, input.partnerId), input.until),
  }),
);
