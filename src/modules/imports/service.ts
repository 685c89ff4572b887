import pMap from 'p-map';
import type { Clock } from '../../platform/clock';
import type { Database } from '../../platform/db/database';
import { constraintViolation } from '../../platform/db/constraint-errors';
import { DomainError, InvalidInputError } from '../../platform/errors';
import { memberKey, type Serializer } from '../../platform/serializer/serializer';
import { loadRules } from '../rules';
import { DuplicateOrderError } from '../checkout';
import { newOrderStatsStatements } from '../history';
import { existingOrderIds, newOrderStatements, orderIdTaken } from '../orders';
import {
  DuplicateMemberError,
  enrollmentSchema,
  memberIdsByExternalIds,
  profileUpdateSchema,
  type Enrollment,
  type Member,
  type ProfileUpdate,
} from '../members';
import { importOrderSchema, MAX_IMPORT_ROWS, orderRowRejection, parseRejection, type ImportOrder, type ImportRejection } from './inputs';
import { asNewOrder, type importOrderCommand, type ImportOrderInput } from './import-order-command';

export interface ImportOrdersResult {
  imported: number;
  /** Rows whose order id the program has already (an earlier import or a recorded order). */
  skipped: number;
  rejected: ImportRejection[];
}

export interface ImportMembersResult {
  created: number;
  updated: number;
  rejected: ImportRejection[];
}

/** Concurrency of per-member commands (earning imports, member upserts). */
const CONCURRENCY = 8;

function checkSize(rows: unknown[], field: string) {
  if (rows.length > MAX_IMPORT_ROWS)
    throw new InvalidInputError([
      { path: ['input', field], message: `at most ${MAX_IMPORT_ROWS} rows per call (the import CLI streams any number)` },
    ]);
}

export type ImportsService = ReturnType<typeof createImportsService>;

/** Brings history from another system in: past orders and members, up to 1,000 rows a call. */
/** How members are enrolled and changed across modules (the use cases in src/use-cases, handed in by the app). */
export interface MemberWrites {
  enroll(programId: string, enrollment: Enrollment): Promise<Member>;
  /** All or nothing, in one batch; a `DuplicateMemberError` when an identifier is taken. */
  enrollMany(programId: string, enrollments: Enrollment[]): Promise<Array<{ id: string }>>;
  update(programId: string, memberId: string, update: ProfileUpdate): Promise<Member>;
  /**
   * Many updates in one batch; the refused ones by position with their error, or null when the
   * batch could not be written as one (nothing was).
   */
  updateMany(
    programId: string,
    updates: ReadonlyArray<{ memberId: string; update: ProfileUpdate }>,
  ): Promise<{ refused: Array<{ position: number; error: unknown }> } | null>;
}

export function createImportsService(deps: {
  db: Database;
  clock: Clock;
  serializer: Serializer<{ 'imports.importOrder': typeof importOrderCommand }>;
  memberWrites: MemberWrites;
}) {
  const { db, clock, serializer, memberWrites } = deps;

  /** Parses and checks every row; returns those to write (with their member) and the rejections. */
  async function prepare(programId: string, rows: Record<string, unknown>[], now: Date) {
    const rejected: ImportRejection[] = [];
    const parsed: Array<{ index: number; order: ImportOrder }> = [];
    rows.forEach((row, index) => {
      const result = importOrderSchema.safeParse(row);
      if (result.success) parsed.push({ index, order: result.data });
      else rejected.push(parseRejection(result.error, index, row.orderId));
    });
    const orderIds = parsed.map(({ order }) => order.orderId);
    const externalIds = [...new Set(parsed.map(({ order }) => order.memberExternalId))];
    const [rules, known, existing] = await Promise.all([
      loadRules(db, programId),
      externalIds.length ? memberIdsByExternalIds(db, programId, externalIds) : [],
      orderIds.length ? existingOrderIds(db, programId, orderIds) : [],
    ]);
    const memberIds = new Map(known.map((member) => [member.externalId, member.id]));
    const done = new Set(existing.map((order) => order.orderId));
    const seen = new Set<string>();
    const toWrite: Array<{ index: number; memberId: string; order: ImportOrder }> = [];
    let skipped = 0;
    for (const { index, order } of parsed) {
      const rejection = orderRowRejection(order, index, rules.currency, now);
      const memberId = memberIds.get(order.memberExternalId);
      if (rejection) rejected.push(rejection);
      else if (seen.has(order.orderId))
        rejected.push({
          index,
          id: order.orderId,
          code: 'duplicate_in_request',
          message: 'this order id is on an earlier row of this call',
          path: ['orderId'],
        });
      else if (done.has(order.orderId)) skipped++;
      else if (!memberId)
        rejected.push({
          index,
          id: order.orderId,
          code: 'member_not_found',
          message: `no active member has externalId ${order.memberExternalId}`,
          path: ['memberExternalId'],
        });
      else toWrite.push({ index, memberId, order });
      seen.add(order.orderId);
    }
    return { toWrite, skipped, rejected };
  }

  async function writeWithoutPoints(programId: string, toWrite: Array<{ memberId: string; order: ImportOrder }>) {
    const newOrders = toWrite.map(({ memberId, order }) => asNewOrder(programId, memberId, order, order.placedAt, 0));
    const statements = [...newOrderStatements(db, newOrders), ...newOrderStatsStatements(db, newOrders)];
    const [first, ...rest] = statements;
    if (first) await db.batch([first, ...rest]);
  }

  return {
    /**
     * Imports past orders: one atomic batch for the call unless they earn points (then one command
     * per order in its member's serializer). Idempotent by order id: a row already imported is
     * skipped, so a retried or resumed import imports nothing twice.
     */
    async importOrders(programId: string, rows: Record<string, unknown>[], options: { earnPoints: boolean }): Promise<ImportOrdersResult> {
      checkSize(rows, 'orders');
      for (let attempt = 1; ; attempt++) {
        const { toWrite, skipped, rejected } = await prepare(programId, rows, clock.now());
        if (!options.earnPoints) {
          try {
            await writeWithoutPoints(programId, toWrite);
          } catch (error) {
            // Another import of the same order ids committed first: read again, they are skipped now.
            if (attempt < 3 && orderIdTaken(constraintViolation(error))) continue;
            throw error;
          }
          return { imported: toWrite.length, skipped, rejected: rejected.sort((a, b) => a.index - b.index) };
        }
        let imported = 0;
        let alreadyThere = 0;
        await pMap(
          toWrite,
          async ({ index, memberId, order }) => {
            const input: Omit<ImportOrderInput, 'programId'> = {
              memberId,
              idempotencyKey: `import:${order.orderId}`,
              order: { ...order, placedAtMs: order.placedAt.getTime() },
            };
            try {
              await serializer.execute(memberKey(programId, memberId), 'imports.importOrder', { ...input, programId });
              imported++;
            } catch (error) {
              if (error instanceof DuplicateOrderError) alreadyThere++;
              else if (error instanceof DomainError)
                rejected.push({ index, id: order.orderId, code: 'invalid_input', message: error.message, path: [] });
              else throw error;
            }
          },
          { concurrency: CONCURRENCY },
        );
        return { imported, skipped: skipped + alreadyThere, rejected: rejected.sort((a, b) => a.index - b.index) };
      }
    },

    /**
     * Creates members or updates them, by external id; the rest of each row as `enrollMember` takes
     * it. New members are enrolled in one batch, updates in another.
     */
    async importMembers(programId: string, rows: Record<string, unknown>[]): Promise<ImportMembersResult> {
      checkSize(rows, 'members');
      const rejected: ImportRejection[] = [];
      let created = 0;
      let updated = 0;
      const externalIds = rows.flatMap((row) => (typeof row.externalId === 'string' ? [row.externalId.trim()] : []));
      const known = externalIds.length ? await memberIdsByExternalIds(db, programId, externalIds) : [];
      const memberIds = new Map(known.map((member) => [member.externalId, member.id]));
      const seen = new Set<string>();
      const creates: Array<{ index: number; id: string; enrollment: Enrollment }> = [];
      const updates: Array<{ index: number; id: string; memberId: string; update: ProfileUpdate }> = [];
      rows.forEach((row, index) => {
        const id = typeof row.externalId === 'string' ? row.externalId.trim() : null;
        if (!id)
          return void rejected.push({
            index,
            id: null,
            code: 'invalid_input',
            message: 'externalId: required to import a member',
            path: ['externalId'],
          });
        if (seen.has(id))
          return void rejected.push({
            index,
            id,
            code: 'duplicate_in_request',
            message: 'this externalId is on an earlier row of this call',
            path: ['externalId'],
          });
        seen.add(id);
        const memberId = memberIds.get(id);
        if (memberId) {
          const parsed = profileUpdateSchema.safeParse(row);
          if (parsed.success) updates.push({ index, id, memberId, update: parsed.data });
          else rejected.push(parseRejection(parsed.error, index, id));
        } else {
          const parsed = enrollmentSchema.safeParse(row);
          if (parsed.success) creates.push({ index, id, enrollment: parsed.data });
          else rejected.push(parseRejection(parsed.error, index, id));
        }
      });

      /** A row's failure as its typed rejection; anything else is not the row's fault. */
      const reject = (index: number, id: string, error: unknown) => {
        if (error instanceof DuplicateMemberError)
          rejected.push({
            index,
            id,
            code: 'duplicate_member',
            message: `${error.details.field} belongs to another member`,
            path: [error.details.field],
          });
        else if (error instanceof DomainError) rejected.push({ index, id, code: 'invalid_input', message: error.message, path: [] });
        else throw error;
      };
      /** One row on its own, its failure a typed rejection of that row. */
      const writeOne = async (index: number, id: string, write: () => Promise<unknown>) => {
        try {
          await write();
          return true;
        } catch (error) {
          reject(index, id, error);
          return false;
        }
      };
      // A referral code is judged against its referrer: those members are enrolled one by one. So are
      // all of them when the batch finds an email taken, to tell which rows.
      const batched = creates.filter(({ enrollment }) => !enrollment.referralCode);
      let oneByOne = creates.filter(({ enrollment }) => enrollment.referralCode);
      if (batched.length > 0) {
        try {
          await memberWrites.enrollMany(
            programId,
            batched.map(({ enrollment }) => enrollment),
          );
          created += batched.length;
        } catch (error) {
          if (!(error instanceof DuplicateMemberError)) throw error;
          oneByOne = creates;
        }
      }
      // Updates are one batch too; when it cannot be written as one (an email taken, a member changed
      // meanwhile), each goes through its member's serializer, to tell which rows.
      let updatesOneByOne: typeof updates = [];
      if (updates.length > 0) {
        const batch = await memberWrites.updateMany(programId, updates);
        if (batch) {
          for (const { position, error } of batch.refused) reject(updates[position]!.index, updates[position]!.id, error);
          updated += updates.length - batch.refused.length;
        } else updatesOneByOne = updates;
      }
      await pMap(
        [
          ...oneByOne.map(({ index, id, enrollment }) => async () => {
            if (await writeOne(index, id, () => memberWrites.enroll(programId, enrollment))) created++;
          }),
          ...updatesOneByOne.map(({ index, id, memberId, update }) => async () => {
            if (await writeOne(index, id, () => memberWrites.update(programId, memberId, update))) updated++;
          }),
        ],
        (write) => write(),
        { concurrency: CONCURRENCY },
      );
      return { created, updated, rejected: rejected.sort((a, b) => a.index - b.index) };
    },
  };
}
