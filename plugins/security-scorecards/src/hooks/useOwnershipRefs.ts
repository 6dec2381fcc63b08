import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';

/**
 * The signed-in user's ownership refs (the user and the groups they belong
 * to), as the identity API gives them. Empty while loading or when the
 * identity cannot be read: views that use it only reorder or mark things.
 */
export function useOwnershipRefs(): {
  loading: boolean;
  userEntityRef?: string;
  refs: ReadonlySet<string>;
} {
  const identityApi = useApi(identityApiRef);
  const identity = useAsync(
    () => identityApi.getBackstageIdentity(),
    [identityApi],
  );
  const refs = useMemo(
    () =>
      new Set(
        (identity.value?.ownershipEntityRefs ?? []).map(ref =>
          ref.toLocaleLowerCase('en-US'),
        ),
      ),
    [identity.value],
  );
  return {
    loading: identity.loading,
    userEntityRef: identity.value?.userEntityRef,
    refs,
  };
}
