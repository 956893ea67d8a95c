/**
 * Centrifugo v6's unidirectional transports, as configured: `uni_websocket`, `uni_sse` and
 * `uni_http_stream` (top-level config sections, each off unless `enabled`) and
 * `client.connect_code_to_unidirectional_disconnect`. A unidirectional client sends one connect
 * request and then only listens: every message it gets is a Push object (`{"connect": …}` first).
 */
import type { CloseCode } from './codes.js';

/** A connect error code and the disconnect a unidirectional client gets for it instead. */
export interface UniDisconnectTransform {
  code: number;
  to: CloseCode;
}

/** A connect error (or disconnect) code and the HTTP answer a uni_sse / uni_http_stream request gets for it. */
export interface UniHttpResponseTransform {
  code: number;
  /** `body` "" means the error's message (or the disconnect's reason), as Centrifugo does. */
  to: { statusCode: number; body: string };
}

/** `uni_sse` and `uni_http_stream`: the connect request is the request body (or `cf_connect`, SSE). */
export interface UniHttpSettings {
  enabled: boolean;
  /** Largest connect request body in bytes (`max_request_body_size`); 413 past it. */
  maxRequestBodySize: number;
  /**
   * `connect_code_to_http_response.enabled`: a failed connect is answered with an HTTP status (the
   * matching transform's, else 500) instead of a 200 carrying a disconnect push.
   */
  connectCodeToHttpResponse: boolean;
  connectCodeToHttpTransforms: UniHttpResponseTransform[];
}

export interface UniWebSocketSettings {
  enabled: boolean;
  /** Largest incoming message in bytes (`message_size_limit`); close 1009 past it. */
  messageSizeLimit: number;
  /** `join_push_messages`: the pushes of one write go as one message, joined by "\n" (else one message each). */
  joinPushMessages: boolean;
  /** `disable_disconnect_push`: close with the close frame alone, no disconnect push before it. */
  disableDisconnectPush: boolean;
  /** `disable_closing_handshake`: drop the TCP connection without a close frame (Centrifugo before v6.5.1). */
  disableClosingHandshake: boolean;
}

export interface UniTransportSettings {
  websocket: UniWebSocketSettings;
  sse: UniHttpSettings;
  httpStream: UniHttpSettings;
  /** `client.connect_code_to_unidirectional_disconnect.transforms` when enabled, else empty. */
  connectCodeToDisconnect: UniDisconnectTransform[];
}

/** Centrifugo's default for the connect message and request body limits (64 KiB). */
export const UNI_DEFAULT_SIZE_LIMIT = 65_536;

const httpOff = (): UniHttpSettings => ({
  enabled: false, maxRequestBodySize: UNI_DEFAULT_SIZE_LIMIT, connectCodeToHttpResponse: false, connectCodeToHttpTransforms: [],
});

/** Every unidirectional transport off, with Centrifugo's defaults (what a config without the sections gets). */
export function uniTransportsOff(): UniTransportSettings {
  return {
    websocket: { enabled: false, messageSizeLimit: UNI_DEFAULT_SIZE_LIMIT, joinPushMessages: false, disableDisconnectPush: false, disableClosingHandshake: false },
    sse: httpOff(),
    httpStream: httpOff(),
    connectCodeToDisconnect: [],
  };
}
