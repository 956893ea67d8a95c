/** The admin link: its state, what the server said hello with, and the action feedback (toasts). */
import { create } from 'zustand';
import type { AdminHello } from '../../../shared/admin/admin-model.js';
import type { LinkState } from '../bridge/admin-link.js';

export interface Toast {
  id: number;
  /** `warn`: done, but not everywhere (a supervisor did not answer). */
  kind: 'ok' | 'warn' | 'error';
  text: string;
}

interface SessionStore {
  link: LinkState;
  hello: AdminHello | null;
  toasts: Toast[];
  setLink(link: LinkState): void;
  setHello(hello: AdminHello): void;
  toast(kind: Toast['kind'], text: string): void;
  dismiss(id: number): void;
}

let nextToast = 1;

export const useSession = create<SessionStore>()((set) => ({
  link: 'idle',
  hello: null,
  toasts: [],
  setLink: (link) => set({ link }),
  setHello: (hello) => set({ hello }),
  toast: (kind, text) => {
    const id = nextToast++;
    set((s) => ({ toasts: [...s.toasts.slice(-4), { id, kind, text }] }));
    setTimeout(() => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })), kind === 'ok' ? 4000 : 8000);
  },
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));
