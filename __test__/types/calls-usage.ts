// Every named call, the low-level methods, the { transport } form and parseOWOXApiKey, as a
// script written for the original client 0.31 uses them; must type-check under --strict.

import {
  API_KEY_PREFIX,
  OWOXApiClient,
  parseOWOXApiKey,
  type OWOXDataMartRun,
  type OWOXModelCanvasEdge,
  type OWOXPluginPublication,
  type OWOXSearchResult,
  type OWOXTransport,
} from '@owox/api-client';

export async function tour(client: OWOXApiClient, signal: AbortSignal): Promise<void> {
  const history = await client.runs.list({ limit: 5, offset: 0, signal });
  const first: OWOXDataMartRun | undefined = history.runs[0];
  const title: string | undefined = history.runs[0]?.dataMart.title;

  const scope = client.runs.forDataMart('mart-id');
  const { runId } = await scope.start({ payload: { runType: 'MANUAL_BACKFILL', data: { StartDate: '2026-07-01' } } });
  await scope.start();
  // The original 0.31's own form.
  await scope.start({ runType: 'MANUAL_BACKFILL', data: { StartDate: '2026-07-01', EndDate: '2026-07-31' } });
  await scope.start({ runType: 'INCREMENTAL' }, { signal });
  const runs = await scope.list({ limit: 10 });
  const detail = await scope.get(runId, { timeout: 5000 });
  const status: string = detail.status;
  const cancelled: void = await scope.cancel(runId);

  const settings = await client.project.getSettings();
  const description: string | null = settings.description;
  await client.project.updateDescription(null);
  await client.project.updateDescription('text', { maxRetries: 0 });
  const progress: number = (await client.project.getSetupProgress()).progress;

  const page = await client.models.getDataMarts('storage-id', 1000);
  await client.models.getDataMarts('storage-id', { signal });
  const next: number | null = page.nextOffset;
  const edges: OWOXModelCanvasEdge[] = await client.models.getEdges('storage-id');

  const templates = await client.insights.getTemplates({ limit: 5 });
  const canDelete: boolean | undefined = templates.insights[0]?.canDelete;

  const results: OWOXSearchResult[] = await client.search.query('revenue', { limit: 3, entityTypes: ['DATA_MART'], excludeDrafts: true });
  const html: string = await client.markdown.parseToHtml({ markdown: '# Hello' });

  const publication: OWOXPluginPublication = await client.plugins.publish({ repository: 'owox/x', scope: 'deployment', allProjects: true });
  await client.plugins.unpublish({ repository: 'owox/x', scope: 'project' });
  const publications = await client.plugins.listPublications('member');
  const outcome: string = (await client.plugins.update('owox/x')).outcome;
  await client.plugins.suspend('owox/x', 'review');
  await client.plugins.suspend('owox/x', { signal });
  await client.plugins.resume('owox/x');

  const mart = await client.dataMarts.get('mart-id');
  const created = await client.dataMarts.create({ title: 'New', storageId: 'storage-id' });
  await client.dataMarts.delete(created.id);
  const reports = await client.reports.list({ ownerFilter: 'has_owners', limit: 10 });
  const report = await client.reports.get('report-id');

  const raw = await client.getJson<{ items: unknown[] }>('/api/data-marts', { offset: '1000' });
  await client.getJson('/api/data-marts', new URLSearchParams([['a', '1']]), { signal });
  await client.postJson('/api/markdown/parse-to-html', { markdown: 'x' }, 'text/html');
  await client.postJson('/api/data-marts', { title: 't', storageId: 's' }, { timeout: 1000 });
  await client.putJson('/api/projects/settings/description', { description: 'x' });
  await client.patchJson('/api/data-marts/id', { title: 'x' });
  const nothing: void = await client.deleteJson('/api/data-marts/id');

  void [first, title, runs, status, cancelled, description, progress, next, edges, canDelete, results, html, publication, publications, outcome, mart, reports, report, raw, nothing];
}

const transport: OWOXTransport = {
  getJson: async <T>() => [] as T,
  postJson: async <T>() => ({}) as T,
  putJson: async <T>() => ({}) as T,
};
export const brokered = new OWOXApiClient({ transport });

const parts: { apiOrigin: string; apiKeyId: string; apiKeySecret: string } = parseOWOXApiKey(`${API_KEY_PREFIX}abc`);
export const fromParts = new OWOXApiClient(parts);
