import {
  EmptyState,
  Link,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { DependencyUsage } from '@secdevops/plugin-security-scorecards-common';
import { FormEvent, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { securityScorecardsApiRef } from '../../api';
import { useEntitySecurityLink } from '../../hooks/useEntitySecurityLink';
import { shortRef } from '../format';
import {
  DependencySearch,
  dependencySearchFrom,
  ecosystemOfSearch,
  PURL_TYPES,
  purlOfSearch,
  versionFilterOfSearch,
} from './purl';
import { filterByVersionRange, RANGE_ECOSYSTEMS } from './versionRange';

function useColumns(): TableColumn<DependencyUsage>[] {
  const securityLink = useEntitySecurityLink();
  return [
    {
      title: 'Entity',
      field: 'entityRef',
      render: usage => (
        <Link to={securityLink(usage.entityRef)}>
          {shortRef(usage.entityRef)}
        </Link>
      ),
    },
    {
      title: 'Owner',
      field: 'owner',
      render: usage =>
        usage.owner ? (
          <EntityRefLink entityRef={usage.owner} defaultKind="group" />
        ) : (
          ''
        ),
    },
    {
      title: 'Package',
      field: 'name',
      render: usage => (
        <>
          <Typography variant="body2">{usage.name}</Typography>
          {usage.purl && (
            <Typography variant="caption" color="textSecondary">
              {usage.purl}
            </Typography>
          )}
        </>
      ),
    },
    { title: 'Version', field: 'version' },
    {
      title: 'Direct',
      field: 'direct',
      render: usage => {
        if (usage.direct === undefined) return '';
        return usage.direct ? 'direct' : 'transitive';
      },
    },
    {
      title: 'Vulnerable',
      field: 'vulnerable',
      render: usage =>
        usage.vulnerable ? (
          <Chip
            size="small"
            label="vulnerable"
            style={{ backgroundColor: '#d32f2f', color: '#fff', margin: 0 }}
          />
        ) : (
          'no open finding'
        ),
    },
  ];
}

function SearchForm(props: {
  search: DependencySearch;
  onSearch: (search: DependencySearch) => void;
}) {
  const [draft, setDraft] = useState(props.search);
  useEffect(() => setDraft(props.search), [props.search]);
  const isPurl = draft.q.trim().startsWith('pkg:');
  const versionFilter = versionFilterOfSearch({
    q: draft.q.trim(),
    ecosystem: draft.ecosystem,
    version: draft.version,
  });
  const rangesCompared = RANGE_ECOSYSTEMS.includes(
    ecosystemOfSearch({ ...draft, q: draft.q.trim() }),
  );
  let versionHelp = rangesCompared
    ? 'Exact, or a range: <4.17.21, ^4.17.0'
    : 'An exact version';
  if (versionFilter.kind === 'invalid') {
    versionHelp = rangesCompared
      ? 'Not a version or a version range'
      : 'Ranges need semantic versions';
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onSearch({
      q: draft.q.trim(),
      ecosystem: draft.ecosystem,
      version: draft.version.trim(),
    });
  };
  return (
    <Box
      component="form"
      onSubmit={submit}
      display="flex"
      flexWrap="wrap"
      alignItems="flex-start"
      style={{ gap: 8 }}
      mb={2}
      role="search"
    >
      <TextField
        id="dependency-search-package"
        label="Package name or purl"
        placeholder="lodash, @babel/core or pkg:npm/lodash"
        variant="outlined"
        size="small"
        value={draft.q}
        onChange={event => setDraft({ ...draft, q: event.target.value })}
        style={{ minWidth: 320 }}
      />
      <TextField
        id="dependency-search-ecosystem"
        select
        label="Ecosystem"
        variant="outlined"
        size="small"
        value={draft.ecosystem}
        disabled={isPurl}
        onChange={event =>
          setDraft({ ...draft, ecosystem: event.target.value })
        }
        style={{ minWidth: 130 }}
      >
        {PURL_TYPES.map(type => (
          <MenuItem key={type} value={type}>
            {type}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        id="dependency-search-version"
        label="Version or range (optional)"
        placeholder="4.17.21 or <4.17.21"
        variant="outlined"
        size="small"
        value={draft.version}
        error={versionFilter.kind === 'invalid'}
        helperText={versionHelp}
        onChange={event => setDraft({ ...draft, version: event.target.value })}
        style={{ minWidth: 240 }}
      />
      <Button type="submit" variant="contained" color="primary">
        Search
      </Button>
    </Box>
  );
}

/**
 * Which entities use a package (every version, one, or a range), and who owns
 * them: the blast radius of a new vulnerability. The search is kept in the URL
 * (`?q=lodash&ecosystem=npm&version=4.17.20`, `?q=lodash&version=<4.17.21`,
 * or `?q=pkg:npm/lodash`). An exact version is matched by the backend; a
 * range is applied in the browser to every version the backend returns,
 * comparing semantic versions (npm range syntax).
 *
 * @public
 */
export function DependencySearchPage() {
  const securityScorecardsApi = useApi(securityScorecardsApiRef);
  const [searchParameters, setSearchParameters] = useSearchParams();
  const search = useMemo(
    () => dependencySearchFrom(searchParameters),
    [searchParameters],
  );
  const versionFilter = useMemo(() => versionFilterOfSearch(search), [search]);
  const purl =
    versionFilter.kind === 'invalid' ? undefined : purlOfSearch(search);
  const columns = useColumns();
  const usage = useAsync(
    async () =>
      purl ? securityScorecardsApi.findDependencyUsage({ purl }) : undefined,
    [securityScorecardsApi, purl],
  );
  const rangeText = versionFilter.kind === 'range' ? versionFilter.text : '';
  const filtered = useMemo(() => {
    const items = usage.value?.items ?? [];
    return versionFilter.kind === 'range'
      ? filterByVersionRange(items, versionFilter.range)
      : { matching: items, incomparable: 0 };
  }, [usage.value, versionFilter]);

  const onSearch = (next: DependencySearch) => {
    const parameters = new URLSearchParams();
    if (next.q) parameters.set('q', next.q);
    if (next.q && !next.q.startsWith('pkg:')) {
      parameters.set('ecosystem', next.ecosystem);
    }
    if (next.version) parameters.set('version', next.version);
    setSearchParameters(parameters);
  };

  let results: JSX.Element;
  if (versionFilter.kind === 'invalid') {
    results = (
      <WarningPanel
        severity="error"
        title="This version cannot be searched"
        message={versionFilter.message}
      />
    );
  } else if (!purl) {
    results = (
      <EmptyState
        missing="content"
        title="Which entities use a package?"
        description="Search a package by name or package URL, optionally one version or a version range, to see the entities that depend on it, their owners and whether it is vulnerable there."
      />
    );
  } else if (usage.loading) {
    results = <Progress />;
  } else if (usage.error) {
    results = <ResponseErrorPanel error={usage.error} />;
  } else {
    const items = filtered.matching;
    const entities = new Set(items.map(item => item.entityRef)).size;
    const subject = rangeText ? `${purl} ${rangeText}` : purl;
    results = (
      <>
        <Table<DependencyUsage>
          title={`${subject}: ${entities} ${
            entities === 1 ? 'entity' : 'entities'
          }`}
          columns={columns}
          data={items}
          options={{
            paging: items.length > 50,
            pageSize: 50,
            padding: 'dense',
            search: false,
          }}
          localization={{
            body: {
              emptyDataSourceMessage: rangeText
                ? 'No entity you may see uses a version of this package in this range, according to their SBOMs and scans.'
                : 'No entity you may see uses this package, according to their SBOMs and scans.',
            },
          }}
        />
        {filtered.incomparable > 0 && (
          <Typography
            variant="body2"
            color="textSecondary"
            style={{ marginTop: 8 }}
          >
            {filtered.incomparable === 1
              ? '1 usage is left out: its version is not a semantic version, so it cannot be compared with the range.'
              : `${filtered.incomparable} usages are left out: their versions are not semantic versions, so they cannot be compared with the range.`}
          </Typography>
        )}
      </>
    );
  }

  return (
    <>
      <SearchForm search={search} onSearch={onSearch} />
      {results}
    </>
  );
}
