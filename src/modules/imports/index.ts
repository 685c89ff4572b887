/** History import: past orders and members from another system. */
export { createImportsService, type ImportsService } from './service';
export { importOrderCommand } from './import-order-command';
