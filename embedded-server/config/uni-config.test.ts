import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { uniTransportsOff } from '../../shared/protocol/uni-transports.js';
import { resolveProblems, resolveValid } from './resolve-config.test-helper.js';

describe('unidirectional transport configuration', () => {
  it('leaves all three off without their sections', () => {
    assert.deepEqual(resolveValid({}).config.client.uni, uniTransportsOff());
  });

  it('reads Centrifugo v6\'s uni_websocket, uni_sse, uni_http_stream and connect_code_to_unidirectional_disconnect', () => {
    const { config, warnings } = resolveValid({
      uni_websocket: { enabled: true, message_size_limit: 1024, join_push_messages: true, disable_disconnect_push: true },
      uni_sse: { enabled: true, max_request_body_size: 2048, connect_code_to_http_response: { enabled: true, transforms: [{ code: 109, to: { status_code: 401 } }] } },
      uni_http_stream: { enabled: false },
      client: { connect_code_to_unidirectional_disconnect: { enabled: true, transforms: [{ code: 1403, to: { code: 4403, reason: 'no' } }] } },
    });
    assert.deepEqual(warnings, []);
    const uni = config.client.uni;
    assert.deepEqual(uni.websocket, { enabled: true, messageSizeLimit: 1024, joinPushMessages: true, disableDisconnectPush: true, disableClosingHandshake: false });
    assert.deepEqual(uni.sse, { enabled: true, maxRequestBodySize: 2048, connectCodeToHttpResponse: true, connectCodeToHttpTransforms: [{ code: 109, to: { statusCode: 401, body: '' } }] });
    assert.equal(uni.httpStream.enabled, false);
    assert.deepEqual(uni.connectCodeToDisconnect, [{ code: 1403, to: { code: 4403, reason: 'no' } }]);
  });

  it('ignores the disconnect transforms unless enabled, as Centrifugo', () => {
    const { config } = resolveValid({ client: { connect_code_to_unidirectional_disconnect: { transforms: [{ code: 1, to: { code: 4000 } }] } } });
    assert.deepEqual(config.client.uni.connectCodeToDisconnect, []);
  });

  it('warns about the Go WebSocket tuning options and a handler_prefix other than the endpoint', () => {
    const { warnings } = resolveValid({ uni_websocket: { enabled: true, compression: true, write_timeout: '1s', handler_prefix: '/uni' }, uni_sse: { handler_prefix: '/connection/uni_sse' } });
    assert.deepEqual(warnings, [
      'uni_websocket.handler_prefix: ignored (served at /connection/uni_websocket only)',
      'uni_websocket.compression: ignored (a Go WebSocket library setting; Node\'s ws defaults are used)',
      'uni_websocket.write_timeout: ignored (a Go WebSocket library setting; Node\'s ws defaults are used)',
    ]);
  });

  it('refuses Centrifugo v5\'s boolean form, typos, and transforms that cannot be a close', () => {
    assert.match(resolveProblems({ uni_sse: true }).join('\n'), /uni_sse: expected an object like \{"enabled": true\}/);
    assert.match(resolveProblems({ uni_http_stream: { enabeld: true } }).join('\n'), /uni_http_stream\.enabeld: unknown option \(did you mean enabled\?\)/);
    const problems = resolveProblems({ client: { connect_code_to_unidirectional_disconnect: { enabled: true, transforms: [{ code: 1, to: { code: 200, reason: 'é' } }] } } }).join('\n');
    assert.match(problems, /transforms\[0\]\.to\.code: must be at least 3000/);
    assert.match(problems, /transforms\[0\]\.to\.reason: the reason must be ASCII/);
  });
});
