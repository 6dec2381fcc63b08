import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  DependencyListResponse,
  FindingListResponse,
  ScanListResponse,
  ScanSummary,
} from '@secdevops/plugin-security-scorecards-common';
import {
  DependencyListQuery,
  FindingListQuery,
  SecurityScorecardsApi,
} from './SecurityScorecardsApi';

/**
 * {@link SecurityScorecardsApi} over HTTP, authenticated by the fetch API.
 *
 * @public
 */
export class SecurityScorecardsClient implements SecurityScorecardsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async listScans(options: {
    entityRef: string;
    limit?: number;
  }): Promise<ScanSummary[]> {
    const query = new URLSearchParams({ entityRef: options.entityRef });
    if (options.limit !== undefined) {
      query.set('limit', String(options.limit));
    }
    const body = await this.get<ScanListResponse>(`/scans?${query}`);
    return body.items;
  }

  async listFindings(query: FindingListQuery): Promise<FindingListResponse> {
    const parameters = new URLSearchParams({ entityRef: query.entityRef });
    const lists = {
      status: query.statuses,
      severity: query.severities,
      category: query.categories,
      scanner: query.scanners,
    };
    for (const [name, values] of Object.entries(lists)) {
      if (values?.length) parameters.set(name, values.join(','));
    }
    if (query.text) parameters.set('q', query.text);
    if (query.orderBy) parameters.set('orderBy', query.orderBy);
    if (query.order) parameters.set('order', query.order);
    if (query.limit !== undefined) parameters.set('limit', String(query.limit));
    if (query.offset !== undefined) {
      parameters.set('offset', String(query.offset));
    }
    return this.get<FindingListResponse>(`/findings?${parameters}`);
  }

  async listDependencies(
    query: DependencyListQuery,
  ): Promise<DependencyListResponse> {
    const parameters = new URLSearchParams({ entityRef: query.entityRef });
    if (query.text) parameters.set('q', query.text);
    if (query.vulnerable !== undefined) {
      parameters.set('vulnerable', String(query.vulnerable));
    }
    if (query.limit !== undefined) parameters.set('limit', String(query.limit));
    if (query.offset !== undefined) {
      parameters.set('offset', String(query.offset));
    }
    return this.get<DependencyListResponse>(`/dependencies?${parameters}`);
  }

  private async get<T>(path: string): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('security-scorecards');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
