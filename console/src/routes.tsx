import { type ComponentType, lazy } from 'react';
import { ApplicationsPage } from './pages/customer/applications';
import { CatalogPage } from './pages/customer/catalog';
import { OfflinePage } from './pages/customer/offline';
import { PoolPage } from './pages/pool';
import { PoolsPage } from './pages/pools';
import { AuditPage } from './pages/staff/audit';
import { CustomersPage } from './pages/staff/customers';
import { DevicesPage } from './pages/staff/devices';
import { ReviewPage } from './pages/staff/review';
import { UsersPage } from './pages/staff/users';
import { WebhooksPage } from './pages/staff/webhooks';
import type { Role } from './session';

export interface Page {
  path: string;
  /** In the navigation, under this catalog key's text, when set. */
  titleKey?: string;
  roles: readonly Role[];
  component: ComponentType<{ params: Record<string, string> }>;
}

const STAFF: readonly Role[] = ['admin', 'issuer', 'auditor'];

/** Loaded when first opened: its chart library is most of its weight, which other pages do not pay for. */
const OverviewPage = lazy(() => import('./pages/overview').then((module) => ({ default: module.OverviewPage })));

/** Every page and who may open it; a page outside the viewer's roles is not found, by link or by URL. */
export const PAGES: readonly Page[] = [
  { path: '/overview', titleKey: 'nav.overview', roles: ['customer', ...STAFF], component: OverviewPage },
  { path: '/catalog', titleKey: 'nav.catalog', roles: ['customer'], component: CatalogPage },
  { path: '/applications', titleKey: 'nav.applications', roles: ['customer'], component: ApplicationsPage },
  { path: '/review', titleKey: 'nav.review', roles: ['admin', 'issuer', 'auditor'], component: ReviewPage },
  { path: '/customers', titleKey: 'nav.customers', roles: STAFF, component: CustomersPage },
  { path: '/pools', titleKey: 'nav.pools', roles: ['customer', ...STAFF], component: PoolsPage },
  { path: '/pools/:id', roles: ['customer', ...STAFF], component: PoolPage },
  { path: '/devices', titleKey: 'nav.devices', roles: STAFF, component: DevicesPage },
  { path: '/offline', titleKey: 'nav.offline', roles: ['customer', 'admin', 'issuer'], component: OfflinePage },
  { path: '/audit', titleKey: 'nav.audit', roles: ['admin', 'auditor'], component: AuditPage },
  { path: '/users', titleKey: 'nav.users', roles: ['admin'], component: UsersPage },
  { path: '/webhooks', titleKey: 'nav.webhooks', roles: ['admin'], component: WebhooksPage },
];

export function homeFor(role: Role): string {
  if (role === 'customer') return '/pools';
  return role === 'auditor' ? '/audit' : '/review';
}
