/**
 * The settings window's preload: `window.switchboardSettings` with load and save
 * (shared/desktop/settings-bridge.ts), nothing else.
 */
import electron = require('electron');
import type { SettingsBridge, SettingsInvokeChannel, SettingsInvokes } from '../../shared/desktop/settings-bridge.js';

const { contextBridge, ipcRenderer } = electron;

function invoke<C extends SettingsInvokeChannel>(channel: C, req: SettingsInvokes[C]['req']): Promise<SettingsInvokes[C]['res']> {
  return ipcRenderer.invoke(channel, req) as Promise<SettingsInvokes[C]['res']>;
}

const bridge: SettingsBridge = {
  load: () => invoke('settings:load', null),
  save: (input) => invoke('settings:save', input),
};

contextBridge.exposeInMainWorld('switchboardSettings', bridge);
