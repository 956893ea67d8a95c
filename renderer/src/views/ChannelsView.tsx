/**
 * Channels & presence: the channel list (server-paged, refreshed every 2 s) and the open channel,
 * watched while it is shown so presence, typing and publications follow as they happen.
 */
import { useEffect, useState } from 'react';
import { useChannels, refreshDetail, refreshList, selectChannel, watchChannel } from '../stores/channels.store.js';
import { useSession } from '../stores/session.store.js';
import { ChannelList } from './channels/ChannelList.js';
import { ChannelDetailPanel } from './channels/ChannelDetailPanel.js';
import { FirstClientHelp } from '../components/FirstClientHelp.js';
import './ChannelsView.css';

const REFRESH_MS = 2000;

export function ChannelsView() {
  const connected = useSession((s) => s.link === 'connected');
  const channel = useChannels((s) => s.open?.channel ?? null);

  useEffect(() => {
    if (!connected) return;
    void refreshList(true);
    const t = setInterval(() => void refreshList(), REFRESH_MS);
    return () => clearInterval(t);
  }, [connected]);

  useEffect(() => {
    if (!connected || channel === null) return;
    const unwatch = watchChannel(channel);
    const t = setInterval(() => void refreshDetail(), REFRESH_MS);
    return () => {
      clearInterval(t);
      unwatch();
    };
  }, [connected, channel]);

  return (
    <div className="channels-view">
      <div className="view-header">
        <h1 tabIndex={-1}>Channels</h1>
        <span className="muted">Who is subscribed where, live presence and typing, history, publish and kick.</span>
      </div>
      <div className="channels-layout">
        <ChannelList />
        {channel !== null ? <OpenChannel /> : <NoChannelOpen />}
      </div>
    </div>
  );
}

/** Re-renders with the open channel's live state; the list beside it does not. */
function OpenChannel() {
  const open = useChannels((s) => s.open);
  return open ? <ChannelDetailPanel open={open} /> : null;
}

function NoChannelOpen() {
  const noChannels = useChannels((s) => s.list.loaded && s.list.total === 0 && s.list.query.text.trim() === '' && s.list.query.namespace === '');
  return (
    <section className="card channel-detail empty-detail">
      {noChannels ? (
        <>
          <FirstClientHelp title="Connect a first client" />
          <OpenByName label="Or open a channel by name" />
        </>
      ) : (
        <div className="empty">
          <h2>Pick a channel</h2>
          <p>Select a channel on the left to see its subscribers, live presence and typing, history, and to publish or kick.</p>
          <OpenByName label="Or open one by name" />
        </div>
      )}
    </section>
  );
}

/** Any channel can be opened, even one nobody is subscribed to (to publish to it, or read its history). */
function OpenByName({ label }: { label: string }) {
  const [name, setName] = useState('');
  return (
    <form className="row center open-form" onSubmit={(e) => { e.preventDefault(); if (name.trim()) selectChannel(name.trim()); }}>
      <label htmlFor="open-by-name">{label}</label>
      <input id="open-by-name" type="text" placeholder="chat:lobby" value={name} onChange={(e) => setName(e.target.value)} className="mono open-by-name" />
      <button type="submit" disabled={name.trim() === ''}>Open</button>
    </form>
  );
}
