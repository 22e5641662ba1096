'use strict';
// Every command of owox-api, in the order `--help` lists them. Each file describes one
// group; program.js turns the definitions into the parser and the help.

module.exports = [
  ...require('./status.js'),
  ...require('./data-marts.js'),
  ...require('./storages.js'),
  ...require('./destinations.js'),
  ...require('./reports.js'),
  ...require('./runs.js'),
  ...require('./project.js'),
  ...require('./models.js'),
  ...require('./insights.js'),
  ...require('./search.js'),
  ...require('./markdown.js'),
  ...require('./plugins.js'),
  ...require('./request.js'),
];
