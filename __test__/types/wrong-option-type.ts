// Must NOT type-check: the contract test runs tsc on it and expects these errors.
import { OWOXApiClient } from '@owox/api-client';

const client = new OWOXApiClient({ apiKey: 'owox_key_x', timeout: 'soon' });
void client.dataMarts.list({ ownerFilter: 'everyone' });
void client.storages.list({ offset: 5 });
void client.dataMarts.list(undefined, { signal: AbortSignal.timeout(1000) });
void new OWOXApiClient({ apiKey: 'owox_key_x', retries: 3 });
void client.storages.list(AbortSignal.timeout(1000));
