import { z } from 'zod';
import { MAX_AMOUNT, MAX_BALANCE } from '../../../platform/bounds';
import { text, whole } from '../../../platform/validation';

/** How deep all/any/not may nest, and how many conditions one definition may hold. */
export const MAX_DEPTH = 5;
export const MAX_CONDITIONS = 50;
export const MAX_WINDOW_DAYS = 3650;

const bounds = <Shape extends { min?: number; max?: number }>(schema: z.ZodType<Shape>) =>
  schema
    .refine((bounds) => bounds.min !== undefined || bounds.max !== undefined, 'give min, max or both')
    .refine((bounds) => bounds.min === undefined || bounds.max === undefined || bounds.min <= bounds.max, 'min must not exceed max');
const range = (max: number) => bounds(z.object({ min: whole(0, max).optional(), max: whole(0, max).optional() }).strict());
const withinDays = whole(1, MAX_WINDOW_DAYS).optional();
/** A range of an order figure, lifetime or over the last N days. */
const windowed = (max: number) => bounds(z.object({ min: whole(0, max).optional(), max: whole(0, max).optional(), withinDays }).strict());
const score = range(5).refine((bounds) => (bounds.min ?? 1) >= 1, 'scores are 1 to 5');
const scalar = z.union([text(256), z.number().int().min(-MAX_AMOUNT).max(MAX_AMOUNT), z.boolean()]);
const instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value).getTime());
const names = (what: string) => z.array(text(128)).min(1, `at least one ${what}`).max(50);

/** Every condition a segment can test, one key each (see the README's definition language). */
const conditionShapes = {
  tier: z.object({ in: names('tier name') }).strict(),
  tags: z
    .object({ any: names('tag').optional(), all: names('tag').optional() })
    .strict()
    .refine((tags) => tags.any || tags.all, 'give any, all or both'),
  attribute: z
    .object({
      key: text(64),
      equals: scalar.optional(),
      in: z.array(scalar).min(1).max(50).optional(),
      min: z.number().int().optional(),
      max: z.number().int().optional(),
      exists: z.boolean().optional(),
    })
    .strict()
    .refine(
      (test) =>
        [test.equals, test.in, test.exists].filter((given) => given !== undefined).length +
          (test.min !== undefined || test.max !== undefined ? 1 : 0) ===
        1,
      'give exactly one of equals, in, min/max or exists',
    ),
  enrolled: z
    .object({ from: instant.optional(), to: instant.optional() })
    .strict()
    .refine((period) => period.from !== undefined || period.to !== undefined, 'give from, to or both'),
  birthdayMonth: z.object({ in: z.array(whole(1, 12)).min(1).max(12) }).strict(),
  consent: z.enum(['email', 'sms', 'push']),
  pointsBalance: range(MAX_BALANCE),
  orderCount: windowed(MAX_BALANCE),
  spend: windowed(MAX_BALANCE),
  daysSinceLastOrder: range(100_000),
  bought: z
    .object({ sku: text(128).optional(), category: text(128).optional(), atLeast: whole(1, 1_000_000).default(1), withinDays })
    .strict()
    .refine((test) => (test.sku === undefined) !== (test.category === undefined), 'give a sku or a category'),
  rfm: z
    .object({ recency: score.optional(), frequency: score.optional(), monetary: score.optional() })
    .strict()
    .refine((scores) => scores.recency || scores.frequency || scores.monetary, 'give recency, frequency, monetary or several'),
} as const;

type Shapes = typeof conditionShapes;
export type ConditionKind = keyof Shapes;
export type Condition = { [Kind in ConditionKind]: { kind: Kind; test: z.output<Shapes[Kind]> } }[ConditionKind];
export type Definition = { all: Definition[] } | { any: Definition[] } | { not: Definition } | Condition;

export const conditionKinds = Object.keys(conditionShapes) as ConditionKind[];

export interface DefinitionIssue {
  path: Array<string | number>;
  message: string;
}

/** A definition that breaks the language: every problem with its path inside the definition. */
export class DefinitionError extends Error {
  constructor(readonly issues: DefinitionIssue[]) {
    super(issues.map((issue) => `${issue.path.join('.') || 'definition'}: ${issue.message}`).join('; '));
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Parses a definition (plain JSON) into its tree: `{ all: [...] }`, `{ any: [...] }`, `{ not: {...} }`
 * or one condition `{ <kind>: <test> }`. Pure; collects every issue, each with its path.
 */
export function parseDefinition(json: unknown): Definition {
  const issues: DefinitionIssue[] = [];
  let conditions = 0;
  const visit = (node: unknown, path: Array<string | number>, depth: number): Definition | null => {
    if (!isObject(node) || Object.keys(node).length !== 1) {
      issues.push({ path, message: `must be an object with one key: all, any, not or a condition (${conditionKinds.join(', ')})` });
      return null;
    }
    const [key, value] = Object.entries(node)[0]!;
    if (key === 'all' || key === 'any' || key === 'not') {
      if (depth >= MAX_DEPTH) {
        issues.push({ path: [...path, key], message: `too deep: all/any/not nest at most ${MAX_DEPTH} levels` });
        return null;
      }
      if (key === 'not') {
        const inner = visit(value, [...path, key], depth + 1);
        return inner && { not: inner };
      }
      if (!Array.isArray(value) || value.length === 0) {
        issues.push({ path: [...path, key], message: 'must be a non-empty list of conditions' });
        return null;
      }
      const children = value.map((child, index) => visit(child, [...path, key, index], depth + 1));
      return children.every((child) => child !== null) ? ({ [key]: children } as Definition) : null;
    }
    if (!(key in conditionShapes)) {
      issues.push({ path: [...path, key], message: `unknown condition; use all, any, not or ${conditionKinds.join(', ')}` });
      return null;
    }
    if (++conditions > MAX_CONDITIONS) {
      if (conditions === MAX_CONDITIONS + 1)
        issues.push({ path: [...path, key], message: `at most ${MAX_CONDITIONS} conditions in one definition` });
      return null;
    }
    const parsed = conditionShapes[key as ConditionKind].safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        issues.push({
          path: [...path, key, ...issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part))],
          message: issue.message,
        });
      return null;
    }
    return { kind: key, test: parsed.data } as Condition;
  };
  const definition = visit(json, [], 0);
  if (!definition || issues.length > 0) throw new DefinitionError(issues);
  return definition;
}

/** Every condition of a tree, depth first. */
export function conditionsOf(definition: Definition): Condition[] {
  if ('all' in definition) return definition.all.flatMap(conditionsOf);
  if ('any' in definition) return definition.any.flatMap(conditionsOf);
  if ('not' in definition) return conditionsOf(definition.not);
  return [definition];
}

/** Whether evaluating the tree needs the whole program (RFM quintiles): then one member is not cheap to check live. */
export const needsProgramWideScores = (definition: Definition) => conditionsOf(definition).some((condition) => condition.kind === 'rfm');

/** What a definition names that must exist in the program, with where it names it. */
export function referencesOf(json: unknown) {
  const found: Array<{ kind: 'tier' | 'tag' | 'category'; name: string; path: Array<string | number> }> = [];
  const walk = (node: unknown, path: Array<string | number>) => {
    if (Array.isArray(node)) return node.forEach((child, index) => walk(child, [...path, index]));
    if (!isObject(node)) return;
    for (const [key, value] of Object.entries(node)) {
      const here = [...path, key];
      if (key === 'tier' && isObject(value) && Array.isArray(value.in))
        value.in.forEach((name, index) => found.push({ kind: 'tier', name: String(name), path: [...here, 'in', index] }));
      else if (key === 'tags' && isObject(value))
        for (const list of ['any', 'all'] as const)
          if (Array.isArray(value[list]))
            (value[list] as unknown[]).forEach((name, index) =>
              found.push({ kind: 'tag', name: String(name).trim().toLowerCase(), path: [...here, list, index] }),
            );
      if (key === 'bought' && isObject(value) && typeof value.category === 'string')
        found.push({ kind: 'category', name: value.category.trim(), path: [...here, 'category'] });
      if (key === 'all' || key === 'any' || key === 'not') walk(value, here);
    }
  };
  walk(json, []);
  return found;
}
