// The NDJSON stream surface under `tsc --strict` (and exactOptionalPropertyTypes): the
// calls, their options, the traversal and getStream. Type-checked only, never run.
import { OWOXApiClient, HttpNdjsonTraversal, DataMartDataTraversal } from '@owox/api-client';
import type { OWOXDataRow, OWOXSavedExport, OWOXTraverseDataOptions } from '@owox/api-client';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';

export async function tour(client: OWOXApiClient): Promise<void> {
  const options: OWOXTraverseDataOptions = {
    columns: '*',
    column: ['Date', 'Revenue'],
    filter: [{ column: 'Country', operator: 'in', value: ['DE'] }],
    sort: null,
    limit: 10,
    signal: AbortSignal.timeout(60_000),
    timeout: 30_000,
  };
  const traversal: HttpNdjsonTraversal = await client.dataMarts.traverseData('mart-id', options);
  const runId: string | undefined = traversal.runId;
  for await (const rows of traversal.rowChunks()) {
    const first: OWOXDataRow | undefined = rows[0];
    void first;
  }
  const report: DataMartDataTraversal = await client.reports.traverseData('report-id', { limit: 5 });
  for await (const row of report) {
    const value: unknown = row['Revenue'];
    void value;
  }
  await pipeline((await client.dataMarts.traverseData('m')).toReadable(), new Writable({ objectMode: true }));
  const saved: OWOXSavedExport = await (await client.dataMarts.traverseData('m')).saveTo('out.csv', { format: 'csv' });
  const rows: number = saved.rows + saved.bytes;
  await (await client.dataMarts.traverseData('m')).saveTo(new URL('file:///tmp/out.ndjson'));
  await traversal.cancel();
  const response: Response = await client.getStream('/api/external/http-data/data-marts/m.ndjson', { limit: '5' }, { timeout: 1000 });
  const body: ReadableStream<Uint8Array> | null = response.body;
  void runId;
  void rows;
  void body;
  void (traversal instanceof DataMartDataTraversal);
}
