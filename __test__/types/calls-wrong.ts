// Wrong uses of the named calls: each marked line must be a type error.
import { OWOXApiClient } from '@owox/api-client';

export async function wrong(client: OWOXApiClient): Promise<void> {
  await client.runs.list({ limit: '5' }); // line 5: limit is a number
  await client.search.query('x', { entityTypes: 'DATA_MART' }); // line 6: an array
  await client.markdown.parseToHtml('# x'); // line 7: { markdown }
  await client.project.updateDescription(42); // line 8: string or null
  new OWOXApiClient({ transport: { getJson: async <T>() => 1 as T } }); // line 9: postJson, putJson missing
  await client.runs.forDataMart('m').start({ runType: 'FULL' }); // line 10: INCREMENTAL or MANUAL_BACKFILL
  await client.runs.forDataMart('m').start({ runType: 'MANUAL_BACKFILL', payload: {} }); // line 11: not both forms
}
