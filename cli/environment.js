'use strict';
// Where credentials come from: the process environment, then a `.env` file (the one in the
// current directory when it exists, or the one named by --env-file), never overriding a
// variable that is already set. This is owox-ctl's rule, and its parser (dotenv), so an
// agent's `.env` means the same to both tools.

const fs = require('node:fs');
const path = require('node:path');
const dotenv = require('dotenv');
const { UsageError } = require('./errors.js');

/**
 * Loads `envFile` (or `./.env` when it exists) into `env`. Variables already set to a
 * non-empty value win; empty values in the file are ignored. Returns the absolute path of
 * the file used and the names it set, or `{ file: null, names: [] }` when none was read.
 * An explicit file that cannot be read is a UsageError (exit 2).
 */
function loadEnvFile(envFile, { env = process.env, cwd = process.cwd() } = {}) {
  const explicit = typeof envFile === 'string' && envFile.trim() !== '';
  const file = path.resolve(cwd, explicit ? envFile.trim() : '.env');
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (!explicit && error.code === 'ENOENT') return { file: null, names: [] };
    // The reason (ENOENT, EACCES, EISDIR), never the content: a .env holds secrets.
    throw new UsageError(`Failed to load environment file: ${explicit ? envFile : file} (${error.code ?? error.message})`);
  }
  const names = [];
  for (const [name, value] of Object.entries(dotenv.parse(text))) {
    if (env[name]?.trim() || value.trim() === '') continue;
    env[name] = value.trim();
    names.push(name);
  }
  return { file, names };
}

const API_KEY_PREFIX = 'owox_key_';

/**
 * What `status` may show of the credentials in `env`: the origin and the key id (not
 * secret), never the secret. Reads OWOX_API_KEY first, as the client does.
 */
function credentialSummary(env = process.env) {
  const apiKey = env.OWOX_API_KEY?.trim();
  if (apiKey) {
    try {
      if (!apiKey.startsWith(API_KEY_PREFIX)) throw new Error('not a key');
      const parts = JSON.parse(Buffer.from(apiKey.slice(API_KEY_PREFIX.length), 'base64url').toString('utf8'));
      return {
        apiOrigin: typeof parts.apiOrigin === 'string' ? parts.apiOrigin : null,
        apiKeyId: typeof parts.apiKeyId === 'string' ? parts.apiKeyId : null,
      };
    } catch {
      return { apiOrigin: null, apiKeyId: null };
    }
  }
  return { apiOrigin: env.OWOX_API_ORIGIN?.trim() || null, apiKeyId: env.OWOX_API_KEY_ID?.trim() || null };
}

/** Which credential form `env` holds, for --debug: names only, never values. */
function credentialSource(env = process.env) {
  if (env.OWOX_API_KEY?.trim()) return 'OWOX_API_KEY';
  const three = ['OWOX_API_ORIGIN', 'OWOX_API_KEY_ID', 'OWOX_API_KEY_SECRET'].filter((name) => env[name]?.trim());
  return three.length ? three.join(', ') : 'none';
}

module.exports = { loadEnvFile, credentialSummary, credentialSource };
