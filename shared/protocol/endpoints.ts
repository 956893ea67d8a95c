/**
 * The client port's endpoints, as Centrifugo names them: the WebSocket, the two bidirectional
 * emulation streams centrifuge-js falls back to (`http_stream`, `sse`), and the endpoint that carries
 * an emulated connection's commands (`POST /emulation`, routed to the node holding the stream).
 */
export const WEBSOCKET_PATH = '/connection/websocket';
export const HTTP_STREAM_PATH = '/connection/http_stream';
export const SSE_PATH = '/connection/sse';
export const EMULATION_PATH = '/emulation';

/** The streams a node serves over a handed-off socket, besides the WebSocket. */
export const STREAM_PATHS: readonly string[] = [HTTP_STREAM_PATH, SSE_PATH];

/** What `POST /emulation` carries (JSON): the command frame of an emulated connection, for its node. */
export interface EmulationRequest {
  /** The session id of the connect reply. */
  session: string;
  /** The node id of the connect reply. */
  node: string;
  /** The encoded commands, as a WebSocket frame would carry them. */
  data: string;
}
