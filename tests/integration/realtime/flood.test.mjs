// A flood of 10,000 send_chat_message in about a second from one client is rate-limited with
// too_many_requests acks (chat: 5/s, bursts of 20 per socket) while another client in the same
// session still gets its messages through promptly. Its own app instance: the flood's load
// does not slow the other files' tests' app.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
    barrier,
    chatHistory,
    closeAll,
    connect,
    EventLog,
    ok,
    removeDir,
    startApp,
    uniqueId,
    VIEWER,
    waitUntil,
    withTimeout,
} from './helpers.mjs';

const FLOOD = 10000;
const BATCHES = 10; // of 1000, every 100 ms: about one second
/** How long an unaffected client's message may take during the flood, ack round trip. */
const PROMPT_MS = 1000;

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

test(`${FLOOD} chat messages in ~1 s from one client get too_many_requests; another client is unaffected`, async () => {
    const session = uniqueId('flood');
    const flooder = await connect(app, VIEWER, { transports: ['websocket'] }, sockets);
    const other = await connect(app, VIEWER, { transports: ['websocket'] }, sockets);
    const otherLog = new EventLog(other, ['chat_message']);
    await ok(flooder, 'join_chat_session', { session_id: session });
    await ok(other, 'join_chat_session', { session_id: session });

    const outcomes = { ok: 0, too_many_requests: 0, other: [] };
    const flooded = [];
    let acks = 0;
    let allAcked;
    const allAckedPromise = new Promise((resolve) => {
        allAcked = resolve;
    });
    const onAck = (reply) => {
        if (reply?.ok === true) {
            ++outcomes.ok;
            flooded.push(reply.message);
        } else if (reply?.ok === false && reply.error?.code === 'too_many_requests') {
            ++outcomes.too_many_requests;
        } else if (outcomes.other.length < 5) {
            outcomes.other.push(reply);
        }
        if (++acks === FLOOD) allAcked();
    };

    // The other client sends one message every 200 ms while the flood lasts (within its own limit).
    const latencies = [];
    const otherMessages = [];
    let flooding = true;
    const otherDone = (async () => {
        for (let i = 0; flooding || i < 3; ++i) {
            const started = performance.now();
            const reply = await ok(other, 'send_chat_message', { session_id: session, text: `unaffected ${i}` });
            latencies.push(performance.now() - started);
            otherMessages.push(reply.message);
            await new Promise((resolve) => setTimeout(resolve, 200)); // pacing, not waiting for a result
        }
    })();

    const started = performance.now();
    for (let batch = 0; batch < BATCHES; ++batch) {
        for (let i = 0; i < FLOOD / BATCHES; ++i) {
            flooder.emit('send_chat_message', { session_id: session, text: `flood ${batch}.${i}` }, onAck);
        }
        await new Promise((resolve) => setTimeout(resolve, 100)); // pacing of the flood
    }
    await withTimeout(allAckedPromise, 30000, `the acks of the flood (${acks} of ${FLOOD} so far)`);
    const floodSeconds = (performance.now() - started) / 1000;
    flooding = false;
    await otherDone;

    assert.deepEqual(outcomes.other, [], 'every ack is ok or too_many_requests');
    assert.equal(outcomes.ok + outcomes.too_many_requests, FLOOD);
    // The burst of 20 and 5/s over the flood's duration, with some slack for timing.
    const allowed = 20 + Math.ceil(5 * floodSeconds) + 5;
    assert.ok(outcomes.ok >= 20, `the burst passes (${outcomes.ok} accepted)`);
    assert.ok(outcomes.ok <= allowed, `${outcomes.ok} accepted in ${floodSeconds.toFixed(2)} s, at most ${allowed} expected`);
    assert.ok(flooder.connected, 'the flooder is not disconnected');

    assert.ok(otherMessages.length >= 5, `the other client posted ${otherMessages.length} messages`);
    const slowest = Math.max(...latencies);
    assert.ok(slowest < PROMPT_MS, `the other client's acks took up to ${slowest.toFixed(0)} ms (${latencies.map((l) => l.toFixed(0)).join(', ')})`);

    // The other client received exactly the accepted messages, each once, in one order.
    await barrier(app, [otherLog]);
    const received = otherLog.of('chat_message');
    const expected = [...flooded, ...otherMessages].sort((a, b) => a.seq - b.seq).map((m) => m.id);
    assert.deepEqual(received.map((m) => m.id), expected);
    const history = await chatHistory(app, session, 500);
    assert.deepEqual(history.map((m) => m.id), expected, 'the history holds the accepted messages only');

    // Once the bucket refills, the flooder may post again.
    const resumed = await waitUntil(async () => {
        const reply = await new Promise((resolve) => flooder.emit('send_chat_message', { session_id: session, text: 'calm again' }, resolve));
        return reply.ok ? reply : null;
    }, 'the flooder may post again');
    assert.equal(resumed.message.text, 'calm again');
});
