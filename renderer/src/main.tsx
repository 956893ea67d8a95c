/** Entry: the bridge starts once, outside React; then the app renders. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { startBridge } from './bridge/bridge.js';
import './styles/theme.css';
import './styles/layout.css';

startBridge();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
