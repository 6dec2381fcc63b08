import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import {
  CatalogAutocomplete,
  catalogApiRef,
} from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';
import { shortRef } from '../format';

interface GroupOption {
  ref: string;
  title: string;
}

/** Picks a group of the catalog by its name, or none for the whole organisation. */
export function GroupPicker(props: {
  value?: string;
  onChange: (groupRef: string | undefined) => void;
  /** What no group means; "Whole organisation" by default. */
  placeholder?: string;
}) {
  const catalogApi = useApi(catalogApiRef);
  const groups = useAsync(async (): Promise<GroupOption[]> => {
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'Group' },
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.title',
        'spec.profile.displayName',
      ],
    });
    return items
      .map(entity => {
        const profile = entity.spec?.profile as
          | { displayName?: string }
          | undefined;
        return {
          ref: stringifyEntityRef(entity),
          title:
            profile?.displayName ??
            entity.metadata.title ??
            entity.metadata.name,
        };
      })
      .sort((a, b) => a.title.localeCompare(b.title));
  }, [catalogApi]);

  const options = groups.value ?? [];
  const value = props.value
    ? options.find(option => option.ref === props.value) ?? {
        ref: props.value,
        title: shortRef(props.value),
      }
    : null;

  return (
    <CatalogAutocomplete<GroupOption>
      name="security-scorecards-group"
      label="Group"
      options={options}
      value={value}
      loading={groups.loading}
      getOptionLabel={option => option.title}
      getOptionSelected={(option, selected) => option.ref === selected.ref}
      onChange={(_event, option) => props.onChange(option?.ref)}
      TextFieldProps={{
        placeholder: props.placeholder ?? 'Whole organisation',
      }}
      style={{ minWidth: 300, maxWidth: 480 }}
    />
  );
}
