/**
 * Alerts reach the user outside the Alerts view: the firing set is read on every (re)connect; in the
 * desktop app each alert that fires or resolves becomes a notification and the dock/taskbar badge
 * counts the firing ones. Alerts already firing when the console connects are not news (the badge
 * shows them, no notification does). In a browser the banner (AlertBanner) is the whole of it.
 */
import type { AlertInstance } from '../../../shared/admin/alerts-model.js';
import type { Notice } from './node-notices.js';
import { useAlerts } from '../stores/alerts.store.js';
import { firingChanges } from '../stores/alerts.model.js';
import { fmtDuration } from '../format.js';
import { useSession } from '../stores/session.store.js';
import { desktopHost, notify } from './desktop-host.js';

/** The notifications for a change of the firing set. */
export function alertNotices(prev: readonly AlertInstance[], next: readonly AlertInstance[], now: number): Notice[] {
  const { fired, resolved } = firingChanges(prev, next);
  return [
    ...fired.map((a) => ({ title: `Alert (${a.severity}): ${a.node ?? 'cluster'}`, body: a.text })),
    ...resolved.map((a) => ({ title: `Resolved: ${a.node ?? 'cluster'}`, body: `${a.text} — over after ${fmtDuration(now - a.since)}` })),
  ];
}

/** Reads the firing set on connect; notifies and badges in the desktop app. Answers the unsubscribe. */
export function startAlertNotices(): () => void {
  const stopLink = useSession.subscribe((s, before) => {
    if (s.link === 'connected' && before.link !== 'connected') void useAlerts.getState().refresh();
  });
  const host = desktopHost();
  if (!host) return stopLink;
  // Nothing is news until the first list after connecting has come in.
  let primed = useAlerts.getState().loaded;
  let badge = -1;
  const stopAlerts = useAlerts.subscribe((s, before) => {
    if (s.firing === before.firing && s.loaded === before.loaded) return;
    if (primed) for (const n of alertNotices(before.firing, s.firing, Date.now())) notify(n.title, n.body);
    primed = s.loaded;
    if (s.firing.length !== badge && typeof host.setBadge === 'function') {
      badge = s.firing.length;
      host.setBadge(badge).catch(() => undefined);
    }
  });
  return () => {
    stopLink();
    stopAlerts();
  };
}
