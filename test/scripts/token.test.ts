import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeJwt } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_JWT_SECRET } from '../../src/config';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { openNodeDatabase } from '../../src/platform/node/database';
import { parseTokenArguments, UsageError } from '../../scripts/token';

/** `npm run token` from the outside: its stdout, stderr and exit code. */
async function token(args: string[], env: Record<string, string> = {}) {
  const child = promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/token.ts', ...args], {
    env: { ...process.env, JWT_SECRET: '', NODE_ENV: 'development', ENVIRONMENT: '', ...env },
  });
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run token', () => {
  let database: string;
  let memberId: string;
  beforeAll(async () => {
    database = `file:${join(mkdtempSync(join(tmpdir(), 'edge-loyalty-token-')), 'loyalty.db')}`;
    const opened = await openNodeDatabase({ url: database });
    await opened.client.execute("insert into programs (id, name, created_at) values ('default', 'Default program', 0)");
    memberId = '01jtokenmember';
    await opened.client.execute({
      sql: "insert into members (id, program_id, email, created_at, updated_at) values (?, 'default', 'ada@example.com', 0, 0)",
      args: [memberId],
    });
    for (const [id, status] of [
      ['bakery', 'active'],
      ['closed', 'suspended'],
      ['gone', 'archived'],
    ]) {
      await opened.client.execute({
        sql: "insert into partners (id, program_id, name, status, funding, currency, cost_share_basis_points, created_at, updated_at) values (?, 'default', ?, ?, 'prepaid', 'EUR', 10000, 0, 0)",
        args: [id!, id!, status!],
      });
    }
    opened.client.close();
  });

  it('signs a partner token only for a partner that exists and is ACTIVE', async () => {
    const partnerToken = (partner: string) => token(['--role', 'partner', '--partner', partner], { LIBSQL_URL: database });
    const [active, unknown, suspended, archived] = await Promise.all([
      partnerToken('bakery'),
      partnerToken('nobody'),
      partnerToken('closed'),
      partnerToken('gone'),
    ]);
    expect(active.code).toBe(0);
    expect(decodeJwt(active.stdout.trim())).toMatchObject({ role: 'partner', partner: 'bakery' });
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toMatch(/partner "nobody" does not exist in program "default"/);
    expect(suspended).toMatchObject({ code: 2, stdout: '' });
    expect(suspended.stderr).toMatch(/partner "closed" is SUSPENDED/);
    expect(archived.stderr).toMatch(/partner "gone" is ARCHIVED/);
  });

  it('prints only the token on stdout, signed with the development secret for the default program', async () => {
    const result = await token(['--role', 'admin', '--subject', 'ops-1', '--expires', '30m'], { LIBSQL_URL: database });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const claims = decodeJwt(result.stdout.trim());
    expect(claims).toMatchObject({ role: 'admin', program: 'default', sub: 'ops-1' });
    expect(claims.exp! - claims.iat!).toBe(30 * 60);
  });

  it('explains its options with --help', async () => {
    const result = await token(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--role ROLE[\s\S]*--subject ID[\s\S]*--expires PERIOD/);
  });

  it('refuses a bad flag with one line on stderr, exit code 2 and no token', async () => {
    const result = await token(['--role', 'bogus'], { LIBSQL_URL: database });
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toMatch(/^npm run token: --role "bogus" is not a role: use admin, storefront, member, partner\n/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('checks every flag with a clear message', () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /--role is required \(admin, storefront, member, partner\)/],
      [['--role', 'admin', '--expires', '5x'], /--expires "5x" is not a period/],
      [['--role', 'admin', '--expires', ''], /--expires "" is not a period/],
      [['--role', 'admin', '--colour', 'red'], /Unknown option '--colour'/],
      [['--role', 'admin', 'extra'], /positional argument/],
      [['--role', 'member'], /--member is required for a member token/],
      [['--role', 'partner'], /--partner is required for a partner token/],
      [['--role', 'admin', '--member', 'x'], /--member is only for --role member/],
      [['--role', 'admin', '--partner', 'x'], /--partner is only for --role partner/],
      [['--role', 'member', '--member', 'x', '--subject', 'y'], /--subject is not for member tokens/],
      [['--role', 'admin', '--program', ' '], /--program must not be empty/],
    ];
    for (const [args, message] of cases) expect(() => parseTokenArguments(args), args.join(' ')).toThrow(message);
    expect(() => parseTokenArguments(['--role', 'bogus'])).toThrow(UsageError);
  });

  it('reads the member from its id or its GraphQL id, and asks for help with --help or -h', () => {
    expect(parseTokenArguments(['--role', 'member', '--member', encodeGlobalID('Member', 'm1')])).toMatchObject({
      role: 'member',
      memberId: 'm1',
    });
    expect(parseTokenArguments(['--role', 'member', '--member', 'm1'])).toMatchObject({ memberId: 'm1' });
    expect(parseTokenArguments(['--role', 'partner', '--partner', 'beans', '--expires', '7d'])).toEqual({
      role: 'partner',
      partnerId: 'beans',
      expires: '7d',
      memberId: undefined,
      programId: undefined,
      subject: undefined,
    });
    expect(parseTokenArguments(['--help'])).toBeNull();
    expect(parseTokenArguments(['-h'])).toBeNull();
  });

  it('warns on stderr when the program or the member does not exist locally, and still prints the token', async () => {
    const [program, member, known] = await Promise.all([
      token(['--role', 'admin', '--program', 'acme'], { LIBSQL_URL: database }),
      token(['--role', 'member', '--member', 'nobody'], { LIBSQL_URL: database }),
      token(['--role', 'member', '--member', memberId], { LIBSQL_URL: database }),
    ]);
    expect(program.stderr).toMatch(/program "acme" does not exist[\s\S]*DEFAULT_PROGRAM_ID=acme .*npm run db:migrate/);
    expect(decodeJwt(program.stdout.trim())).toMatchObject({ program: 'acme' });
    expect(member.stderr).toMatch(/member "nobody" does not exist in program "default"/);
    expect(known).toMatchObject({ code: 0, stderr: '' });
    expect(decodeJwt(known.stdout.trim())).toMatchObject({ role: 'member', sub: memberId });
  });
});

describe('.dev.vars.example', () => {
  it('gives wrangler dev the development secret that npm start and npm run token use', () => {
    expect(readFileSync('.dev.vars.example', 'utf8')).toMatch(new RegExp(`^JWT_SECRET=${DEVELOPMENT_JWT_SECRET}$`, 'm'));
  });
});
