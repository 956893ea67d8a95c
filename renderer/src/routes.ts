/** The console's views, addressed by the URL hash (#/nodes) so reload and back/forward work. */
import { CONSOLE_VIEWS } from '../../shared/desktop/console-bridge.js';

export const VIEWS = CONSOLE_VIEWS;

export type ViewId = (typeof VIEWS)[number]['id'];

export function viewFromHash(hash: string): ViewId {
  const id = hash.replace(/^#\/?/, '').split('/')[0];
  return VIEWS.find((v) => v.id === id)?.id ?? 'overview';
}
