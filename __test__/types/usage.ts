// Exercises the whole public surface of @owox/api-client under `tsc --strict`: options,
// resources, result types, error classes and iteration. Type-checked only, never run.
import { OWOXApiClient, OWOXApiError, OWOXAuthError, OWOXConfigError } from '@owox/api-client';
import type {
  OWOXApiClientOptions,
  OWOXApiErrorOptions,
  OWOXAuthContext,
  OWOXDataMart,
  OWOXDataMartListOptions,
  OWOXDestination,
  OWOXRequestOptions,
  OWOXStorage,
} from '@owox/api-client';
import { encodeApiKey, generateDataMarts, startTestServer } from '@owox/api-client/testing';
import type { TestServer } from '@owox/api-client/testing';

const parts: OWOXApiClientOptions = {
  apiOrigin: 'https://app.owox.com',
  apiKeyId: 'pmk_x',
  apiKeySecret: 's',
  timeout: 30_000,
  maxRetries: 0,
  maxResponseBytes: 1024 * 1024,
  userAgent: 'my-agent/1.0',
};
const fromParts = new OWOXApiClient(parts);
const fromKey = new OWOXApiClient({ apiKey: encodeApiKey({ apiOrigin: 'https://a.io', apiKeyId: 'i', apiKeySecret: 's' }) });
const fromEnv = new OWOXApiClient();
const origin: string = fromParts.origin;
const json: { origin: string } = fromKey.toJSON();

async function everything(client: OWOXApiClient): Promise<void> {
  const controller = new AbortController();
  const call: OWOXRequestOptions = { signal: controller.signal, timeout: 5_000, maxRetries: 1 };
  const listOptions: OWOXDataMartListOptions = { ...call, offset: 1000, ownerFilter: 'has_owners' };

  const marts: OWOXDataMart[] = await client.dataMarts.list(listOptions);
  const first: OWOXDataMart | undefined = marts[0];
  if (first) {
    const id: string = first.id;
    const title: string = first.title;
    const storageType: string = first.storage.type;
    const owners: string[] = first.businessOwnerUsers.map((user) => user.userId);
    const creatorEmail: string | null | undefined = first.createdByUser?.email;
    const future: unknown = first.someFieldFromANewerServer;
    void [id, title, storageType, owners, creatorEmail, future];
  }
  for await (const mart of client.dataMarts.iterate({ ownerFilter: 'no_owners' })) {
    const reports: number = mart.reportsCount;
    void reports;
    break;
  }
  const iterator: AsyncIterableIterator<OWOXDataMart> = client.dataMarts.iterate();
  await iterator.return?.();

  const storages: OWOXStorage[] = await client.storages.list(call);
  const storageTitle: string | null | undefined = storages[0]?.title;
  const destinations: OWOXDestination[] = await client.destinations.list();
  const destinationType: string | undefined = destinations[0]?.type;
  const context: OWOXAuthContext = await client.auth.getContext({ timeout: 1_000 });
  const projectTitle: string | null = context.project.title;
  const roles: string[] = context.member.roles;
  const email: string | null = context.member.email;
  await client.authenticate();
  await client.authenticate({ signal: AbortSignal.timeout(1_000) });
  void [storageTitle, destinationType, projectTitle, roles, email, context.apiKeyId, context.authFlow];
}

function describe(error: unknown): string {
  if (error instanceof OWOXAuthError) return `refused (${error.status}): ${error.message}`;
  if (error instanceof OWOXApiError) {
    const status: number | undefined = error.status;
    const code: string | undefined = error.code;
    const details: unknown = error.details;
    const attempts: number | undefined = error.attempts;
    return `${error.name} ${status} ${code} ${JSON.stringify(details)} ${attempts} ${String(error.cause)}`;
  }
  if (error instanceof OWOXConfigError) return `bad options: ${error.message}`;
  return String(error);
}

const options: OWOXApiErrorOptions = { status: 500, code: 'X', details: { a: 1 }, cause: new Error('c'), attempts: 3 };
const apiError: OWOXApiError = new OWOXApiError('failed', options);
const authError: OWOXApiError = new OWOXAuthError('refused', { status: 401 });
const configError: Error = new OWOXConfigError('bad');
void [origin, json, describe(apiError), describe(authError), describe(configError)];

async function withTestServer(): Promise<void> {
  const server: TestServer = await startTestServer({ dataMarts: generateDataMarts(3), tokenExpiresIn: null });
  const client = new OWOXApiClient(server.credentials);
  await everything(client);
  await everything(fromEnv);
  await server.close();
}
void withTestServer;
