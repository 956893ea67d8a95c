/**
 * Asks before a destructive action. Safe by default: focus starts on Cancel (Enter, Enter never
 * confirms by accident), Tab stays inside the dialog, everything behind it is inert, Escape cancels,
 * and focus goes back to what opened it once it closes. Every confirmed action talks to the cluster:
 * confirming is off while the console is disconnected or its figures are old (useActionBlock).
 */
import { useEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import { useActionBlock } from '../stores/staleness.js';

export function ConfirmDialog({ title, children, confirmLabel, danger = true, onConfirm, onCancel }: {
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onConfirm(): void;
  onCancel(): void;
}) {
  const blocked = useActionBlock();
  const dialogRef = useRef<HTMLDivElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  // What had focus when the dialog opened: taken while rendering, before the effect moves focus.
  const openerRef = useRef<HTMLElement | null>(null);
  openerRef.current ??= document.activeElement as HTMLElement | null;

  useEffect(() => {
    const dialog = dialogRef.current;
    const released = dialog ? makeOutsideInert(dialog) : () => undefined;
    cancelRef.current?.focus();
    const opener = openerRef.current;
    return () => {
      released();
      if (opener && opener.isConnected) opener.focus();
    };
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') onCancel();
      else if (e.key === 'Tab' && dialogRef.current) keepTabInside(dialogRef.current, e);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onCancel]);

  return (
    <div className="dialog-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) onCancel(); }}>
      <div className="dialog card" role="dialog" aria-modal="true" aria-labelledby="confirm-title" ref={dialogRef}>
        <h2 id="confirm-title">{title}</h2>
        {children}
        <div className="actions">
          <button type="button" ref={cancelRef} onClick={onCancel}>Cancel</button>
          <button type="button" className={danger ? 'danger solid' : 'primary'} onClick={onConfirm}
            disabled={blocked !== null} title={blocked ?? undefined}>{confirmLabel}</button>
        </div>
      </div>
    </div>
  );
}

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Wraps Tab and Shift+Tab around the dialog's first and last focusable elements. */
function keepTabInside(dialog: HTMLElement, e: KeyboardEvent): void {
  const items = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)];
  if (items.length === 0) return;
  const first = items[0]!;
  const last = items[items.length - 1]!;
  const inside = dialog.contains(document.activeElement);
  if (e.shiftKey && (document.activeElement === first || !inside)) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && (document.activeElement === last || !inside)) {
    e.preventDefault();
    first.focus();
  }
}

/**
 * Makes every element beside the dialog's ancestors inert (no focus, no clicks, hidden from
 * assistive technology), up to the body; answers how to undo exactly that.
 */
function makeOutsideInert(dialog: HTMLElement): () => void {
  const changed: HTMLElement[] = [];
  for (let node: HTMLElement = dialog; node.parentElement && node !== document.body; node = node.parentElement) {
    for (const sibling of node.parentElement.children) {
      if (sibling === node || !(sibling instanceof HTMLElement) || sibling.inert) continue;
      sibling.inert = true;
      changed.push(sibling);
    }
  }
  return () => {
    for (const el of changed) el.inert = false;
  };
}
