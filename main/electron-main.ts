/** The Electron entry (package.json `main` → dist-electron/main/electron-main.js). */
import { runDesktop } from './electron-adapter.js';

runDesktop();
