/** Admin API error values the supervisor's operations answer with. */
import type { AdminError } from '../../shared/admin/admin-api.js';
import { AdminErrors } from '../../shared/admin/admin-api.js';

export const badRequest = (message: string): AdminError => ({ code: AdminErrors.badRequest, message });
export const notFound = (message: string): AdminError => ({ code: AdminErrors.notFound, message });
export const conflict = (message: string): AdminError => ({ code: AdminErrors.conflict, message });
