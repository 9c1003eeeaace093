// Access control of the Socket.IO connection and the HTTP API: tokens, roles, and what the
// operator sees of the connected clients. This file makes 6 failed logins, under the limit of
// 10 a minute (login-limit.test.mjs tests the limit on its own app instance).

import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';

import {
    api,
    assertHttpError,
    barrier,
    closeAll,
    connect,
    EventLog,
    ISO_MS_UTC,
    ok,
    OPERATOR,
    rawRequest,
    refusal,
    removeDir,
    startApp,
    uniqueId,
    VIEWER,
    waitUntil,
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

async function activeConnections() {
    const reply = await api(app, 'GET', '/api/v1/websocket/connections', { token: VIEWER });
    assert.equal(reply.status, 200, reply.text);
    return reply.body.active_connections;
}

// Every test starts without connections, so it can count them.
afterEach(async () => {
    closeAll(sockets);
    await waitUntil(async () => (await activeConnections()) === 0, 'no connection is left');
});

function assertUnauthorized(error) {
    assert.equal(error.message, 'unauthorized');
    assert.equal(typeof error.data, 'object', `connect_error data: ${JSON.stringify(error.data)}`);
    assert.equal(error.data.code, 'unauthorized');
    assert.equal(typeof error.data.reason, 'string');
}

test('a wrong or missing token is refused at connect with "unauthorized"', async () => {
    assertUnauthorized(await refusal(app, 'not-the-token'));
    assertUnauthorized(await refusal(app, undefined, { transports: ['websocket'] }));
    assertUnauthorized(await refusal(app, undefined, { query: { token: 'wrong-in-query' } }));
    assert.equal(await activeConnections(), 0, 'refused sockets are not counted');
});

test('both tokens connect, as the CONNECT auth payload or the token query parameter', async () => {
    const byAuth = await connect(app, VIEWER, {}, sockets);
    const byQuery = await connect(app, undefined, { query: { token: VIEWER }, transports: ['websocket'] }, sockets);
    const operator = await connect(app, OPERATOR, { transports: ['polling'] }, sockets);
    assert.ok(byAuth.connected && byQuery.connected && operator.connected);
    assert.equal(await activeConnections(), 3);
});

test('HTTP: no token 401, a wrong token 401, a viewer on operator endpoints 403', async () => {
    assertHttpError(await api(app, 'GET', '/api/v1/websocket/connections'), 401, 'unauthorized');
    assertHttpError(await api(app, 'GET', '/api/v1/websocket/connections', { token: 'wrong' }), 401, 'unauthorized');
    assertHttpError(await api(app, 'POST', '/api/v1/websocket/status', { json: { video_id: 'x', status: 'running' } }), 401, 'unauthorized');

    // A subscriber proves that a refused publish published nothing.
    const videoId = uniqueId('guarded');
    const subscriber = await connect(app, VIEWER, {}, sockets);
    const log = new EventLog(subscriber, ['processing_status', 'visual_analysis_result', 'custom_event']);
    await ok(subscriber, 'subscribe_processing_updates', { video_id: videoId });
    await ok(subscriber, 'subscribe_visual_analysis', { video_id: videoId });

    const asViewer = { token: VIEWER };
    assertHttpError(await api(app, 'POST', '/api/v1/websocket/status', { ...asViewer, json: { video_id: videoId, status: 'running' } }), 403, 'forbidden');
    assertHttpError(await api(app, 'POST', '/api/v1/websocket/visual-analysis', { ...asViewer, json: { video_id: videoId, results: [{ kind: 'shot', start: 0 }] } }), 403, 'forbidden');
    assertHttpError(await api(app, 'POST', '/api/v1/websocket/broadcast', { ...asViewer, json: { event: 'custom_event', data: 1 } }), 403, 'forbidden');
    assertHttpError(await api(app, 'GET', '/api/v1/websocket/clients', asViewer), 403, 'forbidden');
    await barrier(app, [log]);
    assert.deepEqual(log.entries.filter((e) => e.event !== 'rt_test_barrier'), [], 'nothing was published by a viewer');

    // The viewer endpoints answer the viewer; the operator may use them too.
    assert.equal((await api(app, 'GET', '/api/v1/websocket/connections', asViewer)).status, 200);
    assert.equal((await api(app, 'GET', '/api/v1/websocket/connections', { token: OPERATOR })).status, 200);
    assert.equal((await api(app, 'GET', `/api/v1/chat/${videoId}/messages`, asViewer)).status, 200);
    assert.equal((await api(app, 'GET', '/api/v1/health')).status, 200, 'health needs no token');
});

test('a viewer counts the connections; the operator lists the clients with their set_name names', async () => {
    const session = uniqueId('named');
    const alice = await connect(app, VIEWER, { transports: ['websocket'] }, sockets);
    const bob = await connect(app, VIEWER, { transports: ['polling'] }, sockets);
    const operator = await connect(app, OPERATOR, {}, sockets);
    assert.equal(await activeConnections(), 3);

    assert.deepEqual(await ok(alice, 'set_name', { name: 'Alice' }), { ok: true, name: 'Alice', role: 'viewer' });
    assert.equal((await ok(bob, 'set_name', { name: 'Bob the viewer' })).name, 'Bob the viewer');
    await ok(alice, 'join_chat_session', { session_id: session });

    const reply = await api(app, 'GET', '/api/v1/websocket/clients', { token: OPERATOR });
    assert.equal(reply.status, 200, reply.text);
    assert.ok(Array.isArray(reply.body.clients));
    assert.equal(reply.body.count, reply.body.clients.length);
    assert.equal(reply.body.count, 3);
    const byId = new Map(reply.body.clients.map((c) => [c.id, c]));
    const a = byId.get(alice.id);
    const b = byId.get(bob.id);
    const o = byId.get(operator.id);
    assert.ok(a && b && o, `every socket is listed: ${reply.text.slice(0, 500)}`);
    assert.equal(a.name, 'Alice');
    assert.equal(b.name, 'Bob the viewer');
    assert.equal(a.role, 'viewer');
    assert.equal(b.role, 'viewer');
    assert.equal(o.role, 'operator');
    assert.equal(a.transport, 'websocket');
    assert.equal(b.transport, 'polling');
    assert.ok(a.rooms.includes(`chat:${session}`), `rooms of alice: ${JSON.stringify(a.rooms)}`);
    assert.ok(!b.rooms.includes(`chat:${session}`));
    for (const client of [a, b, o]) {
        assert.equal(client.namespace, '/');
        assert.match(client.address, /127\.0\.0\.1/);
        assert.match(client.connected_at, ISO_MS_UTC);
        for (const counter of ['messages_in', 'messages_out', 'bytes_in', 'bytes_out']) {
            assert.equal(typeof client[counter], 'number', counter);
        }
    }
    assert.ok(a.messages_in >= 2, `alice sent set_name and join: messages_in ${a.messages_in}`);

    // The name shows on the author of a chat message as well.
    const posted = await ok(alice, 'send_chat_message', { session_id: session, text: 'hi' });
    assert.equal(posted.message.author.name, 'Alice');

    // A disconnect is counted.
    bob.disconnect();
    await waitUntil(async () => (await activeConnections()) === 2, 'the server counts 2 connections');
});

test('cross-site use is refused: a foreign Origin or Host gets 403, also for Socket.IO', async () => {
    assertHttpError(await api(app, 'GET', '/api/v1/websocket/connections', { token: VIEWER, headers: { origin: 'http://evil.example' } }), 403);
    assert.equal((await api(app, 'GET', '/api/v1/websocket/connections', { token: VIEWER, headers: { origin: app.url } })).status, 200, 'the same origin is fine');
    const foreignHost = await rawRequest(app, 'GET', '/api/v1/websocket/connections', { headers: { host: 'evil.example', authorization: `Bearer ${VIEWER}` } });
    assert.equal(foreignHost.status, 403, foreignHost.text);
    for (const transports of [['polling'], ['websocket']]) {
        const error = await refusal(app, VIEWER, { transports, extraHeaders: { origin: 'http://evil.example' } });
        assert.ok(error, `${transports}: refused`);
    }
    assert.equal(await activeConnections(), 0);
});
