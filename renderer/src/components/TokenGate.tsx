/** Shown when the console has no admin token, or the cluster refused it. */
import { useState } from 'react';
import { applyToken } from '../bridge/bridge.js';

export function TokenGate({ refused }: { refused: boolean }) {
  const [token, setToken] = useState('');
  return (
    <section className="token-gate card" aria-labelledby="token-title">
      <h1 id="token-title">{refused ? 'The cluster refused this token' : 'Admin token needed'}</h1>
      <p>
        {refused
          ? 'The token may belong to an earlier launch: each start of switchboard serve makes a new one.'
          : 'Open the console URL that switchboard serve printed (it carries the token), or paste the token here.'}
      </p>
      <form onSubmit={(e) => { e.preventDefault(); if (token.trim()) applyToken(token.trim()); }}>
        <label htmlFor="token-input">Admin token</label>
        <div className="row">
          <input id="token-input" value={token} onChange={(e) => setToken(e.target.value)} autoFocus spellCheck={false} autoComplete="off" />
          <button type="submit" className="primary" disabled={!token.trim()}>Connect</button>
        </div>
      </form>
    </section>
  );
}
