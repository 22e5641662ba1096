'use strict';
// Loads the compiled core, turning "no binary for this platform" (or one this Node cannot
// load) into an error that says what to do instead of a bare MODULE_NOT_FOUND.

let binding;
try {
  binding = require('../native.js');
} catch (error) {
  const platform = `${process.platform}-${process.arch}`;
  throw new Error(
    `@owox/api-client has no native binary for ${platform} (Node ${process.version}) that loads. ` +
      'It needs Node.js 20.4 or newer. Reinstall without --no-optional/--omit=optional so npm can fetch the ' +
      'prebuilt package for your platform, or build from source in a clone of the repository with a Rust ' +
      'toolchain: npm install && npm run build. The cause below says what failed.',
    { cause: error },
  );
}

module.exports = binding;
