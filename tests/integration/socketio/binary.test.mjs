// Binary arguments both ways, over WebSocket (binary frames) and long-polling (base64
// records): Buffers at the top level, nested in objects and arrays, several attachments,
// empty and large ones; binary acks both ways.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { closeAll, connect, next, request, startFixture } from './helpers.mjs';

let fixture;
const sockets = [];

before(async () => {
    fixture = await startFixture();
});

after(async () => {
    closeAll(sockets);
    await fixture?.stop();
});

function bytes(length, seed) {
    const buffer = Buffer.alloc(length);
    for (let i = 0; i < length; ++i) buffer[i] = (i * 31 + seed) & 0xff;
    return buffer;
}

/** Fails unless every Buffer in `expected` is a Buffer at the same place in `actual`. */
function assertBuffersAt(actual, expected, where = 'args') {
    if (Buffer.isBuffer(expected)) {
        assert.ok(Buffer.isBuffer(actual), `${where} is a ${typeof actual}, not a Buffer`);
        return;
    }
    if (expected && typeof expected === 'object') {
        for (const key of Object.keys(expected)) assertBuffersAt(actual?.[key], expected[key], `${where}.${key}`);
    }
}

for (const transport of ['websocket', 'polling']) {
    describe(`binary over ${transport}`, () => {
        let socket;

        before(async () => {
            socket = await connect(fixture.url, { transports: [transport] });
            sockets.push(socket);
        });

        test('a Buffer argument comes back as the same Buffer', async () => {
            const buffer = bytes(1024, 1);
            const reply = await request(socket, 'echo', buffer);
            assertBuffersAt(reply, [buffer]);
            assert.deepEqual(reply, [buffer]);
        });

        test('Buffers nested in objects and arrays, mixed with JSON', async () => {
            const args = [
                'label',
                { image: bytes(100, 2), meta: { frames: [bytes(3, 3), 7, { thumb: bytes(10, 4) }] } },
                [bytes(1, 5), 'x', [bytes(2, 6)]],
                42,
            ];
            const reply = await request(socket, 'echo', ...args);
            assertBuffersAt(reply, args);
            assert.deepEqual(reply, args);
        });

        test('ten attachments in one event (the parser limit) and an empty Buffer', async () => {
            const args = Array.from({ length: 9 }, (_, i) => bytes(i * 10 + 1, i));
            args.push({ empty: Buffer.alloc(0) });
            const reply = await request(socket, 'echo', ...args);
            assertBuffersAt(reply, args);
            assert.deepEqual(reply, args);
        });

        test('a 200 KB Buffer', async () => {
            const big = bytes(200 * 1024, 9);
            const [reply] = await request(socket, 'echo', { big });
            assert.ok(Buffer.isBuffer(reply.big));
            assert.ok(reply.big.equals(big), 'the bytes differ');
        });

        test('server -> client: nested Buffers arrive as Buffers, and a binary ack', async () => {
            const eventPromise = next(socket, 'binary');
            const ackPromise = request(socket, 'binary-to-me');
            const [first, second] = await eventPromise;
            const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
            const expected = {
                nested: { buf: all },
                list: [Buffer.from('abc'), 1, { deep: Buffer.alloc(0) }],
                text: 'plain',
            };
            assertBuffersAt(first, expected, 'first');
            assert.deepEqual(first, expected);
            assert.ok(Buffer.isBuffer(second));
            assert.deepEqual(second, Buffer.from('second argument'));

            const [ack] = await ackPromise;
            assertBuffersAt(ack, { ack: Buffer.alloc(0) }, 'ack');
            assert.deepEqual(ack, { ack: Buffer.from([0x00, 0xff, 0x20, 0x61, 0x63, 0x6b]) });
        });

        test('server -> client with binary data, client acks with binary', async () => {
            socket.once('binary-question', (data, answer) => {
                answer({ doubled: Buffer.concat([data.payload, data.payload]) }, Buffer.from('tail'));
            });
            const resultPromise = next(socket, 'ask-result');
            socket.emit('ask', { event: 'binary-question', data: { payload: bytes(50, 7) }, timeout: 5000 });
            const [result] = await resultPromise;
            assert.equal(result.ok, true, JSON.stringify(result));
            const expectedReply = [{ doubled: Buffer.concat([bytes(50, 7), bytes(50, 7)]) }, Buffer.from('tail')];
            assertBuffersAt(result.reply, expectedReply, 'reply');
            assert.deepEqual(result.reply, expectedReply);
        });

        test('binary in a broadcast reaches the members as Buffers', async () => {
            await request(socket, 'join', { room: `bin-${transport}` });
            const eventPromise = next(socket, 'bin-broadcast');
            const [{ delivered }] = await request(socket, 'broadcast', {
                room: `bin-${transport}`,
                event: 'bin-broadcast',
                data: { frame: bytes(64, 8), list: [bytes(8, 9)] },
            });
            assert.equal(delivered, 1);
            const [data] = await eventPromise;
            const expected = { frame: bytes(64, 8), list: [bytes(8, 9)] };
            assertBuffersAt(data, expected, 'data');
            assert.deepEqual(data, expected);
        });
    });
}

// socket.io-parser reconstructs placeholders only in BINARY_EVENT / BINARY_ACK packets with
// attachments; in a plain EVENT an object {_placeholder: true, num: 0} is ordinary data and
// the reference server echoes it, and so must we.
for (const transport of ['websocket', 'polling']) {
    test(
        `over ${transport}: a plain object shaped like a placeholder is data, not an attachment reference`,
        async () => {
            const socket = await connect(fixture.url, { transports: [transport], reconnection: false });
            sockets.push(socket);
            const value = { _placeholder: true, num: 0 };
            assert.deepEqual(await request(socket, 'echo', 'data', value), ['data', value]);
            assert.ok(socket.connected);
        },
    );
}
