'use strict';
// One line per command group, for `owox-api --help` and `owox-api <group> --help`.

const GROUPS = {
  'data-marts': 'Data marts: list, get, create, delete, and stream their rows',
  storages: 'Data storages (BigQuery, Athena, Snowflake, ...)',
  destinations: 'Data destinations (Looker Studio, Google Sheets, email, ...)',
  reports: 'Reports: list, get, and stream their rows',
  runs: 'Data-mart runs: list, get, start, cancel',
  project: 'Project settings and setup progress',
  models: 'The model canvas of a storage: its data marts and their joins',
  insights: 'Insight templates',
  markdown: "The server's Markdown renderer",
  plugins: 'Plugins: publish to the Gallery, unpublish, update, suspend, resume',
  'plugins publications': 'Plugin publications you may manage',
};

module.exports = { GROUPS };
