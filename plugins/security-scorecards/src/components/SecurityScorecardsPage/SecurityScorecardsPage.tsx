import {
  Content,
  Header,
  Page,
  TabbedLayout,
} from '@backstage/core-components';
import { DependencySearchPage } from '../DependencySearchPage';
import { EscalationsPage } from '../Escalations';
import { OrganizationScorecards } from './OrganizationScorecards';

/**
 * The org-wide security scorecards page of the legacy frontend system, with
 * its header and tabs: scorecards (`/`), dependency search
 * (`/dependencies`) and SLA escalations (`/escalations`).
 *
 * @public
 */
export function SecurityScorecardsPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Security scorecards"
        subtitle="Security maturity of the organisation's software, by team"
      />
      <TabbedLayout>
        <TabbedLayout.Route path="/" title="Scorecards">
          <OrganizationScorecards />
        </TabbedLayout.Route>
        <TabbedLayout.Route path="/dependencies" title="Dependencies">
          <DependencySearchPage />
        </TabbedLayout.Route>
        <TabbedLayout.Route path="/escalations" title="Escalations">
          <EscalationsPage />
        </TabbedLayout.Route>
      </TabbedLayout>
    </Page>
  );
}

/** The scorecards sub-page of the new frontend system, whose page has the header. */
export function OrganizationScorecardsPage() {
  return (
    <Content>
      <OrganizationScorecards />
    </Content>
  );
}

/** The dependency search sub-page of the new frontend system. */
export function DependencySearchSubPage() {
  return (
    <Content>
      <DependencySearchPage />
    </Content>
  );
}

/** The escalations sub-page of the new frontend system. */
export function EscalationsSubPage() {
  return (
    <Content>
      <EscalationsPage />
    </Content>
  );
}
