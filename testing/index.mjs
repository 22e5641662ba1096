// Re-exports the CommonJS module so ESM and CJS users share one copy of everything.
import testing from './index.js';

export const {
  startTestServer,
  generateDataMarts,
  generateStorages,
  generateDestinations,
  generateRuns,
  generateReports,
  generateInsightTemplates,
  generateRows,
  generateSampleData,
  encodeApiKey,
} = testing;
