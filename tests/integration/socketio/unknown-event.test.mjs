// An event the server has no handler for, even one asking for an ack, is ignored: the
// connection stays open and later events work (as with the reference server).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { call, closeAll, connect, request, startFixture } from './helpers.mjs';

let fixture;
const sockets = [];

before(async () => {
    fixture = await startFixture();
});

after(async () => {
    closeAll(sockets);
    await fixture?.stop();
});

for (const transport of ['websocket', 'polling']) {
    describe(`over ${transport}`, () => {
        let socket;
        let disconnects = 0;

        before(async () => {
            socket = await connect(fixture.url, { transports: [transport] });
            sockets.push(socket);
            socket.on('disconnect', () => ++disconnects);
        });

        test('an unknown event with an ack gets no answer and does not close the connection', async () => {
            const id = socket.id;
            let answered = false;
            socket.emit('no-such-event', { x: 1 }, Buffer.from('bin'), () => {
                answered = true;
            });
            // The server handles a connection's events in order: had it answered the unknown
            // event, that ack would arrive before this one.
            assert.deepEqual(await request(socket, 'echo', 'later'), ['later']);
            assert.equal(answered, false, 'the server answered an event it has no handler for');
            assert.ok(socket.connected);
            assert.equal(socket.id, id);
            const info = await call(socket, 'info');
            assert.equal(info.unknownEvents, 1, 'the server received the unknown event');
            assert.equal(disconnects, 0);
        });

        test('unknown events without an ack, many of them, keep the connection', async () => {
            for (let i = 0; i < 20; ++i) socket.emit(`unknown-${i}`, i);
            assert.deepEqual(await request(socket, 'echo', 'after many'), ['after many']);
            assert.equal((await call(socket, 'info')).unknownEvents, 21);
            assert.equal(disconnects, 0);
            assert.ok(socket.connected);
        });
    });
}
