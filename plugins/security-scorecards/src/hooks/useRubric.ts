import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { securityScorecardsApiRef } from '../api';

/**
 * The rubric (level names, checks, default target level). Views that only
 * need level names keep working without it: read `value` as optional.
 */
export function useRubric() {
  const securityScorecardsApi = useApi(securityScorecardsApiRef);
  return useAsync(
    () => securityScorecardsApi.getRubric(),
    [securityScorecardsApi],
  );
}
