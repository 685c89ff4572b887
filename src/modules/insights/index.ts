/** Insights: retention, purchase series, cohorts, experiment reports, liability and breakage (admin reports). */

// Registers the module's GraphQL types and fields on the builder (src/api/schema.ts assembles them).
import './schema';

export { createInsightsService, type InsightsService } from './service';
