// Wrong uses of the stream surface; each line from 5 on must be a type error.
import { OWOXApiClient } from '@owox/api-client';
export async function wrong(client: OWOXApiClient): Promise<void> {
  // line 5 onwards: one error each
  await client.dataMarts.traverseData('m', { columns: 'all' });
  await client.dataMarts.traverseData('m', { offset: 5 });
  await client.reports.traverseData('r', { columns: '*' });
  await (await client.dataMarts.traverseData('m')).saveTo('x.xlsx', { format: 'xlsx' });
  await client.dataMarts.traverseData('m', { limit: '5' });
}
