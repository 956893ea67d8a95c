/**
 * Centrifugo v6's unidirectional transport sections as Switchboard reads them: `uni_websocket`,
 * `uni_sse`, `uni_http_stream` (each served only with `"enabled": true`) and
 * `client.connect_code_to_unidirectional_disconnect`. Options that tune Go's WebSocket library
 * (buffers, compression, write timeout) are accepted and warned about.
 */
import { z } from 'zod';
import { CLOSE_REASON_MAX_BYTES } from '../../shared/proxy/proxy-protocol.js';
import type { UniDisconnectTransform, UniHttpSettings, UniTransportSettings } from '../../shared/protocol/uni-transports.js';
import { UNI_DEFAULT_SIZE_LIMIT, uniTransportsOff } from '../../shared/protocol/uni-transports.js';
import { UNI_HTTP_STREAM_PATH, UNI_SSE_PATH, UNI_WEBSOCKET_PATH } from '../../shared/protocol/endpoints.js';

const whole = (min: number, max = 0xffffffff) => z.number().int('expected a whole number').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);
// eslint-disable-next-line no-control-regex
const ascii = (what: string) => z.string().regex(/^[\x00-\x7f]*$/, `${what} must be ASCII`);
/** Centrifugo v5 took `"uni_sse": true`; v6 wants an object. */
const section = <T extends z.ZodRawShape>(shape: T) => z.strictObject(shape, {
  error: (issue) => (issue.code === 'invalid_type' ? 'expected an object like {"enabled": true} (Centrifugo v5\'s boolean form is not read)' : undefined),
});

/** Accepted, unused: they tune Go's WebSocket library. */
const IGNORED_UNI_WEBSOCKET_OPTIONS = [
  'compression', 'compression_min_size', 'compression_level', 'read_buffer_size', 'use_write_buffer_pool',
  'write_buffer_size', 'write_timeout', 'decompressed_message_size_limit',
] as const;

const unused = Object.fromEntries(IGNORED_UNI_WEBSOCKET_OPTIONS.map((k) => [k, z.unknown().optional()])) as
  { [K in (typeof IGNORED_UNI_WEBSOCKET_OPTIONS)[number]]: z.ZodOptional<z.ZodUnknown> };

export const uniWebsocketSection = section({
  enabled: z.boolean().optional(),
  handler_prefix: z.string().optional(),
  message_size_limit: whole(1).optional(),
  join_push_messages: z.boolean().optional(),
  disable_disconnect_push: z.boolean().optional(),
  disable_closing_handshake: z.boolean().optional(),
  ...unused,
});

const httpResponseTransform = z.strictObject({
  code: whole(1),
  to: z.strictObject({ status_code: whole(100, 599), body: z.string().optional() }),
});

export const uniHttpSection = section({
  enabled: z.boolean().optional(),
  handler_prefix: z.string().optional(),
  max_request_body_size: whole(1).optional(),
  connect_code_to_http_response: z.strictObject({
    enabled: z.boolean().optional(),
    transforms: z.array(httpResponseTransform).optional(),
  }).optional(),
});

/** `client.connect_code_to_unidirectional_disconnect`. */
export const uniDisconnectSection = z.strictObject({
  enabled: z.boolean().optional(),
  transforms: z.array(z.strictObject({
    code: whole(1),
    to: z.strictObject({
      code: whole(3000, 4999),
      reason: ascii('the reason').refine((r) => r.length <= CLOSE_REASON_MAX_BYTES, `must be at most ${CLOSE_REASON_MAX_BYTES} bytes`).optional(),
    }),
  })).optional(),
});

type UniWebsocketFile = z.output<typeof uniWebsocketSection>;
type UniHttpFile = z.output<typeof uniHttpSection>;
type UniDisconnectFile = z.output<typeof uniDisconnectSection>;

/** The part of the config file these settings come from. */
export interface UniFile {
  uni_websocket?: UniWebsocketFile;
  uni_sse?: UniHttpFile;
  uni_http_stream?: UniHttpFile;
  client?: { connect_code_to_unidirectional_disconnect?: UniDisconnectFile };
}

function buildHttp(f: UniHttpFile | undefined): UniHttpSettings {
  const codes = f?.connect_code_to_http_response;
  return {
    enabled: f?.enabled ?? false,
    maxRequestBodySize: f?.max_request_body_size ?? UNI_DEFAULT_SIZE_LIMIT,
    connectCodeToHttpResponse: codes?.enabled ?? false,
    connectCodeToHttpTransforms: (codes?.transforms ?? []).map((t) => ({ code: t.code, to: { statusCode: t.to.status_code, body: t.to.body ?? '' } })),
  };
}

function buildDisconnects(f: UniDisconnectFile | undefined): UniDisconnectTransform[] {
  if (f?.enabled !== true) return [];
  return (f.transforms ?? []).map((t) => ({ code: t.code, to: { code: t.to.code, reason: t.to.reason ?? '' } }));
}

/** The validated sections → settings, Centrifugo's defaults where the file says nothing. */
export function buildUniTransports(file: UniFile): UniTransportSettings {
  const ws = file.uni_websocket;
  const off = uniTransportsOff();
  return {
    websocket: {
      enabled: ws?.enabled ?? false,
      messageSizeLimit: ws?.message_size_limit ?? off.websocket.messageSizeLimit,
      joinPushMessages: ws?.join_push_messages ?? false,
      disableDisconnectPush: ws?.disable_disconnect_push ?? false,
      disableClosingHandshake: ws?.disable_closing_handshake ?? false,
    },
    sse: buildHttp(file.uni_sse),
    httpStream: buildHttp(file.uni_http_stream),
    connectCodeToDisconnect: buildDisconnects(file.client?.connect_code_to_unidirectional_disconnect),
  };
}

/** Accepted options that change nothing, one line each. */
export function uniWarnings(file: UniFile): string[] {
  const lines: string[] = [];
  const prefix = (key: string, value: string | undefined, path: string): void => {
    if (value !== undefined && value !== path) lines.push(`${key}.handler_prefix: ignored (served at ${path} only)`);
  };
  prefix('uni_websocket', file.uni_websocket?.handler_prefix, UNI_WEBSOCKET_PATH);
  prefix('uni_sse', file.uni_sse?.handler_prefix, UNI_SSE_PATH);
  prefix('uni_http_stream', file.uni_http_stream?.handler_prefix, UNI_HTTP_STREAM_PATH);
  for (const key of IGNORED_UNI_WEBSOCKET_OPTIONS) {
    if (file.uni_websocket?.[key] !== undefined) lines.push(`uni_websocket.${key}: ignored (a Go WebSocket library setting; Node's ws defaults are used)`);
  }
  return lines;
}
