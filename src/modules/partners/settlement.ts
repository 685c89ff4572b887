import { createHmac } from 'node:crypto';
import type { FingerprintKeys } from '../../platform/fingerprints';
import type { OwnerTransfer } from '../ledger';

/**
 * One transfer of a partner's statement: a redemption's share or fee, what a refund gave back
 * (negative), or the host's part of a discount the partner gave at its own till (negative too).
 */
export interface SettlementLine {
  transferId: string;
  at: Date;
  kind: (typeof statementKinds)[number];
  orderReference: string | null;
  /** The member, as only this partner knows them (see `memberReference`); null for a guest's order. */
  memberReference: string | null;
  /** The voucher's discount on the order (share lines only). */
  discount: number;
  partnerShare: number;
  fee: number;
}

export interface SettlementTotals {
  discount: number;
  partnerShare: number;
  fees: number;
  /** What the partner pays for the period: its shares plus fees, net of refunds. */
  total: number;
}

/** The transfer kinds of a partner's statement. */
export const statementKinds = ['partner_share', 'partner_fee', 'partner_share_return', 'partner_fee_return', 'partner_host_share'] as const;

/** A ledger transfer as the statement reads it. */
export type StatementTransfer = OwnerTransfer;

/**
 * A member as one partner sees them: a keyed hash of (partner, member), stable for that partner and
 * unrelated across partners, so that two partners cannot join what they know.
 */
export function memberReference(keys: FingerprintKeys, partnerId: string, memberId: string): string {
  return createHmac('sha256', keys.secret).update(`partner-member-reference\n${partnerId}\n${memberId}`).digest('hex').slice(0, 24);
}

/** Turns a partner's transfers into statement lines: charges positive, refunds negative. */
export function settlementLines(transfers: readonly StatementTransfer[], reference: (memberId: string) => string): SettlementLine[] {
  return transfers.map((transfer) => {
    const kind = transfer.kind as SettlementLine['kind'];
    // What the partner pays is positive; what comes back to it (refunds, the host's part at its till) negative.
    const sign = kind.endsWith('_return') || kind === 'partner_host_share' ? -1 : 1;
    const isShare = kind !== 'partner_fee' && kind !== 'partner_fee_return';
    return {
      transferId: transfer.id,
      at: transfer.createdAt,
      kind,
      orderReference: transfer.ref,
      memberReference: transfer.memberId ? reference(transfer.memberId) : null,
      discount: kind === 'partner_share' || kind === 'partner_host_share' ? Number(transfer.metadata?.discount ?? 0) : 0,
      partnerShare: isShare ? sign * transfer.amount : 0,
      fee: isShare ? 0 : sign * transfer.amount,
    };
  });
}

export function settlementTotals(lines: readonly SettlementLine[]): SettlementTotals {
  const sum = (pick: (line: SettlementLine) => number) => lines.reduce((total, line) => total + pick(line), 0);
  const partnerShare = sum((line) => line.partnerShare);
  const fees = sum((line) => line.fee);
  return { discount: sum((line) => line.discount), partnerShare, fees, total: partnerShare + fees };
}

/** RFC 4180 CSV of a statement, one line per transfer and a totals line. */
export function settlementCsv(lines: readonly SettlementLine[], totals: SettlementTotals): string {
  const quote = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  const rows = [
    'at,kind,order_reference,member_reference,discount,partner_share,fee',
    ...lines.map((line) =>
      [
        line.at.toISOString(),
        line.kind,
        quote(line.orderReference ?? ''),
        line.memberReference ?? '',
        line.discount,
        line.partnerShare,
        line.fee,
      ].join(','),
    ),
    ['', 'total', '', '', totals.discount, totals.partnerShare, totals.fees].join(','),
  ];
  return `${rows.join('\r\n')}\r\n`;
}
