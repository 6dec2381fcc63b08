import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  DependencyListResponse,
  DependencyUsageResponse,
  EntityScorecard,
  FindingListResponse,
  GroupScorecard,
  RubricResponse,
  ScanListResponse,
  ScanSummary,
  ScorecardHistoryResponse,
} from '@secdevops/plugin-security-scorecards-common';
import {
  DependencyListQuery,
  FindingListQuery,
  GroupScorecardQuery,
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
    // Repeated rather than comma-separated: the documented form of `slaState`.
    for (const slaState of query.slaStates ?? []) {
      parameters.append('slaState', slaState);
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

  async getEntityScorecard(options: {
    entityRef: string;
  }): Promise<EntityScorecard> {
    const parameters = new URLSearchParams({ entityRef: options.entityRef });
    return this.get<EntityScorecard>(`/scorecards/entity?${parameters}`);
  }

  async getGroupScorecard(query: GroupScorecardQuery): Promise<GroupScorecard> {
    const parameters = new URLSearchParams();
    if (query.entityRef) parameters.set('entityRef', query.entityRef);
    if (query.targetLevel !== undefined) {
      parameters.set('targetLevel', String(query.targetLevel));
    }
    return this.get<GroupScorecard>(
      `/scorecards/group${queryString(parameters)}`,
    );
  }

  async getScorecardHistory(options: {
    entityRef: string;
    days?: number;
  }): Promise<ScorecardHistoryResponse> {
    const parameters = new URLSearchParams({ entityRef: options.entityRef });
    if (options.days !== undefined) {
      parameters.set('days', String(options.days));
    }
    return this.get<ScorecardHistoryResponse>(
      `/scorecards/history?${parameters}`,
    );
  }

  async getRubric(): Promise<RubricResponse> {
    return this.get<RubricResponse>('/rubric');
  }

  async exportGroupCsv(options: { entityRef?: string }): Promise<Blob> {
    const parameters = new URLSearchParams();
    if (options.entityRef) parameters.set('entityRef', options.entityRef);
    const response = await this.fetch(
      `/scorecards/group/export${queryString(parameters)}`,
    );
    return response.blob();
  }

  async findDependencyUsage(options: {
    purl: string;
  }): Promise<DependencyUsageResponse> {
    const parameters = new URLSearchParams({ purl: options.purl });
    return this.get<DependencyUsageResponse>(
      `/dependencies/usage?${parameters}`,
    );
  }

  private async get<T>(path: string): Promise<T> {
    const response = await this.fetch(path);
    return (await response.json()) as T;
  }

  /** Fetches a path of the backend; a response other than 2xx throws. */
  private async fetch(path: string): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('security-scorecards');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}

function queryString(parameters: URLSearchParams): string {
  const text = parameters.toString();
  return text ? `?${text}` : '';
}
