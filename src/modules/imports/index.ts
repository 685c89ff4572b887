/** History import: past orders and members from another system. */

// Registers the module's GraphQL types and fields on the builder (src/api/schema.ts assembles them).
import './schema';

export { createImportsService, type ImportsService, type MemberWrites } from './service';
export { importOrderCommand } from './import-order-command';
