/**
 * A publication's data in a message row: one line, cut with an ellipsis; a click (or Enter or Space,
 * it is a button) opens it pretty-printed under the row, and closes it again. The opened view spans
 * the whole row (ChannelsView.css: `.payload-full`) and takes focus, so a long one scrolls from the keyboard.
 */
import { useState } from 'react';
import { compactJson } from '../message-input.js';

export function PayloadCell({ data }: { data: unknown }) {
  const [open, setOpen] = useState(false);
  const line = compactJson(data, 400);
  return (
    <>
      <button type="button" className="payload" aria-expanded={open} data-testid="payload-toggle"
        title={open ? 'Collapse the payload' : 'Show the whole payload, pretty-printed'} onClick={() => setOpen((o) => !o)}>
        <span className="payload-mark" aria-hidden="true">{open ? '▾' : '▸'}</span>
        <code className="data">{line}</code>
      </button>
      {open ? <pre className="payload-full mono" data-testid="payload-full" tabIndex={0} aria-label="The whole payload">{prettyJson(data)}</pre> : null}
    </>
  );
}

/** The payload with two-space indents; a string payload shows as the JSON string it is. */
export function prettyJson(data: unknown): string {
  return JSON.stringify(data, null, 2) ?? String(data);
}
