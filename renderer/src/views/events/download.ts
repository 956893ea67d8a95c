import { saveFile } from '../../bridge/desktop-host.js';
import { useSession } from '../../stores/session.store.js';

/**
 * Saves an export and says so, once: inside the desktop app through its save dialog (the toast
 * names the path it was saved to; a cancelled dialog says nothing), in a browser as a download
 * behind an <a download> (the toast names the file). `what` says what was saved: "1,204 events".
 */
export function downloadText(fileName: string, text: string, type: string, what: string): void {
  if (saveFile(fileName, text, what)) return;
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  useSession.getState().toast('ok', `Exported ${what} to ${fileName}`);
}

/** "1 event", "1,204 events". */
export function countOf(n: number, noun: string, plural = `${noun}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? noun : plural}`;
}
