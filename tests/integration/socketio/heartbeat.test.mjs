// Heartbeat with pingInterval 300 ms and pingTimeout 200 ms: stock clients, which answer
// every ping, stay connected; a raw Engine.IO client that stops answering is dropped
// pingInterval + pingTimeout after its last pong (over WebSocket and long-polling).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { call, closeAll, connect, next, startFixture, STEP_TIMEOUT_MS, waitUntil, WebSocket, withTimeout } from './helpers.mjs';

const PING_INTERVAL = 300;
const PING_TIMEOUT = 200;
// Lower bounds are measured from before the client connects (or sends its pong), so they
// hold however late this process handles events; only timer granularity needs a margin.
const SLACK_MS = 5;
const LATE_MS = 1000; // generous bound for a loaded machine

let fixture;
let observer;
const sockets = [];

before(async () => {
    fixture = await startFixture(['--ping-interval', String(PING_INTERVAL), '--ping-timeout', String(PING_TIMEOUT)]);
    observer = await connect(fixture.url, { transports: ['websocket'] });
    sockets.push(observer);
});

after(async () => {
    closeAll(sockets);
    await fixture?.stop();
});

/** A raw Engine.IO WebSocket client: resolves once the open packet arrived. */
async function rawWebSocket() {
    const openedAt = performance.now(); // before the server can start its ping timer
    const ws = new WebSocket(`${fixture.wsUrl}/socket.io/?EIO=4&transport=websocket`);
    const events = []; // {at, text} of every message, and {at, closed} at the end
    ws.on('message', (data) => events.push({ at: performance.now(), text: data.toString() }));
    ws.on('close', () => events.push({ at: performance.now(), closed: true }));
    const [openData] = await next(ws, 'message');
    const open = JSON.parse(openData.toString().slice(1));
    assert.equal(openData.toString()[0], '0', 'the first packet is the open packet');
    return { ws, events, open, openedAt };
}

/** Joins "/" over a raw connection and returns the Socket.IO id. */
async function joinMain(ws) {
    const connected = next(ws, 'message');
    ws.send('40');
    const [data] = await connected;
    const text = data.toString();
    assert.ok(text.startsWith('40'), `expected a CONNECT answer, got ${text}`);
    return JSON.parse(text.slice(2)).sid;
}

// Every test here mostly waits for timers: run them side by side.
describe('heartbeat', { concurrency: true }, () => {
    for (const transport of ['websocket', 'polling']) {
        test(`a socket.io-client over ${transport} stays connected across several heartbeats`, async () => {
            const socket = await connect(fixture.url, { transports: [transport] });
            sockets.push(socket);
            const id = socket.id;
            let disconnects = 0;
            socket.on('disconnect', () => ++disconnects);
            let pings = 0;
            const fourPings = new Promise((resolve) => {
                socket.io.engine.on('ping', () => {
                    if (++pings === 4) resolve();
                });
            });
            await withTimeout(fourPings, 4 * PING_INTERVAL + LATE_MS, 'four pings');
            assert.equal(disconnects, 0);
            assert.ok(socket.connected);
            assert.equal(socket.id, id);
            assert.equal(await call(socket, 'echo', 'alive'), 'alive');
        });
    }

    test('a raw WebSocket client that never answers pings is dropped after pingInterval + pingTimeout', async () => {
        const { ws, events, open, openedAt } = await rawWebSocket();
        assert.equal(open.pingInterval, PING_INTERVAL);
        assert.equal(open.pingTimeout, PING_TIMEOUT);
        const sid = await joinMain(ws);

        await next(ws, 'close', PING_INTERVAL + PING_TIMEOUT + LATE_MS);
        const closedAt = performance.now();
        const pings = events.filter((e) => e.text === '2');
        assert.equal(pings.length, 1, `one ping before the drop: ${JSON.stringify(events)}`);
        assert.ok(pings[0].at - openedAt >= PING_INTERVAL - SLACK_MS, `ping after ${pings[0].at - openedAt} ms`);
        const lifetime = closedAt - openedAt;
        assert.ok(lifetime >= PING_INTERVAL + PING_TIMEOUT - SLACK_MS, `dropped too early, after ${lifetime} ms`);
        assert.ok(lifetime <= PING_INTERVAL + PING_TIMEOUT + LATE_MS, `dropped too late, after ${lifetime} ms`);
        assert.equal((await call(observer, 'reason-of', { id: sid })).reason, 'ping timeout');
    });

    test('a raw WebSocket client that answers two pings, then stops, is dropped after its last pong', async () => {
        const { ws, events } = await rawWebSocket();
        const sid = await joinMain(ws);
        let lastPongAt = 0;
        let pongs = 0;
        ws.on('message', (data) => {
            if (data.toString() === '2' && pongs < 2) {
                ++pongs;
                lastPongAt = performance.now();
                ws.send('3');
            }
        });
        await next(ws, 'close', 3 * PING_INTERVAL + PING_TIMEOUT + LATE_MS);
        const closedAt = performance.now();
        assert.equal(pongs, 2);
        assert.equal(events.filter((e) => e.text === '2').length, 3, 'two answered pings and the unanswered one');
        const sinceLastPong = closedAt - lastPongAt;
        assert.ok(sinceLastPong >= PING_INTERVAL + PING_TIMEOUT - SLACK_MS, `dropped ${sinceLastPong} ms after the last pong`);
        assert.ok(sinceLastPong <= PING_INTERVAL + PING_TIMEOUT + LATE_MS, `dropped ${sinceLastPong} ms after the last pong`);
        assert.equal((await call(observer, 'reason-of', { id: sid })).reason, 'ping timeout');
    });

    test('a raw long-polling client that stops polling is dropped after pingInterval + pingTimeout', async () => {
        const base = `${fixture.url}/socket.io/?EIO=4&transport=polling`;
        const openedAt = performance.now();
        const handshake = await (await fetch(base)).text();
        assert.equal(handshake[0], '0');
        const { sid: engineId } = JSON.parse(handshake.slice(1));
        const url = `${base}&sid=${engineId}`;
        assert.equal(await (await fetch(url, { method: 'POST', body: '40' })).text(), 'ok');
        // The CONNECT answer, then the fixture's "welcome" event, in one payload.
        const [connectAnswer] = (await (await fetch(url)).text()).split('\x1e');
        assert.ok(connectAnswer.startsWith('40'), connectAnswer);
        const sid = JSON.parse(connectAnswer.slice(2)).sid;

        // No more polls: the ping waits in the buffer, no pong comes back.
        const reason = await waitUntil(
            async () => (await call(observer, 'reason-of', { id: sid })).reason,
            'the server dropped the polling client',
            PING_INTERVAL + PING_TIMEOUT + LATE_MS + STEP_TIMEOUT_MS,
        );
        const lifetime = performance.now() - openedAt;
        assert.equal(reason, 'ping timeout');
        assert.ok(lifetime >= PING_INTERVAL + PING_TIMEOUT - SLACK_MS, `dropped too early, after ${lifetime} ms`);
        // The session is gone: a late poll is refused as the reference server does.
        const late = await fetch(url);
        assert.equal(late.status, 400);
        assert.deepEqual(await late.json(), { code: 1, message: 'Session ID unknown' });
    });
});
