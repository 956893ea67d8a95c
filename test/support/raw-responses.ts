/**
 * Reads what a server sent on a raw socket as HTTP/1.1 responses (status line, headers, a body by
 * Content-Length, chunked, or up to the close) and, after a `101`, as server WebSocket frames — and
 * says where the bytes stop being well-formed.
 */

export interface RawResponse {
  status: number;
  /** Header names in lower case; repeated headers joined by ", ". */
  headers: Record<string, string>;
  /** The body is complete (a body that runs to the close is complete once the socket closed). */
  complete: boolean;
}

export interface ServerFrame {
  opcode: number;
  payload: Buffer;
}

export interface ReadResponses {
  responses: RawResponse[];
  /** The frames after a 101 (the last may be incomplete and is then left out). */
  frames: ServerFrame[];
  /** The first bytes that are neither a response nor a frame, when there are such. */
  malformed: string | null;
  /** A response head or body was cut off by the end of the bytes. */
  partial: boolean;
}

const STATUS_LINE = /^HTTP\/1\.[01] (\d{3}) [^\r\n]*$/;
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*([^\r\n]*)$/;

/**
 * Reads `buf`: the answers to requests made with `methods` (a HEAD answer has no body), `closed`
 * when the socket has closed (a body without a length then ends there).
 */
export function readResponses(buf: Buffer, methods: readonly string[], closed: boolean): ReadResponses {
  const out: ReadResponses = { responses: [], frames: [], malformed: null, partial: false };
  let pos = 0;
  while (pos < buf.length) {
    const end = buf.indexOf('\r\n\r\n', pos);
    if (end < 0) {
      if (!/^H(?:T(?:T(?:P(?:\/.*)?)?)?)?$/s.test(buf.toString('latin1', pos, Math.min(buf.length, pos + 9)))) out.malformed = buf.toString('latin1', pos, pos + 200);
      out.partial = true;
      return out;
    }
    const [statusLine, ...lines] = buf.toString('latin1', pos, end).split('\r\n');
    const status = STATUS_LINE.exec(statusLine ?? '');
    const headers: Record<string, string> = {};
    for (const l of lines) {
      const h = HEADER_LINE.exec(l);
      if (!h) break;
      const name = h[1]!.toLowerCase();
      headers[name] = headers[name] === undefined ? h[2]! : `${headers[name]}, ${h[2]!}`;
    }
    if (!status || lines.some((l) => !HEADER_LINE.test(l))) {
      out.malformed = buf.toString('latin1', pos, Math.min(end + 4, pos + 300));
      return out;
    }
    const code = Number(status[1]);
    pos = end + 4;
    if (code === 101) {
      out.responses.push({ status: code, headers, complete: true });
      readFrames(buf.subarray(pos), out);
      return out;
    }
    if (code < 200) continue;
    const method = methods[out.responses.length] ?? 'GET';
    const response: RawResponse = { status: code, headers, complete: true };
    out.responses.push(response);
    // A HEAD answer has no body — but the gateway's own refusals (421, 431, 503) answer before or
    // without reading the method and carry their body anyway, with Connection: close: read to the close.
    const gatewayRefusal = method === 'HEAD' && /close/i.test(headers.connection ?? '') && Number(headers['content-length']) === buf.length - pos;
    if ((method === 'HEAD' && !gatewayRefusal) || code === 204 || code === 304) continue;
    if (headers['content-length'] !== undefined) {
      const n = Number(headers['content-length']);
      if (!Number.isSafeInteger(n) || n < 0) {
        out.malformed = `Content-Length: ${headers['content-length']}`;
        return out;
      }
      if (pos + n > buf.length) {
        response.complete = false;
        out.partial = true;
        return out;
      }
      pos += n;
    } else if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
      const next = chunkedEnd(buf, pos);
      if (next === 'malformed') {
        out.malformed = buf.toString('latin1', pos, pos + 200);
        return out;
      }
      if (next === null) {
        response.complete = false;
        out.partial = true;
        return out;
      }
      pos = next;
    } else {
      // No length: the body runs to the close.
      response.complete = closed;
      out.partial = !closed;
      return out;
    }
  }
  return out;
}

/** Where a chunked body starting at `pos` ends; null when not all of it is here. */
function chunkedEnd(buf: Buffer, pos: number): number | null | 'malformed' {
  for (;;) {
    const eol = buf.indexOf('\r\n', pos);
    if (eol < 0) return null;
    const size = /^([0-9a-fA-F]+)(?:;[^\r\n]*)?$/.exec(buf.toString('latin1', pos, eol));
    if (!size) return 'malformed';
    const n = parseInt(size[1]!, 16);
    if (n === 0) {
      const end = buf.indexOf('\r\n\r\n', eol);
      if (end === eol) return eol + 4;
      return end < 0 ? null : end + 4;
    }
    if (eol + 2 + n + 2 > buf.length) return null;
    pos = eol + 2 + n + 2;
  }
}

/** Unmasked server frames (RFC 6455 §5.2); a masked one is malformed. */
function readFrames(buf: Buffer, out: ReadResponses): void {
  let pos = 0;
  while (pos + 2 <= buf.length) {
    const opcode = buf[pos]! & 0x0f;
    if (buf[pos + 1]! & 0x80) {
      out.malformed = `a masked server frame (opcode ${opcode})`;
      return;
    }
    let len = buf[pos + 1]! & 0x7f;
    let at = pos + 2;
    if (len === 126) {
      if (at + 2 > buf.length) return;
      len = buf.readUInt16BE(at);
      at += 2;
    } else if (len === 127) {
      if (at + 8 > buf.length) return;
      len = Number(buf.readBigUInt64BE(at));
      at += 8;
    }
    if (at + len > buf.length) return;
    out.frames.push({ opcode, payload: buf.subarray(at, at + len) });
    pos = at + len;
  }
}
