/** Writes the printed SDL to schema/schema.graphql (a test fails when it is stale). */
import { writeFileSync } from 'node:fs';
import { printedSchema } from '../src/api/schema';

writeFileSync('schema/schema.graphql', printedSchema());
console.log('schema/schema.graphql written');
