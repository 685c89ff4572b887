/**
 * Prints a signed token for local use (only the token on stdout, so `TOKEN=$(npm run -s token -- --role admin)` works):
 *   npm run token -- --role admin
 *   npm run token -- --role member --member <id or Member global id>
 *   npm run token -- --help
 * Signs with JWT_SECRET (or the development secret when Node may use it) for DEFAULT_PROGRAM_ID.
 * Warnings (stderr) when the program or member is not in the local database: such a token is refused.
 * A partner token is signed only for a partner that exists in the database and is ACTIVE.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createClient } from '@libsql/client';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { SignJWT } from 'jose';
import { loadConfig, type Config } from '../src/config';
import { roles, type Role } from '../src/platform/auth/principal';
import { signToken } from '../src/platform/auth/sign';
import { BUSY_TIMEOUT_MS } from '../src/platform/node/busy-timeout';

const usage = `Prints a JWT signed for the local API (HS256 with JWT_SECRET, or the development secret).

usage: npm run -s token -- --role ${roles.join('|')} [options]

  --role ROLE        admin, storefront, member or partner (required)
  --member ID        member tokens: the member's id or its GraphQL (global) id; it becomes \`sub\`
  --partner ID       partner tokens: the partner id (claim \`partner\`)
  --program ID       the program (tenant) the token is bound to [DEFAULT_PROGRAM_ID, or "default"]
  --subject ID       \`sub\` of admin, storefront and partner tokens: who is calling [local-<role>]
  --expires PERIOD   lifetime: 30m, 1h, 24h, 7d … (a number and a unit: s, m, h, d, w, y) [24h]
  -h, --help         this help

Only the token goes to stdout; warnings (a program or member that does not exist in the local
database, LIBSQL_URL) go to stderr:
  TOKEN=$(npm run -s token -- --role admin)
  curl -s localhost:8787/graphql -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\
    -d '{"query":"{ program { name } }"}'`;

/** A command line that cannot make a token; its message is one line for the user. */
export class UsageError extends Error {}

/** What a valid command line asks for (the program defaults later, from the configuration). */
export interface TokenArguments {
  role: Role;
  memberId?: string;
  partnerId?: string;
  programId?: string;
  subject?: string;
  expires: string;
}

/** Parses and checks the command line; throws UsageError with what is wrong. `null` asks for the help. */
export function parseTokenArguments(args: string[]): TokenArguments | null {
  let values;
  try {
    values = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        role: { type: 'string' },
        member: { type: 'string' },
        partner: { type: 'string' },
        program: { type: 'string' },
        subject: { type: 'string' },
        expires: { type: 'string', default: '24h' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return null;
  const fail = (message: string): never => {
    throw new UsageError(message);
  };
  if (!values.role) fail(`--role is required (${roles.join(', ')})`);
  if (!(roles as readonly string[]).includes(values.role!)) fail(`--role "${values.role}" is not a role: use ${roles.join(', ')}`);
  const role = values.role as Role;
  if (role === 'member' && !values.member) fail('--member is required for a member token (the member id or its GraphQL id)');
  if (role === 'partner' && !values.partner) fail('--partner is required for a partner token');
  if (role !== 'member' && values.member) fail(`--member is only for --role member (a ${role} token is not a member's)`);
  if (role !== 'partner' && values.partner) fail('--partner is only for --role partner');
  if (role === 'member' && values.subject) fail('--subject is not for member tokens: their subject is the --member id');
  for (const flag of ['member', 'partner', 'program', 'subject'] as const) {
    if (values[flag] !== undefined && values[flag]!.trim() === '') fail(`--${flag} must not be empty`);
  }
  checkPeriod(values.expires!);
  return {
    role,
    memberId: values.member === undefined ? undefined : memberIdFrom(values.member),
    partnerId: values.partner,
    programId: values.program,
    subject: values.subject,
    expires: values.expires!,
  };
}

function memberIdFrom(value: string): string {
  try {
    const { typename, id } = decodeGlobalID(value);
    if (typename === 'Member') return id;
  } catch {
    // not a global id: a raw member id
  }
  return value;
}

/** jose parses the period; asking it here turns its TypeError into a message about the flag. */
function checkPeriod(period: string): void {
  try {
    new SignJWT({}).setExpirationTime(period);
  } catch {
    throw new UsageError(`--expires "${period}" is not a period: use a number and a unit, e.g. 30m, 1h, 24h or 7d`);
  }
}

/**
 * The configured database, for a quick read. Several of these processes may start at once (a script
 * signing tokens for many partners): each waits for the others' locks as the app does, rather than
 * failing with SQLITE_BUSY when another closes the file at that moment.
 */
const openClient = (config: Config) =>
  createClient({ url: config.libsql.url, authToken: config.libsql.authToken, timeout: BUSY_TIMEOUT_MS });

/** Warns when the token would be refused because its program or member does not exist locally. */
async function warnAboutUnknownIds(config: Config, programId: string, memberId: string | undefined) {
  const { url } = config.libsql;
  if (url.startsWith('file:') && !existsSync(url.slice('file:'.length))) {
    console.error(
      `warning: there is no local database at ${url} yet: \`npm start\` creates it and the program "${config.defaultProgram.id}".`,
    );
    return;
  }
  const client = openClient(config);
  try {
    const program = await client.execute({ sql: 'select 1 from programs where id = ?', args: [programId] });
    if (program.rows.length === 0) {
      console.error(
        `warning: program "${programId}" does not exist in ${url}; the API answers 401 to this token.\n` +
          `  Create it with: DEFAULT_PROGRAM_ID=${programId} DEFAULT_PROGRAM_NAME="…" npm run db:migrate`,
      );
      return;
    }
    if (memberId === undefined) return;
    const member = await client.execute({ sql: 'select 1 from members where id = ? and program_id = ?', args: [memberId, programId] });
    if (member.rows.length === 0) {
      console.error(`warning: member "${memberId}" does not exist in program "${programId}" (${url}); this token sees no member.`);
    }
  } catch (error) {
    console.error(`warning: could not check the program and member in ${url}: ${(error as Error).message}`);
  } finally {
    client.close();
  }
}

/** Why no token is signed for this partner (unknown, or not ACTIVE), or null when it may be. */
export async function partnerRefusal(config: Config, programId: string, partnerId: string): Promise<string | null> {
  const { url } = config.libsql;
  if (url.startsWith('file:') && !existsSync(url.slice('file:'.length))) {
    return `there is no local database at ${url}, so partner "${partnerId}" cannot exist: \`npm start\` creates it, then createPartner`;
  }
  const client = openClient(config);
  try {
    const found = await client.execute({
      sql: 'select status from partners where id = ? and program_id = ?',
      args: [partnerId, programId],
    });
    const status = found.rows[0]?.status;
    if (status === undefined)
      return `partner "${partnerId}" does not exist in program "${programId}" (${url}): create it with createPartner`;
    if (status !== 'active') return `partner "${partnerId}" is ${String(status).toUpperCase()}: only an ACTIVE partner gets a token`;
    return null;
  } catch (error) {
    return `could not check partner "${partnerId}" in ${url}: ${(error as Error).message}`;
  } finally {
    client.close();
  }
}

async function main() {
  const fail = (message: string): never => {
    console.error(`npm run token: ${message}\nRun \`npm run token -- --help\` for the options.`);
    process.exit(2);
  };
  let request: TokenArguments | null = null;
  let config: Config | undefined;
  try {
    request = parseTokenArguments(process.argv.slice(2));
    if (request) config = loadConfig(process.env, 'node');
  } catch (error) {
    fail((error as Error).message);
  }
  if (!request || !config) {
    console.log(usage);
    return;
  }
  const secret = config.auth.secret ?? fail('JWT_JWKS_URL is set: tokens come from your identity provider, not from this script');
  const programId = request.programId ?? config.defaultProgram.id;
  await warnAboutUnknownIds(config, programId, request.memberId);
  if (request.partnerId) {
    const refusal = await partnerRefusal(config, programId, request.partnerId);
    if (refusal) fail(refusal);
  }
  const token = await signToken(secret, {
    role: request.role,
    programId,
    subject: request.memberId ?? request.subject ?? `local-${request.role}`,
    partnerId: request.partnerId,
    expiresIn: request.expires,
    issuer: config.auth.issuer,
    audience: config.auth.audience,
  });
  console.log(token);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
