// Namespaces with middleware: /auth accepts auth {token: "secret"} and refuses anything
// else with a CONNECT_ERROR {message: "unauthorized", data: {reason: "bad token"}}.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { call, clientOptions, closeAll, connect, Manager, next, nextOf, startFixture, waitUntil } from './helpers.mjs';

let fixture;
const sockets = [];
const managers = [];

before(async () => {
    fixture = await startFixture();
});

after(async () => {
    closeAll(sockets);
    for (const manager of managers) manager.engine?.close();
    await fixture?.stop();
});

/** Connects and resolves with the connect_error; fails if the connection is accepted. */
async function refusal(url, options) {
    let socket;
    try {
        socket = await connect(url, options);
    } catch (error) {
        return error;
    }
    socket.disconnect();
    assert.fail(`${url} accepted the connection`);
}

for (const transport of ['websocket', 'polling']) {
    test(`accepted with the right token over ${transport}; whoami sees the middleware's data`, async () => {
        const socket = await connect(`${fixture.url}/auth`, { transports: [transport], auth: { token: 'secret', user: 'alice' } });
        sockets.push(socket);
        const me = await call(socket, 'whoami');
        assert.deepEqual(me, { id: socket.id, nsp: '/auth', user: 'alice' });
    });
}

test('refused with a wrong token: connect_error with message and data', async () => {
    const error = await refusal(`${fixture.url}/auth`, { auth: { token: 'wrong' } });
    assert.equal(error.message, 'unauthorized');
    assert.deepEqual(error.data, { reason: 'bad token' });
});

test('refused without auth at all', async () => {
    const error = await refusal(`${fixture.url}/auth`, { transports: ['polling'] });
    assert.equal(error.message, 'unauthorized');
    assert.deepEqual(error.data, { reason: 'bad token' });
});

test('a refused socket is not active (the client does not retry a middleware refusal)', async () => {
    const manager = new Manager(fixture.url, clientOptions());
    managers.push(manager);
    const socket = manager.socket('/auth', { auth: { token: 'nope' } });
    socket.connect();
    const [error] = await next(socket, 'connect_error');
    assert.equal(error.message, 'unauthorized');
    assert.equal(socket.connected, false);
    assert.equal(socket.active, false);
});

test('an unknown namespace is refused with "Invalid namespace"', async () => {
    const error = await refusal(`${fixture.url}/no-such-namespace`);
    assert.equal(error.message, 'Invalid namespace');
});

/** A manager's socket for `nsp`, connected (or refused: resolves with the error). */
async function open(manager, nsp, options) {
    const socket = manager.socket(nsp, options);
    const outcome = nextOf(socket, ['connect', 'connect_error']);
    socket.connect();
    const { event, args } = await outcome;
    const error = event === 'connect_error' ? args[0] : null;
    sockets.push(socket);
    return { socket, error };
}

test('one connection multiplexes "/" and "/auth"', async () => {
    const manager = new Manager(fixture.url, clientOptions({ transports: ['websocket'] }));
    managers.push(manager);
    const { socket: main } = await open(manager, '/');
    const before = await call(main, 'stats');

    const { socket: authed, error } = await open(manager, '/auth', { auth: { token: 'secret', user: 'bob' } });
    assert.equal(error, null);
    const [after, me] = await Promise.all([call(main, 'stats'), call(authed, 'whoami')]);
    assert.deepEqual(me, { id: authed.id, nsp: '/auth', user: 'bob' });
    assert.notEqual(main.id, authed.id);
    assert.equal(after.clients, before.clients, 'no second connection');
    assert.equal(after.sockets['/auth'], before.sockets['/auth'] + 1);

    authed.disconnect();
    await waitUntil(async () => (await call(main, 'reason-of', { id: me.id })).reason, 'the server saw /auth leave');
    assert.equal((await call(main, 'reason-of', { id: me.id })).reason, 'client namespace disconnect');
    assert.ok(main.connected, 'leaving /auth keeps "/" connected');
    assert.equal(await call(main, 'echo', 'still'), 'still');
    assert.equal((await call(main, 'stats')).clients, before.clients);
});

test('a refusal on "/auth" leaves "/" on the same connection alone', async () => {
    const manager = new Manager(fixture.url, clientOptions({ transports: ['polling'] }));
    managers.push(manager);
    const { socket: main } = await open(manager, '/');
    const before = await call(main, 'stats');
    const { error } = await open(manager, '/auth', { auth: { token: 'bad' } });
    assert.equal(error?.message, 'unauthorized');
    assert.deepEqual(error.data, { reason: 'bad token' });
    assert.ok(main.connected);
    assert.equal(await call(main, 'echo', 'still'), 'still');
    const after = await call(main, 'stats');
    assert.equal(after.clients, before.clients);
    assert.equal(after.sockets['/auth'], before.sockets['/auth']);
});

test('after the connection closes, "/" and "/auth" both reconnect, /auth with its auth again', async () => {
    const manager = new Manager(fixture.url, clientOptions({ transports: ['websocket'] }));
    managers.push(manager);
    const { socket: main } = await open(manager, '/');
    const { socket: authed } = await open(manager, '/auth', { auth: { token: 'secret', user: 'carol' } });
    const ids = [main.id, authed.id];
    const reconnected = next(manager, 'reconnect');
    const mainBack = nextOf(main, ['connect'], 10_000);
    const authBack = nextOf(authed, ['connect', 'connect_error'], 10_000);
    main.emit('close-me');
    await reconnected;
    await mainBack;
    const { event } = await authBack;
    assert.equal(event, 'connect', 'the middleware accepted the auth sent again');
    assert.notEqual(main.id, ids[0]);
    assert.notEqual(authed.id, ids[1]);
    assert.deepEqual(await call(authed, 'whoami'), { id: authed.id, nsp: '/auth', user: 'carol' });
    assert.equal(await call(main, 'echo', 'back'), 'back');
});
