// Transports: the default client (long-polling, then upgrade to WebSocket), WebSocket only
// and long-polling only; echo, acks and binary on each.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { call, clientOptions, closeAll, connect, io, next, NodeWebSocket, NodeXHR, request, startFixture, withTimeout } from './helpers.mjs';

let fixture;
const sockets = [];

before(async () => {
    fixture = await startFixture();
});

after(async () => {
    closeAll(sockets);
    await fixture?.stop();
});

async function open(options) {
    const socket = await connect(fixture.url, options);
    sockets.push(socket);
    return socket;
}

/** The stock WebSocket transport, opening (and so upgrading) only once released. */
function heldWebSocket() {
    let release;
    const gate = new Promise((resolve) => (release = resolve));
    class HeldWebSocket extends NodeWebSocket {
        doOpen() {
            gate.then(() => super.doOpen());
        }
    }
    return { transport: HeldWebSocket, release };
}

describe('default options', () => {
    test('connects over polling, upgrades to websocket, echo works at connect and after', async () => {
        const socket = io(fixture.url, clientOptions());
        sockets.push(socket);
        // The engine exists as soon as io() returns: listen before the upgrade can happen.
        assert.equal(socket.io.engine.transport.name, 'polling');
        const upgraded = next(socket.io.engine, 'upgrade');
        await next(socket, 'connect');
        // Whether this goes over polling or already over websocket is a race (as with the
        // reference server); the next test holds the upgrade back to make it certain.
        assert.deepEqual(await request(socket, 'echo', 'at connect', { n: 1 }), ['at connect', { n: 1 }]);

        await upgraded;
        assert.equal(socket.io.engine.transport.name, 'websocket');
        const info = await call(socket, 'info');
        assert.equal(info.transport, 'websocket', 'the server sees the upgraded transport');
        assert.equal(info.id, socket.id);
        assert.deepEqual(await request(socket, 'echo', 'after', [1, 2, 3]), ['after', [1, 2, 3]]);
    });

    test('nothing is lost or reordered while 20 echoes are in flight across the upgrade', async () => {
        const held = heldWebSocket();
        const socket = io(fixture.url, clientOptions({ transports: [NodeXHR, held.transport] }));
        sockets.push(socket);
        const upgraded = next(socket.io.engine, 'upgrade', 10_000);
        const order = [];
        const ackTransports = [];
        let sent = 0;
        let stopAt = Infinity;
        const done = new Promise((resolve, reject) => {
            const sendOne = () => {
                const n = sent++;
                socket.timeout(5000).emit('echo', n, Buffer.from([n & 0xff]), (error, value, buffer) => {
                    if (error) return reject(error);
                    order.push(value);
                    ackTransports.push(socket.io.engine.transport.name);
                    if (!Buffer.isBuffer(buffer) || buffer[0] !== (n & 0xff)) reject(new Error(`bad buffer for ${n}`));
                    if (order.length === 30) held.release(); // upgrade with echoes in flight
                    if (sent < stopAt) sendOne();
                    else if (order.length === sent) resolve();
                });
            };
            for (let i = 0; i < 20; ++i) sendOne();
        });
        await upgraded;
        stopAt = sent + 50;
        await withTimeout(done, 10_000, 'every echo');
        assert.deepEqual(order, Array.from({ length: sent }, (_, i) => i));
        assert.ok(ackTransports.slice(0, 30).every((t) => t === 'polling'));
        assert.ok(ackTransports.slice(-50).every((t) => t === 'websocket'));
    });

    test('echo over polling while the upgrade is held back, then over websocket', async () => {
        const held = heldWebSocket();
        const socket = io(fixture.url, clientOptions({ transports: [NodeXHR, held.transport] }));
        sockets.push(socket);
        const upgraded = next(socket.io.engine, 'upgrade');
        await next(socket, 'connect');
        const received = [];
        socket.io.engine.on('packet', (packet) => {
            if (packet.type === 'message') received.push(socket.io.engine.transport.name);
        });

        assert.equal(socket.io.engine.transport.name, 'polling');
        assert.deepEqual(await request(socket, 'echo', 'before', Buffer.from('b')), ['before', Buffer.from('b')]);
        assert.equal((await call(socket, 'info')).transport, 'polling');
        assert.deepEqual(received, ['polling', 'polling', 'polling'], 'two acks (one binary) over polling');

        held.release();
        await upgraded;
        assert.equal(socket.io.engine.transport.name, 'websocket');
        assert.equal((await call(socket, 'info')).transport, 'websocket');
        assert.deepEqual(await request(socket, 'echo', 'after', Buffer.from('a')), ['after', Buffer.from('a')]);
        assert.deepEqual(received.slice(3), ['websocket', 'websocket', 'websocket']);
    });
});

for (const transport of ['websocket', 'polling']) {
    describe(`${transport} only`, () => {
        let socket;

        before(async () => {
            socket = await open({ transports: [transport] });
        });

        test('an event emitted by the server on connection arrives after "connect"', async () => {
            const fresh = io(fixture.url, clientOptions({ transports: [transport] }));
            sockets.push(fresh);
            const order = [];
            fresh.on('connect', () => order.push('connect'));
            const welcome = next(fresh, 'welcome');
            fresh.on('welcome', () => order.push('welcome'));
            const [data] = await welcome;
            assert.deepEqual(data, { id: fresh.id });
            assert.deepEqual(order, ['connect', 'welcome']);
        });

        test('uses only that transport', async () => {
            assert.equal(socket.io.engine.transport.name, transport);
            const info = await call(socket, 'info');
            assert.equal(info.transport, transport);
            assert.equal(info.id, socket.id);
        });

        test('echo with several arguments of every JSON type', async () => {
            const args = ['text', 42, -1.5, true, false, null, { a: { b: ['c', 1] } }, [], {}, 'ünïcødé ✓ 🎥'];
            assert.deepEqual(await request(socket, 'echo', ...args), args);
        });

        test('acks of concurrent emits are matched by id', async () => {
            const replies = await Promise.all(
                Array.from({ length: 50 }, (_, i) => request(socket, 'echo', i, `n${i}`)),
            );
            replies.forEach((reply, i) => assert.deepEqual(reply, [i, `n${i}`]));
        });

        test('binary echo', async () => {
            const payload = { buf: Buffer.from([0, 1, 2, 253, 254, 255]), list: [Buffer.from('xyz')] };
            const [reply] = await request(socket, 'echo', payload);
            assert.ok(Buffer.isBuffer(reply.buf));
            assert.deepEqual(reply, payload);
        });

        test('stays on the transport', () => {
            assert.equal(socket.io.engine.transport.name, transport);
            assert.ok(socket.connected);
        });
    });
}
