'use strict';
// One line per command group, for `owox-api --help` and `owox-api <group> --help`.

const GROUPS = {
  'data-marts': 'Data marts: list, and stream their rows',
  storages: 'Data storages (BigQuery, Athena, Snowflake, ...)',
  destinations: 'Data destinations (Looker Studio, Google Sheets, email, ...)',
};

module.exports = { GROUPS };
