// The failed-login limit: after 10 failures within a minute an address is refused for 5
// minutes, even with a right token. This blocks 127.0.0.1 in the app instance, hence its own.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
    api,
    assertHttpError,
    closeAll,
    OPERATOR,
    refusal,
    removeDir,
    startApp,
    VIEWER,
} from './helpers.mjs';

let app;
const sockets = [];

before(async () => {
    app = await startApp();
});

after(async () => {
    closeAll(sockets);
    await app?.stop();
    await removeDir(app?.home);
});

test('11 bad logins from one address are refused; then even the right token is, over Socket.IO and HTTP', async () => {
    // 10 failures, over both ways in.
    for (let i = 0; i < 10; ++i) {
        if (i % 2 === 0) {
            const error = await refusal(app, `bad-${i}`, { transports: ['websocket'] });
            assert.equal(error.message, 'unauthorized', `attempt ${i + 1}`);
            assert.equal(error.data?.code, 'unauthorized', `attempt ${i + 1} is a plain refusal`);
        } else {
            assertHttpError(await api(app, 'GET', '/api/v1/websocket/connections', { token: `bad-${i}` }), 401, 'unauthorized');
        }
    }
    // The 11th bad one: refused, and now for being blocked.
    const eleventh = await refusal(app, 'bad-11');
    assert.equal(eleventh.message, 'unauthorized');
    assert.equal(eleventh.data?.code, 'too_many_requests');

    // The right tokens are refused as well.
    const rightSocket = await refusal(app, VIEWER, { transports: ['websocket'] });
    assert.equal(rightSocket.message, 'unauthorized');
    assert.equal(rightSocket.data?.code, 'too_many_requests');
    const rightOperator = await refusal(app, OPERATOR, { transports: ['polling'] });
    assert.equal(rightOperator.data?.code, 'too_many_requests');
    assertHttpError(await api(app, 'GET', '/api/v1/websocket/connections', { token: VIEWER }), 429, 'too_many_requests');
    assertHttpError(await api(app, 'GET', '/api/v1/websocket/clients', { token: OPERATOR }), 429, 'too_many_requests');

    // Health needs no login and still answers; nobody got in.
    const health = await api(app, 'GET', '/api/v1/health');
    assert.equal(health.status, 200);
    assert.equal(health.body.connections, 0);
});
