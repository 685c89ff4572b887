import { createHash, createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app';
import { commandRegistry } from '../../../src/commands';
import { loadConfig } from '../../../src/config';
import { fingerprintKeyId } from '../../../src/platform/fingerprints';
import { createInProcessSerializer } from '../../../src/platform/node/in-process-serializer';
import { createTestApp, TEST_SECRET, type GraphQLResponse, type TestApp } from '../../support/test-app';
import { enroll } from '../../support/members';
import { closeSoundly, key, RECORD_ORDER } from '../../support/ledger';
import { ERASE, UPDATE } from '../../support/operations';
import { enrollReferee, enrollReferrer, referralOf } from '../../support/referrals';
import { runJob } from '../../support/tiers';

let app: TestApp;
afterEach(() => closeSoundly(app));

/** The database's files as they are on disk: the database, its WAL and its shared-memory index. */
const databaseFiles = (target: TestApp) =>
  ['', '-wal', '-shm'].map((suffix) => `${target.databaseFile}${suffix}`).filter((file) => existsSync(file));

describe('erasure erases', () => {
  it.each([
    ['', false],
    [', with the WAL checkpointed by a worker thread (as `npm start` runs)', true],
  ])('leaves no trace of the email, name or external id in the database files (db, -wal, -shm)%s', async (_, walCheckpointer) => {
    app = await createTestApp({ walCheckpointer });
    const admin = await app.token({ role: 'admin' });
    expect((await app.client.execute('pragma secure_delete')).rows[0]![0]).toBe(1);
    const secrets = {
      email: 'zq-erase-me-7731@example.com',
      name: 'Zebulon Quixote-Erasable',
      externalId: 'cus_erase_zq7731',
      newName: 'Zebulon Renamed-Erasable',
    };
    const { globalId } = await enroll(app, {
      email: secrets.email,
      name: secrets.name,
      externalId: secrets.externalId,
      birthday: '1990-04-05',
    });
    await app.graphql(UPDATE, { input: { id: globalId, name: secrets.newName } }, admin);
    await app.graphql(
      RECORD_ORDER,
      { input: { memberId: globalId, orderId: 'o-erase', currency: 'EUR', total: 1234, idempotencyKey: key() } },
      admin,
    );
    // Other members keep writing around it, so pages holding the row are rewritten more than once.
    for (let index = 0; index < 20; index++) await enroll(app, { email: `neighbour-${index}@example.com`, name: `Neighbour ${index}` });
    const before = Buffer.concat(databaseFiles(app).map((file) => readFileSync(file)));
    expect(before.includes(secrets.email)).toBe(true);

    const erased = await app.graphql(ERASE, { input: { id: globalId } }, admin);
    expect(erased.errors).toBeUndefined();
    for (const file of databaseFiles(app)) {
      const bytes = readFileSync(file);
      for (const value of Object.values(secrets)) expect(bytes.includes(value), `${value} in ${file}`).toBe(false);
    }
    // The ledger history stays, anonymous.
    const history = await app.graphql(
      `query($id: ID!) { member(id: $id) { status email pointsBalance transfers(first: 5) { edges { node { kind amount } } } } }`,
      { id: globalId },
      admin,
    );
    expect(history.data!.member).toEqual({
      status: 'ERASED',
      email: null,
      pointsBalance: 12,
      transfers: { edges: [{ node: { kind: 'EARN', amount: 12 } }] },
    });
  });

  it('keeps only a keyed fingerprint of the address, which a guessed address cannot be checked against', async () => {
    app = await createTestApp();
    const admin = await app.token({ role: 'admin' });
    const email = 'guess-me@example.com';
    const { globalId } = await enroll(app, { email });
    await app.graphql(ERASE, { input: { id: globalId } }, admin);
    const rows = (await app.client.execute(`select hash, key_id from email_fingerprints where program_id = 'acme'`)).rows.map((row) => ({
      ...row,
    }));
    const plain = createHash('sha256').update(`acme\n${email}`).digest('hex');
    const keyed = createHmac('sha256', app.config.fingerprints.secret).update(`acme\n${email}`).digest('hex');
    expect(rows).toEqual([{ hash: keyed, key_id: fingerprintKeyId(app.config.fingerprints.secret) }]);
    expect(rows.some((row) => row.hash === plain)).toBe(false);
  });
});

describe('fingerprint keys rotate', () => {
  const OLD = 'the-old-fingerprint-secret-of-32-chars-or-more';
  const NEW = 'the-new-fingerprint-secret-of-32-chars-or-more';

  /** The same database under other settings, as after a redeploy with new secrets. */
  function redeployed(target: TestApp, env: Record<string, string>) {
    const config = loadConfig({ JWT_SECRET: TEST_SECRET, ENVIRONMENT: 'test', ...env }, 'node');
    const { db, clock, afterErasure, rateLimiter } = target.deps;
    const { fingerprints } = config;
    const deps = {
      db,
      clock,
      config,
      fingerprints,
      afterErasure,
      rateLimiter,
      serializer: createInProcessSerializer(commandRegistry, { db, clock, fingerprints }),
    };
    const http = createApp(deps);
    const graphql = async (
      query: string,
      variables: Record<string, unknown> = {},
      bearer?: string,
    ): Promise<GraphQLResponse & { status: number }> => {
      const response = await http.request('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, ...((await response.json()) as GraphQLResponse) };
    };
    return { ...target, config, deps, app: http, graphql } as TestApp;
  }

  const fingerprintRows = async (target: TestApp) =>
    (
      await target.client.execute(
        `select hash, key_id as keyId, created_at as createdAt from email_fingerprints where program_id = 'acme' order by created_at, hash`,
      )
    ).rows.map((row) => ({ ...row }));

  it('recognises addresses under a previous key, re-keys what it can, and drops what no key matches', async () => {
    app = await createTestApp({ env: { FINGERPRINT_SECRET: OLD } });
    const admin = await app.token({ role: 'admin' });
    await enroll(app, { email: 'still-here@example.com' });
    for (const email of ['comes-back@example.com', 'long-gone@example.com']) {
      const gone = await enroll(app, { email });
      await app.graphql(ERASE, { input: { id: gone.globalId } }, admin);
    }
    // A fingerprint of before migration 0005 (unkeyed SHA-256) of an address a member still has, and one of an address nobody has.
    const legacy = (email: string) => createHash('sha256').update(`acme\n${email}`).digest('hex');
    await enroll(app, { email: 'veteran@example.com' });
    await app.client.execute({
      sql: `update email_fingerprints set hash = ?, key_id = null, created_at = 1000 where hash = ?`,
      args: [legacy('veteran@example.com'), createHmac('sha256', OLD).update('acme\nveteran@example.com').digest('hex')],
    });
    await app.client.execute({
      sql: `insert into email_fingerprints (program_id, hash, key_id, created_at) values ('acme', ?, null, 2000)`,
      args: [legacy('nobody@example.com')],
    });

    const rotated = redeployed(app, { FINGERPRINT_SECRET: NEW, FINGERPRINT_PREVIOUS_SECRETS: OLD });
    const referrer = await enrollReferrer(rotated, 'referrer@example.com');
    const comeback = await enrollReferee(rotated, referrer.code, 'comes-back@example.com');
    expect(await referralOf(rotated, referrer.globalId, comeback.globalId)).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'NOT_NEW_TO_PROGRAM',
    });

    const run = await runJob(rotated, 'REKEY_FINGERPRINTS');
    expect(run).toMatchObject({ job: 'rekey-fingerprints', error: null, finishedAt: expect.any(String) });
    const hmac = (secret: string, email: string) => createHmac('sha256', secret).update(`acme\n${email}`).digest('hex');
    const rows = await fingerprintRows(rotated);
    expect(rows).toContainEqual({ hash: hmac(NEW, 'veteran@example.com'), keyId: fingerprintKeyId(NEW), createdAt: 1000 });
    expect(rows).toContainEqual({ hash: hmac(NEW, 'still-here@example.com'), keyId: fingerprintKeyId(NEW), createdAt: expect.any(Number) });
    // The erased address cannot be re-keyed (only its hash is left): it stays under the old key, still recognised.
    expect(rows).toContainEqual({ hash: hmac(OLD, 'long-gone@example.com'), keyId: fingerprintKeyId(OLD), createdAt: expect.any(Number) });
    expect(rows.filter((row) => row.keyId === null)).toEqual([]);
    expect(rows.some((row) => row.hash === hmac(OLD, 'still-here@example.com'))).toBe(false);

    // Once the old key is dropped from the configuration, its rows are deleted at the next run.
    const newOnly = redeployed(app, { FINGERPRINT_SECRET: NEW });
    await runJob(newOnly, 'REKEY_FINGERPRINTS');
    expect((await fingerprintRows(newOnly)).every((row) => row.keyId === fingerprintKeyId(NEW))).toBe(true);
  });
});
