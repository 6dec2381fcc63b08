import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import { DependenciesTable } from '../DependenciesTable';
import { FindingsTable } from '../FindingsTable';
import { EntityChecklistCard } from './EntityChecklistCard';
import { EntityHistoryCard } from './EntityHistoryCard';

/**
 * The "Security" tab of an entity: its maturity checks, score history,
 * findings and dependencies.
 *
 * @public
 */
export function EntitySecurityContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} lg={7}>
        <EntityChecklistCard entityRef={entityRef} />
      </Grid>
      <Grid item xs={12} lg={5}>
        <EntityHistoryCard entityRef={entityRef} />
      </Grid>
      <Grid item xs={12}>
        <FindingsTable entityRef={entityRef} />
      </Grid>
      <Grid item xs={12}>
        <DependenciesTable entityRef={entityRef} />
      </Grid>
    </Grid>
  );
}
