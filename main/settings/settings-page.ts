/**
 * The settings page (loaded as switchboard://settings/): the embedded cluster's settings and which
 * cluster the console watches. It talks to the app only through `window.switchboardSettings`
 * (shared/desktop/settings-bridge.ts); the main process validates and applies what it saves.
 */
import type { ClusterSettings } from '../../shared/desktop/desktop-settings.js';
import type { SettingsBridge, SettingsInput, SettingsSnapshot } from '../../shared/desktop/settings-bridge.js';

declare global {
  interface Window {
    switchboardSettings: SettingsBridge;
  }
}

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const field = (id: string): HTMLInputElement => $<HTMLInputElement>(id);

let defaults: ClusterSettings | null = null;

function showCluster(c: ClusterSettings): void {
  field('nodes').value = String(c.nodes);
  $<HTMLSelectElement>('strategy').value = c.strategy;
  field('port').value = String(c.port);
  field('admin-port').value = String(c.adminPort);
  field('config-file').value = c.configFile;
}

function targetKind(): 'embedded' | 'remote' {
  return document.querySelector<HTMLInputElement>('input[name="target"]:checked')?.value === 'remote' ? 'remote' : 'embedded';
}

function syncTarget(): void {
  const remote = targetKind() === 'remote';
  $('remote').hidden = !remote;
  $<HTMLFieldSetElement>('cluster').disabled = remote;
}

function show(snapshot: SettingsSnapshot): void {
  defaults = snapshot.defaults;
  $('status').textContent = snapshot.status;
  showCluster(snapshot.cluster);
  const kind = snapshot.target.kind;
  for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="target"]')) radio.checked = radio.value === kind;
  if (snapshot.target.kind === 'remote') {
    field('remote-url').value = snapshot.target.adminUrl;
    field('remote-token').value = snapshot.target.adminToken;
  }
  syncTarget();
}

function read(): SettingsInput {
  const number = (id: string): number => Number(field(id).value);
  return {
    cluster: {
      nodes: number('nodes'),
      strategy: $<HTMLSelectElement>('strategy').value as ClusterSettings['strategy'],
      port: number('port'),
      adminPort: number('admin-port'),
      configFile: field('config-file').value.trim(),
    },
    target: targetKind() === 'remote'
      ? { kind: 'remote', url: field('remote-url').value, token: field('remote-token').value }
      : { kind: 'embedded' },
  };
}

function problem(text: string | null): void {
  const p = $('problem');
  p.hidden = text === null;
  p.textContent = text ?? '';
}

async function save(event: Event): Promise<void> {
  event.preventDefault();
  problem(null);
  const button = $<HTMLButtonElement>('save');
  button.disabled = true;
  button.textContent = 'Applying…';
  try {
    const result = await window.switchboardSettings.save(read());
    if (result.ok) return window.close();
    problem(result.message);
  } catch (e) {
    problem(e instanceof Error ? e.message : String(e));
  } finally {
    button.disabled = false;
    button.textContent = 'Save and Apply';
  }
}

$<HTMLFormElement>('settings').addEventListener('submit', (e) => void save(e));
$('cancel').addEventListener('click', () => window.close());
$('reset').addEventListener('click', () => defaults && showCluster(defaults));
for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="target"]')) radio.addEventListener('change', syncTarget);

window.switchboardSettings.load().then(show, (e: unknown) => problem(`The settings could not be read: ${String(e)}`));
