import { sql, type SQL } from 'drizzle-orm';
import { members } from '../../../schema';
import { dayNumber } from '../../platform/time';
import { customerScoresSql, memberLastOrderSql, memberPurchasesSinceSql, memberStatSql } from '../history';
import { memberPointsBalanceSql } from '../ledger';
import { attributeMatch } from '../members';
import { memberOrdersSinceSql } from '../orders';
import { memberInTiersSql } from '../tiers';
import type { Condition, Definition } from './domain/definition';

const DAY_MS = 86_400_000;

/** What compiling needs besides the definition: the instant it is evaluated at and the tiers by name. */
export interface CompileContext {
  now: Date;
  tierIds: Map<string, string>;
}

const list = (values: ReadonlyArray<string | number>) =>
  sql.join(
    values.map((value) => sql`${value}`),
    sql`, `,
  );

function between(expression: SQL, bounds: { min?: number; max?: number }): SQL {
  const parts = [
    bounds.min !== undefined ? sql`${expression} >= ${bounds.min}` : null,
    bounds.max !== undefined ? sql`${expression} <= ${bounds.max}` : null,
  ].filter((part): part is SQL => part !== null);
  return parts.length ? sql.join(parts, sql` and `) : sql`1`;
}

/**
 * Recency, frequency and monetary scores 1–5 of the program's customers (members with a counted
 * order): each is 1 + ⌊5 × (rank − 1) / customers⌋ with equal values ranked equal, so ties share a score
 * and the most recent, most frequent, biggest spenders score 5.
 */
function rfmScores() {
  return customerScoresSql(members.programId, (order) => sql`1 + (rank() over (order by ${order}) - 1) * 5 / count(*) over ()`);
}

function condition(node: Condition, context: CompileContext): SQL {
  const now = context.now.getTime();
  switch (node.kind) {
    case 'tier':
      return memberInTiersSql(
        members.id,
        node.test.in.map((name) => context.tierIds.get(name) ?? ''),
      );
    case 'tags': {
      const has = (tag: string) => sql`exists (select 1 from json_each(${members.tags}) where value = ${tag.trim().toLowerCase()})`;
      const parts = [...(node.test.all ?? []).map(has), ...(node.test.any ? [sql`(${sql.join(node.test.any.map(has), sql` or `)})`] : [])];
      return sql.join(parts, sql` and `);
    }
    case 'attribute': {
      const { key, equals, in: oneOf, exists, min, max } = node.test;
      const entry = (test: SQL) => sql`exists (select 1 from json_each(${members.attributes}) where key = ${key} and ${test})`;
      if (exists !== undefined) return exists ? entry(sql`1`) : sql`not ${entry(sql`1`)}`;
      if (equals !== undefined) return entry(attributeMatch(equals));
      if (oneOf) return entry(sql`(${sql.join(oneOf.map(attributeMatch), sql` or `)})`);
      return entry(sql`type = 'integer' and ${between(sql`value`, { min, max })}`);
    }
    case 'enrolled':
      return between(sql`${members.createdAt}`, { min: node.test.from, max: node.test.to });
    case 'birthdayMonth':
      return sql`cast(substr(${members.birthday}, 6, 2) as integer) in (${list(node.test.in)})`;
    case 'consent':
      return { email: sql`${members.consentEmail} = 1`, sms: sql`${members.consentSms} = 1`, push: sql`${members.consentPush} = 1` }[
        node.test
      ];
    case 'pointsBalance':
      return between(memberPointsBalanceSql(members), node.test);
    case 'orderCount': {
      const { withinDays, ...bounds } = node.test;
      return between(
        withinDays === undefined
          ? memberStatSql(members.id, 'orderCount')
          : memberOrdersSinceSql(members, now - withinDays * DAY_MS, 'count'),
        bounds,
      );
    }
    case 'spend': {
      const { withinDays, ...bounds } = node.test;
      return between(
        withinDays === undefined
          ? memberStatSql(members.id, 'totalSpend')
          : memberOrdersSinceSql(members, now - withinDays * DAY_MS, 'paid'),
        bounds,
      );
    }
    case 'daysSinceLastOrder': {
      // Whole days since the last order: at least min ⇔ last ≤ now − min days; at most max ⇔ last > now − (max + 1) days.
      const { min, max } = node.test;
      return memberLastOrderSql(members.id, {
        atMost: min === undefined ? undefined : now - min * DAY_MS,
        after: max === undefined ? undefined : now - (max + 1) * DAY_MS,
      });
    }
    case 'bought': {
      const { sku, category, atLeast, withinDays } = node.test;
      const [kind, key] = sku !== undefined ? (['sku', sku] as const) : (['category', category!] as const);
      const fromDay = withinDays === undefined ? Number.MIN_SAFE_INTEGER : dayNumber(context.now) - withinDays + 1;
      return sql`${memberPurchasesSinceSql(members, kind, key, fromDay)} >= ${atLeast}`;
    }
    case 'rfm': {
      const tests = (['recency', 'frequency', 'monetary'] as const).flatMap((score) =>
        node.test[score] ? [between(sql.raw(score), node.test[score])] : [],
      );
      return sql`${members.id} in (select member_id from ${rfmScores()} where ${sql.join(tests, sql` and `)})`;
    }
  }
}

/**
 * The definition as one SQL condition over `members` (kept apart from the pure language, which
 * knows nothing of tables). Every leaf is coalesced to false, so `not` of an unknown is true.
 */
export function compileDefinition(definition: Definition, context: CompileContext): SQL {
  if ('all' in definition)
    return sql`(${sql.join(
      definition.all.map((child) => compileDefinition(child, context)),
      sql` and `,
    )})`;
  if ('any' in definition)
    return sql`(${sql.join(
      definition.any.map((child) => compileDefinition(child, context)),
      sql` or `,
    )})`;
  if ('not' in definition) return sql`not ${compileDefinition(definition.not, context)}`;
  return sql`coalesce((${condition(definition, context)}), 0)`;
}
