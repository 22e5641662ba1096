// Must NOT type-check: the contract test runs tsc on it and expects these errors.
import { OWOXApiClient } from '@owox/api-client';

const client = new OWOXApiClient({ apiKey: 'owox_key_x', timeout: 'soon' });
void client.dataMarts.list({ ownerFilter: 'everyone' });
