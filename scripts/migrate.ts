/**
 * Applies the committed migrations to LIBSQL_URL (Turso, sqld or a local file) and makes sure the
 * program DEFAULT_PROGRAM_ID exists. Run it before deploying the Worker:
 *   LIBSQL_URL=libsql://… LIBSQL_AUTH_TOKEN=… npm run db:migrate
 */
import { loadConfig } from '../src/config';
import { systemClock } from '../src/platform/clock';
import { openNodeDatabase } from '../src/platform/node/database';
import { createProgramsService } from '../src/modules/programs/service';

const config = loadConfig(process.env, 'node');
const { db, client } = await openNodeDatabase(config.libsql);
const program = await createProgramsService({ db, clock: systemClock }).ensure(config.defaultProgram);
console.log(`migrations applied to ${config.libsql.url}; program "${program.id}" (${program.name}) ready`);
client.close();
