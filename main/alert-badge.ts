/**
 * The firing-alert count where the platform has no badge (Windows): a "(2 alerts) " prefix on the
 * console window's title, replaced as the count changes and removed at 0 (pure).
 */
const PREFIX = /^\(\d+ alerts?\) /;

/** The title with the count in front (none at 0), whatever count it carried before. */
export function badgedTitle(title: string, count: number): string {
  const plain = title.replace(PREFIX, '');
  return count > 0 ? `(${count} ${count === 1 ? 'alert' : 'alerts'}) ${plain}` : plain;
}
