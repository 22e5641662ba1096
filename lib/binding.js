'use strict';
// Loads the compiled core, turning "no binary for this platform" into an error that says
// what to do instead of a bare MODULE_NOT_FOUND.

let binding;
try {
  binding = require('../native.js');
} catch (error) {
  const platform = `${process.platform}-${process.arch}`;
  throw new Error(
    `@owox/api-client has no native binary for ${platform} (Node ${process.version}). ` +
      'Reinstall without --no-optional/--omit=optional so npm can fetch the prebuilt package for your platform, ' +
      'or build from source in a clone of the repository with a Rust toolchain: npm install && npm run build.',
    { cause: error },
  );
}

module.exports = binding;
