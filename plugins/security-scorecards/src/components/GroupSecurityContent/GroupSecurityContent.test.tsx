import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { securityScorecardsApiRef } from '../../api';
import { GroupSecurityContent } from './GroupSecurityContent';

const group: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'fraud-detection', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

describe('GroupSecurityContent', () => {
  it('shows the rollup of the group on its page', async () => {
    const getGroupScorecard = jest.fn().mockResolvedValue({
      groupRef: 'group:default/fraud-detection',
      title: 'Fraud Detection',
      targetLevel: 2,
      entityCount: 0,
      levelDistribution: {},
      averageScore: 0,
      atTarget: 0,
      shareAtTarget: 0,
      openFindings: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
      pastSla: 0,
      mttrDays: {
        critical: null,
        high: null,
        medium: null,
        low: null,
        info: null,
      },
      children: [],
      lowestEntities: [],
      compliance: [],
      trend: [],
    });

    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            securityScorecardsApiRef,
            {
              getGroupScorecard,
              getRubric: jest.fn().mockRejectedValue(new Error('no rubric')),
            },
          ],
        ]}
      >
        <EntityProvider entity={group}>
          <GroupSecurityContent />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );

    expect(await screen.findByText('Fraud Detection')).toBeInTheDocument();
    expect(screen.getByText('No entities')).toBeInTheDocument();
    expect(getGroupScorecard).toHaveBeenCalledWith({
      entityRef: 'group:default/fraud-detection',
      targetLevel: undefined,
    });
  });
});
