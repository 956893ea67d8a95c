/**
 * The client port's endpoints, as Centrifugo names them: the WebSocket, the two bidirectional
 * emulation streams centrifuge-js falls back to (`http_stream`, `sse`), the endpoint that carries
 * an emulated connection's commands (`POST /emulation`, routed to the node holding the stream), and
 * the unidirectional transports (`uni_websocket`, `uni_sse`, `uni_http_stream`) when enabled.
 */
export const WEBSOCKET_PATH = '/connection/websocket';
export const HTTP_STREAM_PATH = '/connection/http_stream';
export const SSE_PATH = '/connection/sse';
export const EMULATION_PATH = '/emulation';

/** The streams a node serves over a handed-off socket, besides the WebSocket. */
export const STREAM_PATHS: readonly string[] = [HTTP_STREAM_PATH, SSE_PATH];

/** Centrifugo v6's unidirectional transports (each served only when its config section enables it). */
export const UNI_WEBSOCKET_PATH = '/connection/uni_websocket';
export const UNI_SSE_PATH = '/connection/uni_sse';
export const UNI_HTTP_STREAM_PATH = '/connection/uni_http_stream';

/** The client endpoints nodes serve: WebSocket upgrades (GET), and long responses (any method). */
export interface ClientPaths {
  upgrades: readonly string[];
  streams: readonly string[];
}

/** The paths served with the given unidirectional transports enabled (the bidirectional ones always). */
export function clientPaths(uni: { websocket: boolean; sse: boolean; httpStream: boolean }): ClientPaths {
  return {
    upgrades: uni.websocket ? [WEBSOCKET_PATH, UNI_WEBSOCKET_PATH] : [WEBSOCKET_PATH],
    streams: [...STREAM_PATHS, ...(uni.sse ? [UNI_SSE_PATH] : []), ...(uni.httpStream ? [UNI_HTTP_STREAM_PATH] : [])],
  };
}

/** What `POST /emulation` carries (JSON): the command frame of an emulated connection, for its node. */
export interface EmulationRequest {
  /** The session id of the connect reply. */
  session: string;
  /** The node id of the connect reply. */
  node: string;
  /** The encoded commands, as a WebSocket frame would carry them. */
  data: string;
}
