// Processing and visual-analysis subscriptions and the operator's publishing endpoints:
// late subscribers get the current state in the ack, REST status/visual/broadcast reach exactly
// the subscribed (or addressed) clients, and delivered_to counts them.

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
    removeDir,
    startApp,
    uniqueId,
    VIEWER,
    waitUntil,
} from './helpers.mjs';

const EVENTS = ['processing_status', 'visual_analysis_result', 'content_analysis_update', 'notification', 'custom_event', 'chat_message'];

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

/** A connected viewer with an EventLog of every server event of the protocol. */
async function client() {
    const socket = await connect(app, VIEWER, {}, sockets);
    return new EventLog(socket, EVENTS);
}

function postStatus(body) {
    return api(app, 'POST', '/api/v1/websocket/status', { token: OPERATOR, json: body });
}

function postVisual(body) {
    return api(app, 'POST', '/api/v1/websocket/visual-analysis', { token: OPERATOR, json: body });
}

function postBroadcast(body) {
    return api(app, 'POST', '/api/v1/websocket/broadcast', { token: OPERATOR, json: body });
}

/** Asserts a 200 answer with `fields` (delivered_to...). */
function assertDelivered(reply, fields) {
    assert.equal(reply.status, 200, reply.text);
    for (const [key, value] of Object.entries(fields)) assert.equal(reply.body[key], value, `${key} in ${reply.text}`);
}

// Every test starts without connections: "everybody" is then exactly the test's own clients.
afterEach(async () => {
    closeAll(sockets);
    await waitUntil(async () => (await api(app, 'GET', '/api/v1/websocket/connections', { token: VIEWER })).body?.active_connections === 0,
        'the server counts no connection');
});

test('a late subscriber to processing updates gets the current status in its ack, then the updates', async () => {
    const videoId = uniqueId('video');
    const posted = await postStatus({ video_id: videoId, status: 'running', progress: 42, message: 'decoding', stage: 'decode', job_id: 'job-7', eta_s: 12 });
    assertDelivered(posted, { delivered_to: 0 });

    const late = await client();
    const subscribed = await ok(late.socket, 'subscribe_processing_updates', { video_id: videoId });
    const status = subscribed.status;
    assert.equal(typeof status, 'object');
    assert.equal(status.video_id, videoId);
    assert.equal(status.job_id, 'job-7');
    assert.equal(status.state, 'running');
    assert.equal(status.stage, 'decode');
    assert.equal(status.progress, 42);
    assert.equal(status.message, 'decoding');
    assert.equal(status.eta_s, 12);
    assert.match(status.timestamp, ISO_MS_UTC);

    // Nothing twice: the status of the ack does not come again as an event.
    await barrier(app, [late]);
    assert.deepEqual(late.of('processing_status'), []);

    const update = await postStatus({ video_id: videoId, status: 'completed', message: 'done', job_id: 'job-7' });
    assertDelivered(update, { delivered_to: 1 });
    await late.waitForCount('processing_status', 1);
    const event = late.of('processing_status')[0];
    assert.equal(event.video_id, videoId);
    assert.equal(event.state, 'completed');
    assert.equal(event.message, 'done');
    assert.equal(typeof event.progress, 'number');
    assert.match(event.timestamp, ISO_MS_UTC);

    // The next late subscriber gets the newest status.
    const later = await client();
    const again = await ok(later.socket, 'subscribe_processing_updates', { video_id: videoId });
    assert.deepEqual(again.status, event);

    // A video nobody published anything for: null.
    const none = await ok(later.socket, 'subscribe_processing_updates', { video_id: uniqueId('silent') });
    assert.equal(none.status, null);
});

test('subscribe_visual_analysis answers every result so far, in order, then streams new ones', async () => {
    const videoId = uniqueId('visual');
    const first = await postVisual({
        video_id: videoId,
        job_id: 'job-v',
        results: [
            { kind: 'shot', start: 0, end: 4.5, data: { index: 0 }, confidence: 0.9 },
            { kind: 'faces', start: 1.25, data: { count: 2 } },
        ],
    });
    assertDelivered(first, { delivered_to: 0, published: 2 });
    const second = await postVisual({ video_id: videoId, results: { kind: 'colors', start: 3, data: { dominant: '#112233' } } });
    assertDelivered(second, { delivered_to: 0, published: 1 });

    const late = await client();
    const subscribed = await ok(late.socket, 'subscribe_visual_analysis', { video_id: videoId });
    assert.ok(Array.isArray(subscribed.results));
    assert.deepEqual(subscribed.results.map((r) => r.kind), ['shot', 'faces', 'colors']);
    const [shot, faces, colors] = subscribed.results;
    assert.equal(shot.video_id, videoId);
    assert.equal(shot.job_id, 'job-v');
    assert.equal(shot.start, 0);
    assert.equal(shot.end, 4.5);
    assert.deepEqual(shot.data, { index: 0 });
    assert.equal(shot.confidence, 0.9);
    assert.equal(faces.start, 1.25);
    assert.equal(faces.end, undefined);
    assert.deepEqual(faces.data, { count: 2 });
    assert.deepEqual(colors.data, { dominant: '#112233' });
    for (const result of subscribed.results) assert.match(result.timestamp, ISO_MS_UTC);

    await barrier(app, [late]);
    assert.deepEqual(late.of('visual_analysis_result'), [], 'the results of the ack do not come again');

    const third = await postVisual({ video_id: videoId, results: [{ kind: 'motion', start: 5, end: 6, data: { score: 0.3 } }] });
    assertDelivered(third, { delivered_to: 1, published: 1 });
    await late.waitForCount('visual_analysis_result', 1);
    const event = late.of('visual_analysis_result')[0];
    assert.equal(event.video_id, videoId);
    assert.equal(event.kind, 'motion');
    assert.equal(event.start, 5);
    assert.equal(event.end, 6);
    assert.deepEqual(event.data, { score: 0.3 });

    const empty = await ok(late.socket, 'subscribe_visual_analysis', { video_id: uniqueId('no-results') });
    assert.deepEqual(empty.results, []);
});

test('REST status and visual results reach exactly the subscribed clients; unsubscribe stops them', async () => {
    const v = uniqueId('v');
    const w = uniqueId('w');
    const [processingOnly, both, otherVideo, nothing, visualOnly] = await Promise.all(Array.from({ length: 5 }, client));
    await ok(processingOnly.socket, 'subscribe_processing_updates', { video_id: v });
    await ok(both.socket, 'subscribe_processing_updates', { video_id: v });
    await ok(both.socket, 'subscribe_visual_analysis', { video_id: v });
    await ok(otherVideo.socket, 'subscribe_processing_updates', { video_id: w });
    await ok(otherVideo.socket, 'subscribe_visual_analysis', { video_id: w });
    await ok(visualOnly.socket, 'subscribe_visual_analysis', { video_id: v });
    const all = [processingOnly, both, otherVideo, nothing, visualOnly];

    assertDelivered(await postStatus({ video_id: v, status: 'queued' }), { delivered_to: 2 });
    assertDelivered(await postVisual({ video_id: v, results: [{ kind: 'keyframe', start: 1 }] }), { delivered_to: 2, published: 1 });
    await barrier(app, all);
    assert.deepEqual(processingOnly.of('processing_status').map((s) => [s.video_id, s.state]), [[v, 'queued']]);
    assert.deepEqual(both.of('processing_status').map((s) => [s.video_id, s.state]), [[v, 'queued']]);
    assert.deepEqual(both.of('visual_analysis_result').map((r) => [r.video_id, r.kind]), [[v, 'keyframe']]);
    assert.deepEqual(visualOnly.of('visual_analysis_result').map((r) => [r.video_id, r.kind]), [[v, 'keyframe']]);
    assert.deepEqual(processingOnly.of('visual_analysis_result'), []);
    assert.deepEqual(visualOnly.of('processing_status'), []);
    assert.deepEqual(otherVideo.entries.filter((e) => e.event !== 'rt_test_barrier'), [], 'a subscriber of another video gets nothing');
    assert.deepEqual(nothing.entries, [], 'a client without subscriptions gets nothing');

    await ok(processingOnly.socket, 'unsubscribe_processing_updates', { video_id: v });
    await ok(visualOnly.socket, 'unsubscribe_visual_analysis', { video_id: v });
    assertDelivered(await postStatus({ video_id: v, status: 'running', progress: 10 }), { delivered_to: 1 });
    assertDelivered(await postVisual({ video_id: v, results: [{ kind: 'shot', start: 2 }] }), { delivered_to: 1, published: 1 });
    await barrier(app, all);
    assert.equal(processingOnly.of('processing_status').length, 1, 'no update after unsubscribing');
    assert.equal(visualOnly.of('visual_analysis_result').length, 1, 'no result after unsubscribing');
    assert.deepEqual(both.of('processing_status').map((s) => s.state), ['queued', 'running']);
    assert.deepEqual(both.of('visual_analysis_result').map((r) => r.kind), ['keyframe', 'shot']);
    assert.equal(both.of('processing_status')[1].progress, 10);
});

test('broadcast to a room, to one socket and to everybody, with delivered_to; notification gets a timestamp', async () => {
    const v = uniqueId('room');
    const session = uniqueId('chat-room');
    const [member1, member2, chatter, loner] = await Promise.all(Array.from({ length: 4 }, client));
    await ok(member1.socket, 'subscribe_processing_updates', { video_id: v });
    await ok(member2.socket, 'subscribe_processing_updates', { video_id: v });
    await ok(chatter.socket, 'join_chat_session', { session_id: session });
    const all = [member1, member2, chatter, loner];

    // A room.
    assertDelivered(await postBroadcast({ event: 'custom_event', data: { to: 'room' }, room: `processing:${v}` }), { delivered_to: 2 });
    assertDelivered(await postBroadcast({ event: 'custom_event', data: { to: 'chat' }, room: `chat:${session}` }), { delivered_to: 1 });
    assertDelivered(await postBroadcast({ event: 'custom_event', data: { to: 'nobody' }, room: 'no-such-room' }), { delivered_to: 0 });
    // One socket.
    assertDelivered(await postBroadcast({ event: 'custom_event', data: { to: 'sid' }, sid: loner.socket.id }), { delivered_to: 1 });
    await barrier(app, all);
    assert.deepEqual(member1.of('custom_event'), [{ to: 'room' }]);
    assert.deepEqual(member2.of('custom_event'), [{ to: 'room' }]);
    assert.deepEqual(chatter.of('custom_event'), [{ to: 'chat' }]);
    assert.deepEqual(loner.of('custom_event'), [{ to: 'sid' }]);

    // Everybody: every connected socket of this app, as the server counts them.
    const connections = await api(app, 'GET', '/api/v1/websocket/connections', { token: VIEWER });
    assert.equal(connections.body.active_connections, all.length);
    assertDelivered(await postBroadcast({ event: 'notification', data: { level: 'warning', title: 'Heads up', text: 'maintenance at noon' } }), { delivered_to: all.length });
    for (const log of all) await log.waitForCount('notification', 1);
    for (const log of all) {
        const [notification] = log.of('notification');
        assert.equal(notification.level, 'warning');
        assert.equal(notification.title, 'Heads up');
        assert.equal(notification.text, 'maintenance at noon');
        assert.match(notification.timestamp, ISO_MS_UTC, 'the server adds the timestamp');
    }
    // Arbitrary data passes through unchanged.
    const data = { nested: { list: [1, 'two', null, true], unicode: 'grüße ✓' } };
    assertDelivered(await postBroadcast({ event: 'custom_event', data }), { delivered_to: all.length });
    for (const log of all) await log.waitFor((l) => l.of('custom_event').some((d) => d.nested), 'the nested broadcast');
    for (const log of all) assert.deepEqual(log.of('custom_event').at(-1), data);

    // An unknown socket id is an error, not a silent success.
    const unknown = await postBroadcast({ event: 'custom_event', data: {}, sid: 'no-such-socket' });
    assertHttpError(unknown, 404);
});
