// Disconnections: by the server (namespace disconnect, with or without closing the
// connection), by the client, and the connection closing under the client, which then
// reconnects by itself.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { call, closeAll, connect, next, request, startFixture, waitUntil, WebSocket, withTimeout } from './helpers.mjs';

let fixture;
let observer; // asks the server about the others
const sockets = [];

before(async () => {
    fixture = await startFixture();
    observer = await connect(fixture.url, { transports: ['websocket'] });
    sockets.push(observer);
});

after(async () => {
    closeAll(sockets);
    await fixture?.stop();
});

/** Waits until the server has seen socket `id` leave and returns why. */
async function serverReason(id) {
    return waitUntil(async () => (await call(observer, 'reason-of', { id })).reason, `the server saw ${id} leave`);
}

for (const transport of ['websocket', 'polling']) {
    describe(`over ${transport}`, () => {
        test('disconnect-me: "io server disconnect", no reconnection', async () => {
            const socket = await connect(fixture.url, { transports: [transport] });
            sockets.push(socket);
            const id = socket.id;
            const clientsBefore = (await call(observer, 'stats')).clients;
            let reconnectAttempts = 0;
            socket.io.on('reconnect_attempt', () => ++reconnectAttempts);

            const disconnected = next(socket, 'disconnect');
            socket.emit('disconnect-me');
            const [reason] = await disconnected;
            assert.equal(reason, 'io server disconnect');
            assert.equal(await serverReason(id), 'server namespace disconnect');
            assert.equal(socket.connected, false);
            assert.equal(socket.active, false, 'the client must not reconnect after a server disconnect');
            // The manager closes the unused connection itself; the server sees it go.
            await waitUntil(async () => (await call(observer, 'stats')).clients === clientsBefore - 1, 'the connection closed');
            assert.equal(reconnectAttempts, 0);
        });

        // Over polling the DISCONNECT packet is still buffered when the session closes: it must
        // reach the client before the close packet, as the reference server does.
        test('disconnect-close-me: "io server disconnect" and the connection closes, no reconnection', async () => {
            const socket = await connect(fixture.url, { transports: [transport] });
            sockets.push(socket);
            const id = socket.id;
            const clientsBefore = (await call(observer, 'stats')).clients;
            let reconnectAttempts = 0;
            socket.io.on('reconnect_attempt', () => ++reconnectAttempts);

            const disconnected = next(socket, 'disconnect');
            socket.emit('disconnect-close-me');
            const [reason] = await disconnected;
            assert.equal(reason, 'io server disconnect');
            assert.equal(await serverReason(id), 'server namespace disconnect');
            assert.equal(socket.active, false);
            await waitUntil(async () => (await call(observer, 'stats')).clients === clientsBefore - 1, 'the connection closed');
            assert.equal(reconnectAttempts, 0);
        });

        test('close-me: the connection closes, the client reconnects with a new id', async () => {
            const socket = await connect(fixture.url, { transports: [transport] });
            sockets.push(socket);
            const firstId = socket.id;
            const disconnected = next(socket, 'disconnect');
            const reconnected = next(socket.io, 'reconnect');
            socket.emit('close-me');

            const [reason] = await disconnected;
            assert.equal(reason, 'transport close');
            assert.equal(socket.active, true, 'the client keeps trying');
            assert.equal(await serverReason(firstId), 'forced close');
            await reconnected;
            await waitUntil(() => socket.connected, 'the socket reconnected');
            assert.notEqual(socket.id, firstId);
            assert.ok(!socket.recovered, 'no connection state recovery configured');
            assert.deepEqual(await request(socket, 'echo', 'again'), ['again']);
            assert.equal((await call(socket, 'info')).id, socket.id);
        });

        test('client disconnect: the server sees "client namespace disconnect"', async () => {
            const socket = await connect(fixture.url, { transports: [transport] });
            const id = socket.id;
            const disconnected = next(socket, 'disconnect');
            socket.disconnect();
            assert.equal((await disconnected)[0], 'io client disconnect');
            assert.equal(await serverReason(id), 'client namespace disconnect');
        });

        test('the client closes its connection: the server sees "transport close"', async () => {
            const socket = await connect(fixture.url, { transports: [transport], reconnection: false });
            const id = socket.id;
            const disconnected = next(socket, 'disconnect');
            socket.io.engine.close();
            assert.equal((await disconnected)[0], 'forced close');
            assert.equal(await serverReason(id), 'transport close');
        });
    });
}

// The minimal reproduction of the polling bug above, on the wire: the poll held while the
// server handles "disconnect-close-me" must carry the DISCONNECT packet ("41"); the
// reference server sends it there and the close packet on the next poll. Ours answers the
// held poll with the close packet ("1") alone.
test(
    'raw polling: packets sent just before the server closes the session are delivered',
    async () => {
        const base = `${fixture.url}/socket.io/?EIO=4&transport=polling`;
        const { sid } = JSON.parse((await (await fetch(base)).text()).slice(1));
        const url = `${base}&sid=${sid}`;
        await fetch(url, { method: 'POST', body: '40' });
        assert.ok((await (await fetch(url)).text()).startsWith('40'));
        const held = fetch(url).then((response) => response.text());
        // Whether the server holds this GET before or after it handles the POST below, the
        // reference server answers it with the buffered "41" (closing only once drained).
        assert.equal(await (await fetch(url, { method: 'POST', body: '42["disconnect-close-me"]' })).text(), 'ok');
        const records = (await held).split('\x1e');
        assert.equal(records[0], '41', `the held poll carried ${JSON.stringify(records)}`);
    },
);

// The same with a stock client reading as usual: it must see the whole event, then
// "io server disconnect", and must not reconnect.
test('socket.io-client: a 20 MB event just before a server disconnect arrives, then "io server disconnect"', async () => {
    const socket = await connect(fixture.url, { transports: ['websocket'] });
    sockets.push(socket);
    let reconnectAttempts = 0;
    socket.io.on('reconnect_attempt', () => ++reconnectAttempts);
    const size = 20 * 1000 * 1000;
    const big = next(socket, 'big', 20000);
    const disconnected = next(socket, 'disconnect', 20000);
    socket.emit('big-then-disconnect-close-me', { size });
    const [text] = await big;
    assert.equal(text.length, size);
    const [reason] = await disconnected;
    assert.equal(reason, 'io server disconnect');
    assert.equal(socket.active, false);
    assert.equal(reconnectAttempts, 0);
});

// A session the server ends while much is still queued for it (more than the kernel takes):
// the message, the DISCONNECT packet and the close frame must all arrive, in order. The client
// reads nothing until the server has closed the session, so the server's close certainly
// happens with megabytes still unsent; deleting the session's sockets then used to abort them,
// and the client saw the connection drop (code 1006, "transport close", and it reconnected).
test('raw websocket: a large message sent just before the server closes the session arrives whole, then "41" and a close frame', async () => {
    const size = 20 * 1000 * 1000;
    const ws = new WebSocket(`${fixture.wsUrl}/socket.io/?EIO=4&transport=websocket`);
    const messages = [];
    ws.on('message', (data) => messages.push(data.toString()));
    const closed = new Promise((resolve) => ws.on('close', (code) => resolve(code)));
    await waitUntil(() => messages.length >= 1, 'the open packet');
    assert.equal(messages[0][0], '0');
    ws.send('40');
    await waitUntil(() => messages.length >= 2, 'the CONNECT answer');
    assert.ok(messages[1].startsWith('40'), messages[1]);
    const id = JSON.parse(messages[1].slice(2)).sid;
    ws.pause();
    ws.send(`42${JSON.stringify(['big-then-disconnect-close-me', { size }])}`);
    assert.equal(await serverReason(id), 'server namespace disconnect');
    // The client still talks meanwhile: the server must not leave that unread when it closes
    // (closing a socket with unread data resets the connection, and the kernel drops what it
    // has not sent yet).
    ws.send('42["still-here"]');
    ws.resume();
    const code = await withTimeout(closed, 20000, 'the close frame');
    const rest = messages.slice(2).filter((text) => !text.startsWith('42["welcome"'));
    assert.equal(rest.length, 2, `received ${rest.map((text) => text.slice(0, 20)).join(', ')}`);
    assert.equal(rest[0].length, `42["big",""]`.length + size, 'the whole message');
    assert.ok(rest[0].startsWith('42["big","xxx'));
    assert.equal(rest[1], '41');
    assert.equal(code, 1000, 'a close frame (1006: the connection dropped without one)');
});
