'use strict';

// @owox/api-client/testing: a local OWOX-compatible server and realistic fixtures for tests
// and benchmarks of code that uses the client. Test-only; never needed in production.

const { startTestServer } = require('./server');
const {
  generateDataMarts,
  generateStorages,
  generateDestinations,
  generateRuns,
  generateReports,
  generateInsightTemplates,
  generateRows,
  generateSampleData,
} = require('./fixtures');
const { encodeApiKey } = require('./credentials');

module.exports = {
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
};
