// Acknowledgements both ways: client -> server (the server acks), server -> client (the
// fixture's "ask" emits to the client with an ack and reports the reply or the timeout).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { closeAll, connect, next, request, startFixture, STEP_TIMEOUT_MS, withTimeout } from './helpers.mjs';

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
    describe(`acks over ${transport}`, () => {
        let socket;

        before(async () => {
            socket = await connect(fixture.url, { transports: [transport] });
            sockets.push(socket);
        });

        test('client -> server: emitWithAck resolves with the reply', async () => {
            const reply = await socket.timeout(5000).emitWithAck('echo', { hello: 'world' });
            assert.deepEqual(reply, { hello: 'world' });
        });

        test('client -> server: an ack with several arguments keeps them all', async () => {
            assert.deepEqual(await request(socket, 'echo', 1, 'two', [3]), [1, 'two', [3]]);
        });

        test('client -> server: an ack with no arguments', async () => {
            assert.deepEqual(await request(socket, 'echo'), []);
        });

        test('server -> client: the client reply reaches the server', async () => {
            socket.once('question', (data, answer) => answer({ got: data }, 'second'));
            const resultPromise = next(socket, 'ask-result');
            socket.emit('ask', { event: 'question', data: { n: 7 }, timeout: 5000 });
            const [result] = await resultPromise;
            assert.equal(result.ok, true, JSON.stringify(result));
            assert.deepEqual(result.reply, [{ got: { n: 7 } }, 'second']);
        });

        test('server -> client: concurrent asks get their own replies', async () => {
            socket.on('square', (n, answer) => answer(n * n));
            const results = [];
            const all = new Promise((resolve) => {
                const onResult = (result) => {
                    results.push(result);
                    if (results.length === 20) {
                        socket.off('ask-result', onResult);
                        resolve();
                    }
                };
                socket.on('ask-result', onResult);
            });
            for (let i = 0; i < 20; ++i) socket.emit('ask', { event: 'square', data: i, timeout: 5000 });
            await withTimeout(all, STEP_TIMEOUT_MS, '20 ask results');
            socket.off('square');
            const squares = results.map((r) => (assert.equal(r.ok, true), r.reply[0])).sort((a, b) => a - b);
            assert.deepEqual(squares, Array.from({ length: 20 }, (_, i) => i * i));
        });

        test('server -> client: times out when the client does not answer, a late answer is ignored', async () => {
            let lateAnswer;
            socket.once('ignored-question', (_data, answer) => {
                lateAnswer = answer; // keep it, answer only after the server gave up
            });
            const resultPromise = next(socket, 'ask-result');
            socket.emit('ask', { event: 'ignored-question', data: 'anyone?', timeout: 200 });
            const [result] = await resultPromise;
            assert.equal(result.ok, false);
            assert.equal(result.error, 'timeout');
            assert.ok(result.elapsedMs >= 190, `timed out after only ${result.elapsedMs} ms`);
            assert.equal(typeof lateAnswer, 'function', 'the client received the question');

            let strayResults = 0;
            const countStray = () => ++strayResults;
            socket.on('ask-result', countStray);
            lateAnswer('too late');
            // The stray ack must neither reach the finished callback (which would emit another
            // ask-result, before this echo's ack on the same connection) nor close the connection.
            assert.deepEqual(await request(socket, 'echo', 'still here'), ['still here']);
            socket.off('ask-result', countStray);
            assert.equal(strayResults, 0);
            assert.ok(socket.connected);
        });
    });
}
