/**
 * How rows of an import file become importOrders / importMembers inputs. Pure: the CLI streams
 * the file, this groups and converts, and rejects locally what the API could not even parse
 * (a date or a number that is none), so that one bad row never fails a whole call.
 */
export type ImportKind = 'orders' | 'members';

/** A row as read: its first line number in the file and its fields (CSV columns or NDJSON object). */
export interface SourceRow {
  line: number;
  fields: Record<string, unknown>;
}

export interface PreparedRow {
  line: number;
  id: string | null;
  input: Record<string, unknown>;
}

export interface LocalRejection {
  line: number;
  id: string | null;
  code: string;
  message: string;
}

const blank = (value: unknown) => value === undefined || value === null || value === '';
const textOf = (value: unknown) => (blank(value) ? undefined : String(value).trim());

class RowError extends Error {}

function wholeNumber(value: unknown, field: string): number | undefined {
  if (blank(value)) return undefined;
  const number = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isSafeInteger(number)) throw new RowError(`${field}: "${String(value)}" is not a whole number`);
  return number;
}

function instant(value: unknown, field: string): string {
  const date = blank(value) ? new Date(Number.NaN) : new Date(String(value).trim());
  if (Number.isNaN(date.getTime()))
    throw new RowError(`${field}: "${String(value ?? '')}" is not a date (use ISO 8601, e.g. 2024-03-01T10:00:00Z)`);
  return date.toISOString();
}

function json(value: unknown, field: string): unknown {
  if (blank(value) || typeof value === 'object') return blank(value) ? undefined : value;
  try {
    return JSON.parse(String(value));
  } catch {
    throw new RowError(`${field}: not valid JSON`);
  }
}

const withoutUndefined = (object: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));

function lineOf(fields: Record<string, unknown>) {
  return withoutUndefined({
    sku: textOf(fields.sku),
    category: textOf(fields.category),
    quantity: wholeNumber(fields.quantity, 'quantity'),
    unitPrice: wholeNumber(fields.unitPrice, 'unitPrice'),
  });
}

/** An order from an NDJSON object (lines inside) or from its first CSV row (one line per row). */
function orderOf(fields: Record<string, unknown>) {
  const lines = Array.isArray(fields.lines)
    ? (fields.lines as Record<string, unknown>[]).map(lineOf)
    : blank(fields.sku)
      ? []
      : [lineOf(fields)];
  return withoutUndefined({
    memberExternalId: textOf(fields.memberExternalId),
    orderId: textOf(fields.orderId),
    placedAt: instant(fields.placedAt, 'placedAt'),
    currency: textOf(fields.currency),
    total: wholeNumber(fields.total, 'total'),
    discount: wholeNumber(fields.discount, 'discount'),
    lines,
    attributes: json(fields.attributes, 'attributes'),
  });
}

const consent = (value: unknown) => (blank(value) ? undefined : ['true', '1', 'yes'].includes(String(value).trim().toLowerCase()));

function memberOf(fields: Record<string, unknown>) {
  const consents =
    typeof fields.consents === 'object' && fields.consents
      ? fields.consents
      : withoutUndefined({ email: consent(fields.consentEmail), sms: consent(fields.consentSms), push: consent(fields.consentPush) });
  const tags = Array.isArray(fields.tags) ? fields.tags : blank(fields.tags) ? undefined : String(fields.tags).split('|');
  return withoutUndefined({
    externalId: textOf(fields.externalId),
    email: textOf(fields.email),
    name: textOf(fields.name),
    birthday: textOf(fields.birthday),
    consents: Object.keys(consents).length ? consents : undefined,
    attributes: json(fields.attributes, 'attributes'),
    tags,
  });
}

/**
 * Groups rows into API inputs: an order's CSV rows (same orderId, one after the other) become one
 * order with several lines. Yields each input, or a local rejection with its line number.
 */
export async function* prepareRows(
  kind: ImportKind,
  rows: AsyncIterable<SourceRow>,
): AsyncGenerator<PreparedRow | { rejected: LocalRejection }> {
  let pending = null as PreparedRow | null;
  /** An order one of whose rows was refused: its other rows are dropped too (nothing half-imported). */
  let refusedOrder: string | null = null;
  for await (const { line, fields } of rows) {
    const id = textOf(kind === 'orders' ? fields.orderId : fields.externalId) ?? null;
    const continues = kind === 'orders' && id !== null && !Array.isArray(fields.lines) && (pending?.id === id || refusedOrder === id);
    try {
      if (continues) {
        if (pending?.id === id && !blank(fields.sku)) (pending.input.lines as unknown[]).push(lineOf(fields));
        continue;
      }
      const input = kind === 'orders' ? orderOf(fields) : memberOf(fields);
      if (pending) yield pending;
      pending = { line, id, input };
      refusedOrder = null;
    } catch (error) {
      if (!(error instanceof RowError)) throw error;
      if (continues && pending) {
        yield { rejected: { line: pending.line, id, code: 'INVALID_INPUT', message: `line ${line}: ${error.message}` } };
        pending = null;
      } else {
        if (pending) yield pending;
        pending = null;
        yield { rejected: { line, id, code: 'INVALID_INPUT', message: error.message } };
      }
      refusedOrder = kind === 'orders' ? id : null;
    }
  }
  if (pending) yield pending;
}
