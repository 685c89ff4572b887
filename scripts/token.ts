/**
 * Prints a signed token for local use:
 *   npm run token -- --role admin
 *   npm run token -- --role member --member <id or Member global id>
 *   npm run token -- --role partner --partner acme
 * Signs with JWT_SECRET (or the development secret when Node may use it) for DEFAULT_PROGRAM_ID.
 */
import { parseArgs } from 'node:util';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { loadConfig } from '../src/config';
import { roles, type Role } from '../src/platform/auth/principal';
import { signToken } from '../src/platform/auth/sign';

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    member: { type: 'string' },
    partner: { type: 'string' },
    program: { type: 'string' },
    subject: { type: 'string' },
    expires: { type: 'string', default: '24h' },
  },
});

function fail(message: string): never {
  console.error(`${message}\nusage: npm run token -- --role ${roles.join('|')} [--member ID] [--partner ID] [--program ID] [--expires 24h]`);
  process.exit(2);
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

const role = values.role as Role | undefined;
if (!role || !roles.includes(role)) fail('--role is required');
if (role === 'member' && !values.member) fail('--member is required for a member token');
if (role === 'partner' && !values.partner) fail('--partner is required for a partner token');

const config = loadConfig(process.env, 'node');
if (!config.auth.secret) fail('JWT_JWKS_URL is set: tokens come from your identity provider, not from this script');

const token = await signToken(config.auth.secret, {
  role,
  programId: values.program ?? config.defaultProgram.id,
  subject: role === 'member' ? memberIdFrom(values.member!) : (values.subject ?? `local-${role}`),
  partnerId: values.partner,
  expiresIn: values.expires,
  issuer: config.auth.issuer,
  audience: config.auth.audience,
});
console.log(token);
