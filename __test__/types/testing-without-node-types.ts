// `@owox/api-client/testing` used with no `@types/node` and no DOM lib (TypeScript 7's
// default `types: []`): its declarations need nothing beyond the ECMAScript library.
import { encodeApiKey, generateDataMarts, startTestServer } from '@owox/api-client/testing';
import type { InjectResponse, TestServer } from '@owox/api-client/testing';

export async function useTheServer(): Promise<string> {
  const server: TestServer = await startTestServer({ dataMarts: generateDataMarts(3), tokenExpiresIn: null });
  const stall: InjectResponse = { stall: true, partialBody: new Uint8Array([123]) };
  server.inject({ path: '/api/data-marts', times: 1 }, stall);
  const key = encodeApiKey(server.credentials);
  await server.close();
  return key;
}
