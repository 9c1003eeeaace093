// Rooms, broadcast and except with several clients: the delivered counts the server reports
// match who received the event, and non-members receive nothing.
//
// "Receives nothing" is checked without sleeping: after the broadcast under test, a barrier
// event is broadcast to the whole namespace. Each connection delivers in order, so once a
// client has the barrier it would already have had the earlier event.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { call, closeAll, connect, request, startFixture, STEP_TIMEOUT_MS, waitUntil, withTimeout } from './helpers.mjs';

let fixture;
let clients; // name -> {socket, received: [{event, data}]}
let sender;

const membership = {
    a1: ['a'],
    a2: ['a'],
    b1: ['b'],
    ab: ['a', 'b'],
    none: [],
    sender: [], // emits the broadcasts
};

before(async () => {
    fixture = await startFixture();
    clients = {};
    const names = Object.keys(membership);
    const sockets = await Promise.all(
        names.map((name, i) => connect(fixture.url, { transports: [i % 2 ? 'polling' : 'websocket'] })),
    );
    for (const [i, name] of names.entries()) {
        const client = { socket: sockets[i], received: [] };
        client.socket.onAny((event, data) => client.received.push({ event, data }));
        clients[name] = client;
        for (const room of membership[name]) {
            const [reply] = await request(client.socket, 'join', { room });
            assert.ok(reply.rooms.includes(room));
        }
    }
    sender = clients.sender.socket;
});

after(async () => {
    closeAll(Object.values(clients ?? {}).map((c) => c.socket));
    await fixture?.stop();
});

let barrierCount = 0;

/** Broadcasts `spec`, then a barrier to everybody; returns {delivered, got: {name: [data]}}. */
async function broadcastAndCollect(spec) {
    for (const client of Object.values(clients)) client.received = [];
    const barrier = `barrier-${++barrierCount}`;
    const [{ delivered }] = await request(sender, 'broadcast', spec);
    const barriers = Object.values(clients).map((client) =>
        waitUntil(() => client.received.some((r) => r.event === barrier), `${barrier} reached every client`),
    );
    const [{ delivered: barrierDelivered }] = await request(sender, 'broadcast', { event: barrier, data: null });
    await withTimeout(Promise.all(barriers), STEP_TIMEOUT_MS, barrier);
    assert.equal(barrierDelivered, Object.keys(clients).length, 'the barrier reaches every socket');
    const got = {};
    for (const [name, client] of Object.entries(clients)) {
        got[name] = client.received.filter((r) => r.event === spec.event).map((r) => r.data);
    }
    return { delivered, got };
}

function receivers(got) {
    return Object.keys(got)
        .filter((name) => got[name].length > 0)
        .sort();
}

test('the server reports the rooms each socket is in (its own id included)', async () => {
    for (const [name, rooms] of Object.entries(membership)) {
        const info = await call(clients[name].socket, 'info');
        assert.deepEqual(info.rooms, [...rooms, clients[name].socket.id].sort(), name);
    }
});

test('broadcast to a room reaches exactly its members, once each', async () => {
    const { delivered, got } = await broadcastAndCollect({ room: 'a', event: 'to-a', data: { n: 1 } });
    assert.equal(delivered, 3);
    assert.deepEqual(receivers(got), ['a1', 'a2', 'ab']);
    for (const name of ['a1', 'a2', 'ab']) assert.deepEqual(got[name], [{ n: 1 }], name);
});

test('broadcast to a room except another room', async () => {
    const { delivered, got } = await broadcastAndCollect({ room: 'a', except: 'b', event: 'a-not-b', data: 'x' });
    assert.equal(delivered, 2);
    assert.deepEqual(receivers(got), ['a1', 'a2']);
});

test('broadcast to two rooms reaches a member of both only once', async () => {
    const { delivered, got } = await broadcastAndCollect({ rooms: ['a', 'b'], event: 'a-or-b', data: [1] });
    assert.equal(delivered, 4);
    assert.deepEqual(receivers(got), ['a1', 'a2', 'ab', 'b1']);
    assert.deepEqual(got.ab, [[1]]);
});

test('broadcast to the whole namespace', async () => {
    const { delivered, got } = await broadcastAndCollect({ event: 'everybody', data: 'hi' });
    assert.equal(delivered, 6);
    assert.deepEqual(receivers(got), ['a1', 'a2', 'ab', 'b1', 'none', 'sender']);
});

test('broadcast to everybody except single sockets (their own rooms)', async () => {
    const { delivered, got } = await broadcastAndCollect({ except: [clients.none.socket.id, sender.id], event: 'all-but', data: 0 });
    assert.equal(delivered, 4);
    assert.deepEqual(receivers(got), ['a1', 'a2', 'ab', 'b1']);
});

test('broadcast to a room nobody is in delivers to nobody', async () => {
    const { delivered, got } = await broadcastAndCollect({ room: 'empty', event: 'nobody', data: 0 });
    assert.equal(delivered, 0);
    assert.deepEqual(receivers(got), []);
});

test('after leaving, a socket no longer receives the room', async () => {
    const [left] = await request(clients.a2.socket, 'leave', { room: 'a' });
    assert.ok(!left.rooms.includes('a'));
    const { delivered, got } = await broadcastAndCollect({ room: 'a', event: 'after-leave', data: 2 });
    assert.equal(delivered, 2);
    assert.deepEqual(receivers(got), ['a1', 'ab']);
});

test('a disconnected socket is removed from its rooms', async () => {
    const gone = clients.a1;
    const goneId = gone.socket.id;
    gone.socket.disconnect();
    delete clients.a1;
    await waitUntil(async () => (await call(sender, 'reason-of', { id: goneId })).reason, 'the server saw the disconnect');
    assert.equal((await call(sender, 'reason-of', { id: goneId })).reason, 'client namespace disconnect');
    const { delivered, got } = await broadcastAndCollect({ room: 'a', event: 'after-disconnect', data: 3 });
    assert.equal(delivered, 1);
    assert.deepEqual(receivers(got), ['ab']);
});
