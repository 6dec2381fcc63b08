/*
 * The backend of the demo portal: the catalog, auth, permissions,
 * notifications, signals and search, with the security scorecards plugin.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// Sign-in: the guest provider, for local use only.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// The catalog holds the demo organisation and its components.
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// Permissions: every permission is granted in the demo portal; see
// https://backstage.io/docs/permissions/writing-a-policy to restrict
// security-scorecards.findings.read to entity owners.
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);

// Search over the catalog (PostgreSQL engine when the database is PostgreSQL).
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

backend.add(import('@backstage/plugin-user-settings-backend'));

// Notifications (escalations are sent through them) and signals.
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// Security scorecards, and the demo scans of the demo portal.
backend.add(import('@secdevops/plugin-security-scorecards-backend'));
backend.add(import('./modules/demoScans'));

backend.start();
