/** The console's views, addressed by the URL hash (#/nodes) so reload and back/forward work. */
export const VIEWS = [
  { id: 'overview', label: 'Overview', key: '1' },
  { id: 'nodes', label: 'Nodes', key: '2' },
  { id: 'connections', label: 'Connections', key: '3' },
  { id: 'channels', label: 'Channels', key: '4' },
  { id: 'broadcast', label: 'Broadcast', key: '5' },
  { id: 'events', label: 'Events', key: '6' },
] as const;

export type ViewId = (typeof VIEWS)[number]['id'];

export function viewFromHash(hash: string): ViewId {
  const id = hash.replace(/^#\/?/, '').split('/')[0];
  return VIEWS.find((v) => v.id === id)?.id ?? 'overview';
}
