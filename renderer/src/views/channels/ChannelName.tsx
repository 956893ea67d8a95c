/**
 * A channel name in a narrow cell: the namespace and the end stay visible and the middle is
 * elided (channel-name.css). Screen readers get the whole name once, from a hidden copy; the
 * visible parts are hidden from them, and a selection copies the visible parts, which hold the
 * whole name too.
 */
import { nameParts } from './name-parts.js';
import './channel-name.css';

export function ChannelName({ name }: { name: string }) {
  const p = nameParts(name);
  return (
    <>
      <span className="ch-name" aria-hidden="true">
        {p.head ? <span className="ch-head">{p.head}</span> : null}
        <span className="ch-middle">{p.middle}</span>
        {p.tail ? <span className="ch-tail"><bdi>{p.tail}</bdi></span> : null}
      </span>
      <span className="sr-only">{name}</span>
    </>
  );
}
