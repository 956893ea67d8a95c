/**
 * The desktop settings on disk: `settings.json` in the user data folder, written atomically
 * (temporary file + rename, mode 0600: it may hold a remote admin token). A missing or damaged file
 * gives the defaults; a damaged one is kept aside as settings.json.damaged for the curious.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DesktopSettings, WindowBounds } from '../shared/desktop/desktop-settings.js';
import { parseDesktopSettings } from '../shared/desktop/desktop-settings.js';

export const SETTINGS_FILE = 'settings.json';

export class SettingsStore {
  readonly path: string;

  constructor(userDataDir: string) {
    this.path = join(userDataDir, SETTINGS_FILE);
  }

  load(): DesktopSettings {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch {
      return parseDesktopSettings(undefined);
    }
    try {
      return parseDesktopSettings(JSON.parse(text));
    } catch {
      try {
        renameSync(this.path, `${this.path}.damaged`);
      } catch {
        // keeping the damaged copy is a courtesy, not a requirement
      }
      return parseDesktopSettings(undefined);
    }
  }

  save(settings: DesktopSettings): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, this.path);
  }
}

type Area = { x: number; y: number; width: number; height: number };

/**
 * Saved bounds, kept only where they still fit a display (a monitor may be gone since): the size
 * is clamped to the largest work area, the position dropped when its top-left corner is on no display.
 */
export function fitBounds(saved: WindowBounds, areas: Area[]): WindowBounds {
  if (areas.length === 0) return saved;
  const widest = Math.max(...areas.map((a) => a.width));
  const tallest = Math.max(...areas.map((a) => a.height));
  const fitted: WindowBounds = {
    width: Math.min(saved.width, widest),
    height: Math.min(saved.height, tallest),
    maximized: saved.maximized,
  };
  if (saved.x === undefined || saved.y === undefined) return fitted;
  const { x, y } = saved;
  const onScreen = areas.some((a) => x >= a.x && y >= a.y && x < a.x + a.width - 40 && y < a.y + a.height - 40);
  return onScreen ? { ...fitted, x, y } : fitted;
}
