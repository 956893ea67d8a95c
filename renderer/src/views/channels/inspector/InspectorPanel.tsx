/**
 * The channel inspector: a live tail of the open channel's publications (offset, time, size,
 * publisher, payload that opens pretty-printed), with pause, a text or JSON-path filter, and a jump
 * to any offset still in history. Pushes go into a TailModel outside React and are drawn at most
 * once per animation frame; the server samples a busy channel and the panel says so.
 */
import { memo, useEffect, useId, useMemo, useRef, useState } from 'react';
import { tailPushes } from '../../../stores/channel-tail.feed.js';
import { request } from '../../../bridge/bridge.js';
import { fmtInt, fmtRate } from '../../../format.js';
import { parseRowFilter } from './row-filter.js';
import { TailModel } from './tail-model.js';
import type { JumpOutcome } from './history-jump.js';
import { jumpOutcome, jumpRequest, readOffset } from './history-jump.js';
import { TailRows, JumpRows } from './InspectorRows.js';
import './inspector.css';

/** Rows drawn at most; the rest of the ring stays searchable by the filter. */
const SHOWN = 200;
const AGE_MS = 1000;

export const InspectorPanel = memo(function InspectorPanel({ channel }: { channel: string }) {
  const model = useMemo(() => new TailModel(), [channel]);
  const [, redraw] = useState(0);
  const [filterText, setFilterText] = useState('');
  const [jump, setJump] = useState<(JumpOutcome & { at: string }) | null>(null);
  const id = useId();
  const parsed = useMemo(() => parseRowFilter(filterText), [filterText]);

  useEffect(() => {
    let frame = 0;
    const draw = () => {
      frame = 0;
      if (model.flush(Date.now())) redraw((n) => n + 1);
    };
    const dispose = tailPushes(channel, (push) => {
      model.receive(push);
      if (frame === 0) frame = requestAnimationFrame(draw);
    });
    // Drains the queue when frames do not run (a hidden tab) and ages out old sampling reports.
    const timer = setInterval(draw, AGE_MS);
    return () => {
      dispose();
      cancelAnimationFrame(frame);
      clearInterval(timer);
    };
  }, [channel, model]);

  const view = model.rows(parsed.ok ? parsed.value : () => true, SHOWN);
  const sampling = model.sampling();
  const paused = model.paused;
  const togglePause = () => {
    if (paused) model.resume();
    else model.pause();
    redraw((n) => n + 1);
  };

  return (
    <section className="panel inspector" aria-label="Inspector" data-testid="inspector">
      <div className="panel-head">
        <h3>Inspector</h3>
        <span className="muted" data-testid="inspector-counts">
          {fmtInt(view.kept)} kept · {view.matched === view.kept ? `newest ${fmtInt(view.rows.length)} shown` : `${fmtInt(view.matched)} match, ${fmtInt(view.rows.length)} shown`}
        </span>
        {paused ? <span className="paused-dot">paused</span> : <span className="live-dot">live</span>}
      </div>
      <div className="inspector-bar">
        <button type="button" className="small" aria-pressed={paused} data-testid="inspector-pause" onClick={togglePause}>
          {paused ? 'Resume' : 'Pause'}
        </button>
        <span className="muted new-count" role="status" data-testid="inspector-new">
          {paused ? `${fmtInt(model.newWhilePaused)} new while paused` : ''}
        </span>
        <JumpForm channel={channel} onResult={setJump} />
      </div>
      <Filter id={id} value={filterText} onChange={setFilterText} error={parsed.ok ? null : parsed.error} />
      <p className={`sampling${sampling ? ' on' : ''}`} role="status" data-testid="inspector-sampling">
        {sampling
          ? <>sampling: showing {fmtRate(sampling.shownPerSec)} of {fmtInt(Math.round(sampling.perSec))}/s <span className="muted">(at most {fmtInt(sampling.limitPerSec)}/s reach the console; the rest are counted)</span></>
          : <span className="muted">every publication shown (no sampling)</span>}
      </p>
      {jump ? <JumpView jump={jump} onClose={() => setJump(null)} /> : null}
      {view.rows.length === 0 ? (
        <p className="muted inspector-empty">
          {view.kept === 0 ? 'Waiting for publications… they show here as they happen.' : 'No publication in the tail matches the filter.'}
        </p>
      ) : <TailRows rows={view.rows} />}
    </section>
  );
});

function Filter({ id, value, onChange, error }: { id: string; value: string; onChange(v: string): void; error: string | null }) {
  return (
    <div className="inspector-filter">
      <label htmlFor={`${id}-filter`}>Filter</label>
      <input id={`${id}-filter`} type="search" className="mono" value={value} spellCheck={false} data-testid="inspector-filter"
        placeholder='text, or $.user.name == "ann"' aria-invalid={error !== null} aria-describedby={`${id}-filter-help`}
        onChange={(e) => onChange(e.target.value)} />
      <span id={`${id}-filter-help`} className={error ? 'form-error' : 'muted hint'} role={error ? 'alert' : undefined} data-testid="inspector-filter-help">
        {error ?? 'Text anywhere, or a path: $.n > 5 · $.tags[0] exists · $.text contains "hi"'}
      </span>
    </div>
  );
}

function JumpForm({ channel, onResult }: { channel: string; onResult(r: JumpOutcome & { at: string }): void }) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const id = useId();
  const go = async () => {
    const read = readOffset(text);
    if (!read.ok) return onResult({ ...read, at: text });
    setBusy(true);
    try {
      const detail = await request('channel.get', jumpRequest(channel, read.offset));
      onResult({ ...jumpOutcome(read.offset, detail), at: text });
    } catch (e) {
      onResult({ ok: false, message: e instanceof Error ? e.message : String(e), at: text });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="inspector-jump" onSubmit={(e) => { e.preventDefault(); void go(); }}>
      <label htmlFor={`${id}-jump`}>Jump to offset</label>
      <input id={`${id}-jump`} type="text" inputMode="numeric" className="mono" value={text} data-testid="inspector-jump-offset"
        onChange={(e) => setText(e.target.value)} />
      <button type="submit" className="small" disabled={busy || text.trim() === ''} data-testid="inspector-jump">{busy ? 'Loading…' : 'Go'}</button>
    </form>
  );
}

function JumpView({ jump, onClose }: { jump: JumpOutcome; onClose(): void }) {
  const target = useRef<HTMLLIElement>(null);
  useEffect(() => {
    target.current?.scrollIntoView({ block: 'center' });
    target.current?.focus();
  }, [jump]);
  return (
    <div className="inspector-jumped" data-testid="inspector-jumped">
      <div className="jump-head">
        {jump.ok
          ? <strong>History around offset {fmtInt(jump.offset)} <span className="muted mono">epoch {jump.epoch}</span></strong>
          : <span className="form-error" role="alert" data-testid="inspector-jump-error">{jump.message}</span>}
        <button type="button" className="small ghost" onClick={onClose}>{jump.ok ? 'Close history' : 'Dismiss'}</button>
      </div>
      {jump.ok ? <JumpRows publications={jump.publications} target={jump.offset} targetRef={target} /> : null}
    </div>
  );
}
