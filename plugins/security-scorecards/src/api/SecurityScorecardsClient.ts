import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  CreateWaiverRequest,
  DependencyListResponse,
  DependencyUsageResponse,
  EntityScorecard,
  EscalationListResponse,
  FindingListResponse,
  GroupScorecard,
  RubricResponse,
  ScanListResponse,
  ScanSummary,
  ScorecardHistoryResponse,
  Waiver,
  WaiverHistoryResponse,
  WaiverListResponse,
} from '@secdevops/plugin-security-scorecards-common';
import {
  DependencyListQuery,
  EscalationListQuery,
  FindingListQuery,
  GroupScorecardQuery,
  SecurityScorecardsApi,
  WaiverListQuery,
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
    return (await this.listScanHistory(options)).items;
  }

  async listScanHistory(options: {
    entityRef: string;
    limit?: number;
  }): Promise<ScanListResponse> {
    const query = new URLSearchParams({ entityRef: options.entityRef });
    if (options.limit !== undefined) {
      query.set('limit', String(options.limit));
    }
    const body = await this.get<ScanListResponse>(`/scans?${query}`);
    // A backend without pull collectors may leave them out.
    return { items: body.items, collectors: body.collectors ?? [] };
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

  async listEscalations(
    query: EscalationListQuery,
  ): Promise<EscalationListResponse> {
    const parameters = new URLSearchParams();
    if (query.entityRef) parameters.set('entityRef', query.entityRef);
    if (query.groupRef) parameters.set('groupRef', query.groupRef);
    if (query.state) parameters.set('state', query.state);
    if (query.limit !== undefined) parameters.set('limit', String(query.limit));
    return this.get<EscalationListResponse>(
      `/escalations${queryString(parameters)}`,
    );
  }

  async listWaivers(query: WaiverListQuery): Promise<WaiverListResponse> {
    const parameters = new URLSearchParams({ entityRef: query.entityRef });
    if (query.status?.length) parameters.set('status', query.status.join(','));
    return this.get<WaiverListResponse>(`/waivers?${parameters}`);
  }

  async createWaiver(request: CreateWaiverRequest): Promise<Waiver> {
    return this.send<Waiver>('POST', '/waivers', request);
  }

  async approveWaiver(id: string): Promise<Waiver> {
    return this.send<Waiver>(
      'POST',
      `/waivers/${encodeURIComponent(id)}/approve`,
    );
  }

  async rejectWaiver(id: string, reason?: string): Promise<Waiver> {
    return this.send<Waiver>(
      'POST',
      `/waivers/${encodeURIComponent(id)}/reject`,
      reason ? { reason } : {},
    );
  }

  async revokeWaiver(id: string): Promise<Waiver> {
    return this.send<Waiver>('DELETE', `/waivers/${encodeURIComponent(id)}`);
  }

  async getWaiverHistory(id: string): Promise<WaiverHistoryResponse> {
    return this.get<WaiverHistoryResponse>(
      `/waivers/${encodeURIComponent(id)}/history`,
    );
  }

  async exportVex(entityRef: string): Promise<Blob> {
    const parameters = new URLSearchParams({ entityRef });
    const response = await this.fetch(`/waivers/vex?${parameters}`);
    return response.blob();
  }

  private async get<T>(path: string): Promise<T> {
    const response = await this.fetch(path);
    return (await response.json()) as T;
  }

  /** Sends a request with a method other than GET, and a JSON body when given. */
  private async send<T>(
    method: 'POST' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<T> {
    const response = await this.fetch(path, {
      method,
      ...(body === undefined
        ? {}
        : {
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
          }),
    });
    return (await response.json()) as T;
  }

  /** Fetches a path of the backend; a response other than 2xx throws. */
  private async fetch(path: string, init?: RequestInit): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('security-scorecards');
    const url = `${baseUrl}${path}`;
    const response = await (init
      ? this.fetchApi.fetch(url, init)
      : this.fetchApi.fetch(url));
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
