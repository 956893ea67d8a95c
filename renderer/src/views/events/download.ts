import { saveFile } from '../../bridge/desktop-host.js';

/** Saves text as a file: the desktop app's save dialog inside it, else a Blob behind an <a download>. */
export function downloadText(fileName: string, text: string, type = 'application/x-ndjson'): void {
  if (saveFile(fileName, text)) return;
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
