import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ScanListResponse,
  ScanSummary,
} from '@secdevops/plugin-security-scorecards-common';
import { SecurityScorecardsApi } from './SecurityScorecardsApi';

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

  private async get<T>(path: string): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('security-scorecards');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
