import { SetMetadata } from '@nestjs/common';
import type { Role } from './api-token.entity';

export const ROLES_KEY = 'seatlock:roles';
export const PUBLIC_KEY = 'seatlock:public';

/** Roles (besides admin, which may do everything) allowed on a route. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** A route that needs no token (catalog, quote, trust, health, activations). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
