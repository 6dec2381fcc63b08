import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import { DependenciesTable } from '../DependenciesTable';
import { FindingsTable } from '../FindingsTable';

/**
 * The "Security" tab of an entity: its findings and dependencies.
 *
 * @public
 */
export function EntitySecurityContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <FindingsTable entityRef={entityRef} />
      </Grid>
      <Grid item xs={12}>
        <DependenciesTable entityRef={entityRef} />
      </Grid>
    </Grid>
  );
}
