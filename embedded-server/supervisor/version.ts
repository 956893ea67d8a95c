/** The server version reported to clients (connect result) and by the `info` API method. */
export const SERVER_VERSION = '0.1.0';
