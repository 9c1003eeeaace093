// Bad input on the socket and on the HTTP API. A mistake is answered in the ack (or with a 4xx
// and {"error": {code, message}}) and never closes the connection. Each socket test uses fresh
// sockets so the per-socket rate limits (events 50/s, bursts of 100; chat 5/s, bursts of 20)
// never answer instead of the validation.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
    api,
    assertAckError,
    assertHttpError,
    barrier,
    call,
    chatHistory,
    closeAll,
    connect,
    EventLog,
    ok,
    OPERATOR,
    rawRequest,
    removeDir,
    startApp,
    uniqueId,
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

const viewer = (options) => connect(app, VIEWER, options, sockets);

/** Asserts that the socket is still connected and the server still answers it. */
async function assertStillServed(socket) {
    assert.ok(socket.connected, 'the connection stays open');
    const session = uniqueId('alive');
    const joined = await ok(socket, 'join_chat_session', { session_id: session });
    assert.equal(joined.session_id, session);
}

test('an unknown event is answered unknown_event and the connection stays open', async () => {
    const socket = await viewer();
    assertAckError(await call(socket, 'no_such_event', { a: 1 }), 'unknown_event', 'no_such_event');
    assertAckError(await call(socket, 'send_chat_mesage', { session_id: 's', text: 'typo' }), 'unknown_event', 'a typo');
    assertAckError(await call(socket, 'x'.repeat(5000)), 'unknown_event', 'a 5000-character event name');
    socket.emit('no_such_event_without_ack', 1, 2, 3);
    await assertStillServed(socket);
});

test('missing or wrongly typed fields are invalid_argument', async () => {
    const socket = await viewer();
    const session = uniqueId('typed');
    const cases = [
        ['join_chat_session', []],
        ['join_chat_session', [null]],
        ['join_chat_session', ['a-session-id-as-a-string']],
        ['join_chat_session', [42]],
        ['join_chat_session', [[{ session_id: session }]]],
        ['join_chat_session', [{}]],
        ['join_chat_session', [{ session_id: null }]],
        ['join_chat_session', [{ session_id: 17 }]],
        ['join_chat_session', [{ session_id: { nested: true } }]],
        ['join_chat_session', [{ session: session }]],
        ['leave_chat_session', [{}]],
        ['leave_chat_session', [{ session_id: ['a'] }]],
        ['send_chat_message', [{ text: 'no session' }]],
        ['send_chat_message', [{ session_id: session }]],
        ['send_chat_message', [{ session_id: session, text: 12 }]],
        ['send_chat_message', [{ session_id: session, text: '' }]],
        ['send_chat_message', [{ session_id: session, text: ' \n\t ' }]],
        ['send_chat_message', [{ session_id: session, text: ['hi'] }]],
        ['send_chat_message', [{ session_id: session, text: 'ok', client_msg_id: 7 }]],
        ['send_chat_message', [{ session_id: 5, text: 'hi' }]],
        ['subscribe_processing_updates', [{}]],
        ['subscribe_processing_updates', [{ video_id: 1 }]],
        ['unsubscribe_processing_updates', [{ video_id: false }]],
        ['subscribe_visual_analysis', [{ video_id: null }]],
        ['unsubscribe_visual_analysis', []],
        ['set_name', [{}]],
        ['set_name', [{ name: 3 }]],
        ['set_name', [{ name: '' }]],
        ['set_name', [{ name: 'n'.repeat(65) }]],
    ];
    for (const [event, args] of cases) {
        assertAckError(await call(socket, event, ...args), 'invalid_argument', `${event} ${JSON.stringify(args)}`);
    }
    await assertStillServed(socket);
    assert.deepEqual(await chatHistory(app, session), [], 'no invalid message was posted');
    assert.equal((await ok(socket, 'set_name', { name: 'n'.repeat(64) })).name, 'n'.repeat(64), '64 characters are a valid name');
});

test('ids with "/", 10,000 characters or other characters outside [A-Za-z0-9_.-] are invalid_argument', async () => {
    const socket = await viewer();
    const bad = ['a/b', '../etc', '/', 'x'.repeat(10000), 'x'.repeat(129), 'with space', 'ümlaut', 'a:b', 'a\u0000b', ''];
    for (const id of bad) {
        const label = JSON.stringify(id.length > 40 ? `${id.slice(0, 10)}... (${id.length})` : id);
        assertAckError(await call(socket, 'join_chat_session', { session_id: id }), 'invalid_argument', `join ${label}`);
        assertAckError(await call(socket, 'subscribe_processing_updates', { video_id: id }), 'invalid_argument', `subscribe ${label}`);
    }
    // The same characters through the chat and subscribe events on a second socket (the event
    // limit allows bursts of 100).
    const other = await viewer();
    for (const id of bad) {
        assertAckError(await call(other, 'send_chat_message', { session_id: id, text: 'x' }), 'invalid_argument', `send to ${id.slice(0, 20)}`);
        assertAckError(await call(other, 'subscribe_visual_analysis', { video_id: id }), 'invalid_argument', `visual ${id.slice(0, 20)}`);
    }
    // The edges that are valid.
    const longest = 'a'.repeat(128);
    assert.equal((await ok(other, 'join_chat_session', { session_id: longest })).session_id, longest);
    assert.equal((await ok(other, 'join_chat_session', { session_id: 'A-z_0.9' })).session_id, 'A-z_0.9');
    await ok(other, 'subscribe_processing_updates', { video_id: 'x' });
    await assertStillServed(socket);
    await assertStillServed(other);
});

test('chat text: 4000 characters pass, 4001 and 100 KB are invalid_argument; the connection stays open', async () => {
    const session = uniqueId('long');
    const sender = await viewer();
    const member = await viewer();
    const log = new EventLog(member, ['chat_message']);
    await ok(member, 'join_chat_session', { session_id: session });

    assertAckError(await call(sender, 'send_chat_message', { session_id: session, text: 'x'.repeat(100 * 1024) }), 'invalid_argument', '100 KB');
    assertAckError(await call(sender, 'send_chat_message', { session_id: session, text: 'y'.repeat(4001) }), 'invalid_argument', '4001 characters');
    const longest = await ok(sender, 'send_chat_message', { session_id: session, text: 'z'.repeat(4000) });
    assert.equal(longest.message.text.length, 4000);
    const accented = await ok(sender, 'send_chat_message', { session_id: session, text: 'é'.repeat(4000) });
    assert.equal(accented.message.text, 'é'.repeat(4000));
    assert.ok(sender.connected, 'the 100 KB text did not close the connection');

    await barrier(app, [log]);
    assert.deepEqual(log.of('chat_message').map((m) => m.id), [longest.message.id, accented.message.id], 'only the valid texts were posted');
    await assertStillServed(sender);
});

// Server deviation (reported): lengths are counted in UTF-16 code units, so a text of 2001
// emoji (2001 characters) is refused as "longer than 4000 characters".
test('chat text and names count characters: 4000 emoji are a valid text, 64 emoji a valid name', async () => {
    const socket = await viewer();
    const session = uniqueId('emoji');
    const posted = await ok(socket, 'send_chat_message', { session_id: session, text: '😀'.repeat(4000) });
    assert.equal([...posted.message.text].length, 4000);
    assertAckError(await call(socket, 'send_chat_message', { session_id: session, text: '😀'.repeat(4001) }), 'invalid_argument', '4001 emoji');
    assert.equal((await ok(socket, 'set_name', { name: '😀'.repeat(64) })).name, '😀'.repeat(64));
});

// ---- HTTP ----

const operator = { token: OPERATOR };

test('HTTP: invalid JSON and non-object bodies on the POST endpoints are 400', async () => {
    for (const endpoint of ['status', 'visual-analysis', 'broadcast']) {
        const urlPath = `/api/v1/websocket/${endpoint}`;
        const json = { 'content-type': 'application/json' };
        assertHttpError(await api(app, 'POST', urlPath, { ...operator, headers: json, body: '{"video_id": "v", ' }), 400);
        assertHttpError(await api(app, 'POST', urlPath, { ...operator, headers: json, body: 'not json at all' }), 400);
        assertHttpError(await api(app, 'POST', urlPath, { ...operator, headers: json, body: '[1, 2]' }), 400);
        assertHttpError(await api(app, 'POST', urlPath, { ...operator, headers: json, body: '"a string"' }), 400);
        assertHttpError(await api(app, 'POST', urlPath, { ...operator, headers: json, body: '' }), 400);
    }
});

test('HTTP: missing or wrongly typed fields are 400 and publish nothing', async () => {
    const videoId = uniqueId('http-bad');
    const subscriber = await viewer();
    const log = new EventLog(subscriber, ['processing_status', 'visual_analysis_result', 'custom_event']);
    await ok(subscriber, 'subscribe_processing_updates', { video_id: videoId });
    await ok(subscriber, 'subscribe_visual_analysis', { video_id: videoId });

    const status = [
        { status: 'running' },
        { video_id: videoId },
        { video_id: 12, status: 'running' },
        { video_id: 'a/b', status: 'running' },
        { video_id: 'x'.repeat(10000), status: 'running' },
        { video_id: videoId, status: 'exploded' },
        { video_id: videoId, status: 3 },
        { video_id: videoId, status: 'running', progress: '50' },
        { video_id: videoId, status: 'running', progress: 101 },
        { video_id: videoId, status: 'running', progress: -1 },
        { video_id: videoId, status: 'running', message: { text: 'x' } },
        { video_id: videoId, status: 'running', eta_s: 'soon' },
    ];
    for (const body of status) {
        assertHttpError(await api(app, 'POST', '/api/v1/websocket/status', { ...operator, json: body }), 400, 'invalid_argument');
    }
    const visual = [
        { results: [{ kind: 'shot', start: 0 }] },
        { video_id: videoId },
        { video_id: videoId, results: [] },
        { video_id: videoId, results: 'shot' },
        { video_id: videoId, results: [42] },
        { video_id: videoId, results: [{ start: 0 }] },
        { video_id: videoId, results: [{ kind: 'shot' }] },
        { video_id: videoId, results: [{ kind: 'shot', start: '0' }] },
        { video_id: videoId, results: [{ kind: 'shot', start: -1 }] },
        { video_id: videoId, results: [{ kind: 'shot', start: 5, end: 4 }] },
        { video_id: videoId, results: [{ kind: 'shot', start: 0, data: 'x' }] },
        { video_id: videoId, results: [{ kind: 'shot', start: 0, confidence: 2 }] },
        // One bad result among good ones publishes none of them.
        { video_id: videoId, results: [{ kind: 'shot', start: 0 }, { kind: 'shot', start: 'late' }] },
    ];
    for (const body of visual) {
        assertHttpError(await api(app, 'POST', '/api/v1/websocket/visual-analysis', { ...operator, json: body }), 400, 'invalid_argument');
    }
    const broadcast = [
        { data: 1 },
        { event: 12, data: 1 },
        { event: '', data: 1 },
        { event: 'custom_event', data: 1, room: 5 },
        { event: 'custom_event', data: 1, sid: ['x'] },
    ];
    for (const body of broadcast) {
        assertHttpError(await api(app, 'POST', '/api/v1/websocket/broadcast', { ...operator, json: body }), 400, 'invalid_argument');
    }
    await barrier(app, [log]);
    assert.deepEqual(log.entries.filter((e) => e.event !== 'rt_test_barrier'), [], 'nothing was published');
    const after = await ok(subscriber, 'subscribe_visual_analysis', { video_id: videoId });
    assert.deepEqual(after.results, [], 'no result was stored');
    const latest = await ok(subscriber, 'subscribe_processing_updates', { video_id: videoId });
    assert.equal(latest.status, null, 'no status was stored');
});

test('HTTP: GET messages with a bad limit or session id is 400', async () => {
    const session = uniqueId('limits');
    for (const limit of ['0', '501', '-3', 'abc', '1.5']) {
        assertHttpError(await api(app, 'GET', `/api/v1/chat/${session}/messages?limit=${limit}`, { token: VIEWER }), 400);
    }
    assertHttpError(await api(app, 'GET', `/api/v1/chat/${'x'.repeat(129)}/messages`, { token: VIEWER }), 400);
    assertHttpError(await api(app, 'GET', '/api/v1/chat/with%20space/messages', { token: VIEWER }), 400);
    assert.equal((await api(app, 'GET', `/api/v1/chat/${session}/messages?limit=500`, { token: VIEWER })).status, 200);
});

test('HTTP: a wrong method on an API path is 405', async () => {
    assertHttpError(await api(app, 'GET', '/api/v1/websocket/status', { token: OPERATOR }), 405);
    assertHttpError(await api(app, 'PUT', '/api/v1/websocket/broadcast', { token: OPERATOR, json: {} }), 405);
    assertHttpError(await api(app, 'POST', '/api/v1/websocket/connections', { token: VIEWER, json: {} }), 405);
    assertHttpError(await api(app, 'DELETE', '/api/v1/chat/some-session/messages', { token: VIEWER }), 405);
});

const LIMIT = 1024 * 1024;
const jsonHeaders = { authorization: `Bearer ${OPERATOR}`, 'content-type': 'application/json' };

/** A broadcast body of about `size` bytes. */
function bigBroadcast(size) {
    return JSON.stringify({ event: 'custom_event', room: 'empty-room', data: 'x'.repeat(size - 60) });
}

test('HTTP: a body announced over 1 MiB is 413 before it is sent', async () => {
    const announced = await rawRequest(app, 'POST', '/api/v1/websocket/broadcast', {
        headers: { ...jsonHeaders, 'content-length': String(LIMIT + 1) },
    });
    assert.equal(announced.status, 413, announced.text);
    assert.equal(typeof announced.body?.error?.code, 'string');
    assert.equal(typeof announced.body?.error?.message, 'string');
});

test('HTTP: a JSON body just under 1 MiB passes', async () => {
    const body = bigBroadcast(LIMIT - 100);
    assert.ok(body.length <= LIMIT);
    const fits = await api(app, 'POST', '/api/v1/websocket/broadcast', { token: OPERATOR, headers: { 'content-type': 'application/json' }, body });
    assert.equal(fits.status, 200, fits.text.slice(0, 300));
    assert.equal(fits.body.delivered_to, 0);
});

// Server bug (reported): when a client sends a body past the limit (as fetch, browsers and curl
// do, without waiting), the server answers 413 and closes the connection at once with the rest
// of the body unread, so the kernel resets the connection and the client often never sees the
// 413 (no lingering close). About half of the 2 MiB requests and every 8 MiB one fail so.
test('HTTP: fetch with JSON bodies of 1 MiB + 1 KB, 2 MiB and 8 MiB gets 413, not a connection reset', async () => {
    for (const size of [LIMIT + 1024, 2 * LIMIT, 8 * LIMIT]) {
        const body = bigBroadcast(size);
        for (let attempt = 0; attempt < 5; ++attempt) {
            let reply;
            try {
                reply = await api(app, 'POST', '/api/v1/websocket/broadcast', { token: OPERATOR, headers: { 'content-type': 'application/json' }, body });
            } catch (error) {
                assert.fail(`${size} bytes, attempt ${attempt + 1}: ${error.message} (${error.cause?.code})`);
            }
            assertHttpError(reply, 413);
        }
    }
});

test('HTTP: a chunked body streaming past 1 MiB gets 413, not a connection reset', async () => {
    function* chunks() {
        yield '{"event":"custom_event","data":"';
        for (let i = 0; i < 128; ++i) yield 'x'.repeat(64 * 1024);
        yield '"}';
    }
    const streamed = await rawRequest(app, 'POST', '/api/v1/websocket/status', { headers: jsonHeaders, chunks: chunks() });
    assert.equal(streamed.status, 413, streamed.text);
    assert.equal(typeof streamed.body?.error?.code, 'string');
});
