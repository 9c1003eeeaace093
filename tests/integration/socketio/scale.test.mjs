// 500 WebSocket clients in one room each receive a burst of 100 broadcasts, all of them
// and in order.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { closeAll, connect, request, startFixture, withTimeout } from './helpers.mjs';

const CLIENTS = 500;
const BROADCASTS = 100;
const BATCH = 50; // connect in batches: the listen backlog is small

let fixture;
let sender;
const members = []; // {socket, seqs: []}

before(async () => {
    fixture = await startFixture();
    sender = await connect(fixture.url, { transports: ['websocket'] });
});

after(async () => {
    closeAll([sender, ...members.map((m) => m.socket)]);
    await fixture?.stop();
});

test(`${CLIENTS} websocket clients join a room`, async () => {
    for (let first = 0; first < CLIENTS; first += BATCH) {
        const batch = await Promise.all(
            Array.from({ length: Math.min(BATCH, CLIENTS - first) }, () => connect(fixture.url, { transports: ['websocket'] })),
        );
        for (const socket of batch) {
            const member = { socket, seqs: [] };
            socket.on('tick', (data) => member.seqs.push(data.seq));
            members.push(member);
        }
    }
    const joins = await Promise.all(members.map((m) => request(m.socket, 'join', { room: 'crowd' })));
    for (const [reply] of joins) assert.equal(reply.ok, true);
    assert.equal(new Set(members.map((m) => m.socket.id)).size, CLIENTS, 'distinct ids');
});

test(`a burst of ${BROADCASTS} broadcasts reaches every client, in order`, async () => {
    assert.equal(members.length, CLIENTS, 'the previous test connected everybody');
    const everyoneDone = Promise.all(
        members.map(
            (member) =>
                new Promise((resolve) => {
                    const check = () => {
                        if (member.seqs.length >= BROADCASTS) {
                            member.socket.off('tick', check);
                            resolve();
                        }
                    };
                    member.socket.on('tick', check);
                }),
        ),
    );
    const started = performance.now();
    // Emitted back to back, without waiting for acks in between.
    const acks = Array.from({ length: BROADCASTS }, (_, seq) =>
        request(sender, 'broadcast', { room: 'crowd', event: 'tick', data: { seq, pad: 'x'.repeat(64) } }),
    );
    const delivered = (await Promise.all(acks)).map(([reply]) => reply.delivered);
    assert.deepEqual(delivered, Array(BROADCASTS).fill(CLIENTS));
    await withTimeout(everyoneDone, 30_000, 'every client to receive every broadcast');
    const elapsed = performance.now() - started;

    const expected = Array.from({ length: BROADCASTS }, (_, i) => i);
    for (const [i, member] of members.entries()) {
        assert.deepEqual(member.seqs, expected, `client ${i} (${member.socket.id})`);
    }
    console.log(`# ${CLIENTS * BROADCASTS} deliveries in ${elapsed.toFixed(0)} ms`);
});
