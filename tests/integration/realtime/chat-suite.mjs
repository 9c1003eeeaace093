// The chat suite, run against each store (chat-file.test.mjs, chat-redis.test.mjs): ordering
// between two viewers, acks, history on join and over HTTP, client_msg_id dedup across a forced
// reconnect, and history surviving an application restart.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
    assertChatMessage,
    assertConsecutive,
    barrier,
    chatHistory,
    closeAll,
    connect,
    EventLog,
    health,
    nextOf,
    ok,
    OPERATOR,
    postMany,
    removeDir,
    startApp,
    startRedis,
    uniqueId,
    VIEWER,
} from './helpers.mjs';

/** Defines the suite for `storage` ("file" or "redis"). */
export function chatSuite(storage) {
    let redis = null;
    let app = null;
    const homes = [];
    const sockets = [];
    // Sessions the tests wrote, with what they expect GET messages?limit=500 to answer, checked
    // again after the restart.
    const written = new Map();

    before(async () => {
        if (storage === 'redis') redis = await startRedis();
        app = await startApp({ redisUrl: redis?.url });
        homes.push(app.home);
    });

    after(async () => {
        closeAll(sockets);
        await app?.stop();
        await redis?.cleanup();
        for (const home of homes) await removeDir(home);
    });

    const viewer = (options) => connect(app, VIEWER, options, sockets);

    test(`health reports the ${storage} store`, async () => {
        const body = await health(app);
        assert.equal(body.status, 'ok');
        assert.equal(body.storage, storage);
        assert.equal(body.redis, storage === 'redis' ? 'connected' : 'disabled');
        assert.equal(typeof body.version, 'string');
        assert.equal(typeof body.uptime_s, 'number');
        assert.equal(typeof body.connections, 'number');
    });

    test('two viewers (polling-upgrade and polling-only) see each other\'s messages in one order', async () => {
        const sessionId = uniqueId('order');
        const a = await viewer();
        const b = await viewer({ transports: ['polling'] });
        const logA = new EventLog(a, ['chat_message']);
        const logB = new EventLog(b, ['chat_message']);
        for (const socket of [a, b]) {
            const joined = await ok(socket, 'join_chat_session', { session_id: sessionId });
            assert.equal(joined.session_id, sessionId);
            assert.deepEqual(joined.history, []);
        }

        // Both send at once, interleaved; the server picks the one order.
        const N = 15;
        const sends = [];
        for (let i = 0; i < N; ++i) {
            sends.push(ok(a, 'send_chat_message', { session_id: sessionId, text: `from a #${i}` }));
            sends.push(ok(b, 'send_chat_message', { session_id: sessionId, text: `from b #${i}` }));
        }
        const acks = await Promise.all(sends);
        await logA.waitForCount('chat_message', 2 * N);
        await logB.waitForCount('chat_message', 2 * N);
        await barrier(app, [logA, logB]);

        const seenA = logA.of('chat_message');
        const seenB = logB.of('chat_message');
        assert.equal(seenA.length, 2 * N, 'a received each message once');
        assert.equal(seenB.length, 2 * N, 'b received each message once');
        assert.deepEqual(seenA.map((m) => m.id), seenB.map((m) => m.id), 'the same order for both');
        assert.deepEqual(seenA.map((m) => m.seq), seenB.map((m) => m.seq));
        assertConsecutive(seenA, 'received');

        // Each ack carries the message exactly as broadcast; the sender got it as an event too.
        const byId = new Map(seenA.map((m) => [m.id, m]));
        for (const [index, ack] of acks.entries()) {
            const sender = index % 2 === 0 ? a : b;
            assertChatMessage(ack.message, { sessionId, kind: 'user', role: 'viewer', authorId: sender.id });
            assert.ok(!ack.duplicate, 'a first send is no duplicate');
            assert.deepEqual(byId.get(ack.message.id), ack.message, 'the event equals the ack');
            assert.deepEqual(seenB.find((m) => m.id === ack.message.id), ack.message);
        }
        // One client's messages keep the order it sent them in.
        const texts = seenA.map((m) => m.text);
        for (const who of ['a', 'b']) {
            const mine = texts.filter((t) => t.startsWith(`from ${who}`));
            assert.deepEqual(mine, Array.from({ length: N }, (_, i) => `from ${who} #${i}`));
        }
        // The history holds the same order.
        const history = await chatHistory(app, sessionId);
        assert.deepEqual(history.map((m) => m.id), seenA.map((m) => m.id));
        written.set(sessionId, await chatHistory(app, sessionId, 500));
    });

    test('an operator\'s message is of kind "operator"; a left session sends no more', async () => {
        const sessionId = uniqueId('kinds');
        const operator = await connect(app, OPERATOR, {}, sockets);
        const member = await viewer();
        const log = new EventLog(member, ['chat_message']);
        await ok(member, 'join_chat_session', { session_id: sessionId });
        const posted = await ok(operator, 'send_chat_message', { session_id: sessionId, text: 'hello from the operator' });
        assertChatMessage(posted.message, { sessionId, kind: 'operator', role: 'operator', authorId: operator.id, text: 'hello from the operator' });
        await log.waitForCount('chat_message', 1);
        assert.deepEqual(log.of('chat_message')[0], posted.message);

        await ok(member, 'leave_chat_session', { session_id: sessionId });
        await ok(operator, 'send_chat_message', { session_id: sessionId, text: 'after the leave' });
        await barrier(app, [log]);
        assert.equal(log.of('chat_message').length, 1, 'nothing after leave_chat_session');
        written.set(sessionId, await chatHistory(app, sessionId, 500));
    });

    test('history: join answers the last 50 oldest first; GET messages honours limit', async () => {
        const sessionId = uniqueId('history');
        // 216 messages (more than the server keeps in memory per session: the HTTP limit of 500
        // is answered from the store), from 12 sockets to stay within the chat rate limit.
        const senders = await Promise.all(Array.from({ length: 12 }, () => viewer({ transports: ['websocket'] })));
        const posted = await postMany(senders, sessionId, 18, 'history');
        assert.equal(posted.length, 216);
        assertConsecutive(posted, 'acked');

        const late = await viewer();
        const joined = await ok(late, 'join_chat_session', { session_id: sessionId });
        assert.equal(joined.history.length, 50);
        assert.deepEqual(joined.history, posted.slice(-50), 'the last 50, oldest first');

        assert.deepEqual(await chatHistory(app, sessionId), posted.slice(-50), 'default limit 50');
        assert.deepEqual(await chatHistory(app, sessionId, 7), posted.slice(-7));
        assert.deepEqual(await chatHistory(app, sessionId, 1), posted.slice(-1));
        assert.deepEqual(await chatHistory(app, sessionId, 200), posted.slice(-200));
        assert.deepEqual(await chatHistory(app, sessionId, 500), posted, 'everything (limit over the count)');
        assert.deepEqual(await chatHistory(app, uniqueId('never-used')), [], 'an unknown session is empty');
        written.set(sessionId, posted);
    });

    test('client_msg_id: a resend after a forced reconnect is answered duplicate:true and posted once', async () => {
        const sessionId = uniqueId('dedup');
        const sender = await viewer();
        const other = await viewer();
        const logSender = new EventLog(sender, ['chat_message']);
        const logOther = new EventLog(other, ['chat_message']);
        await ok(sender, 'join_chat_session', { session_id: sessionId });
        await ok(other, 'join_chat_session', { session_id: sessionId });

        const clientMsgId = `cm-${Date.now()}`;
        const first = await ok(sender, 'send_chat_message', { session_id: sessionId, text: 'only once', client_msg_id: clientMsgId });
        assert.ok(!first.duplicate);
        assert.equal(first.message.client_msg_id, clientMsgId);
        await logOther.waitForCount('chat_message', 1);

        // Drop the connection under the client: it reconnects by itself, with a new socket id.
        const oldId = sender.id;
        const reconnected = nextOf(sender, ['connect'], 10000);
        sender.io.engine.close();
        await reconnected;
        assert.notEqual(sender.id, oldId, 'a new connection');

        const again = await ok(sender, 'send_chat_message', { session_id: sessionId, text: 'only once', client_msg_id: clientMsgId });
        assert.equal(again.duplicate, true);
        assert.deepEqual(again.message, first.message, 'the message posted the first time');

        // A different message afterwards reaches both (the resend made the sender a member
        // again); by then the duplicate would have arrived too.
        const next = await ok(sender, 'send_chat_message', { session_id: sessionId, text: 'the next one', client_msg_id: `${clientMsgId}-2` });
        assert.ok(!next.duplicate);
        assert.equal(next.message.seq, first.message.seq + 1);
        await logOther.waitFor((l) => l.of('chat_message').some((m) => m.id === next.message.id), 'the next message at the other client');
        await logSender.waitFor((l) => l.of('chat_message').some((m) => m.id === next.message.id), 'the next message at the sender');
        await barrier(app, [logSender, logOther]);
        assert.deepEqual(logOther.of('chat_message').map((m) => m.id), [first.message.id, next.message.id]);
        assert.deepEqual(logSender.of('chat_message').map((m) => m.id), [first.message.id, next.message.id]);

        const history = await chatHistory(app, sessionId);
        assert.deepEqual(history, [first.message, next.message], 'posted once');
        written.set(sessionId, history);

        // The same client_msg_id in another session is another message.
        const elsewhere = uniqueId('dedup-elsewhere');
        const there = await ok(sender, 'send_chat_message', { session_id: elsewhere, text: 'only once', client_msg_id: clientMsgId });
        assert.ok(!there.duplicate);
        assert.equal(there.message.session_id, elsewhere);
        assert.notEqual(there.message.id, first.message.id);
    });

    test('client_msg_id: a send whose connection drops at once, resent after the reconnect, is posted once', async () => {
        const sessionId = uniqueId('dedup-lost');
        const sender = await viewer({ transports: ['websocket'] });
        const other = await viewer();
        const logOther = new EventLog(other, ['chat_message']);
        await ok(other, 'join_chat_session', { session_id: sessionId });

        // The connection closes right behind the message: its ack (if it was posted) is lost.
        const clientMsgId = `lost-${Date.now()}`;
        const payload = { session_id: sessionId, text: 'sent into the void', client_msg_id: clientMsgId };
        const reconnected = nextOf(sender, ['connect'], 10000);
        sender.emit('send_chat_message', payload);
        sender.io.engine.close();
        await reconnected;

        const resent = await ok(sender, 'send_chat_message', payload);
        assert.equal(resent.message.client_msg_id, clientMsgId);
        assert.equal(resent.message.text, 'sent into the void');
        await logOther.waitFor((l) => l.of('chat_message').some((m) => m.id === resent.message.id), 'the message at the other client');
        await barrier(app, [logOther]);
        assert.deepEqual(logOther.of('chat_message').map((m) => m.id), [resent.message.id], 'received once');
        assert.deepEqual(await chatHistory(app, sessionId), [resent.message], 'posted once');
        written.set(sessionId, [resent.message]);
    });

    test('history survives a restart of the application', async () => {
        assert.ok(written.size >= 4, 'the earlier tests wrote their sessions');
        closeAll(sockets);
        await app.stop();
        // File store: the same data directory. Redis: a fresh directory, the same Redis.
        app = await startApp(storage === 'file' ? { home: app.home } : { redisUrl: redis.url });
        homes.push(app.home);
        assert.equal((await health(app)).storage, storage);

        for (const [sessionId, before] of written) {
            assert.deepEqual(await chatHistory(app, sessionId, 500), before, `GET messages of ${sessionId} after the restart`);
        }
        const [sessionId, before] = [...written].find(([id]) => id.startsWith('history'));
        const late = await viewer();
        const joined = await ok(late, 'join_chat_session', { session_id: sessionId });
        assert.deepEqual(joined.history, before.slice(-50), 'history on join after the restart');
        // The order continues where it stopped.
        const posted = await ok(late, 'send_chat_message', { session_id: sessionId, text: 'after the restart' });
        assert.equal(posted.message.seq, before.at(-1).seq + 1);
        assert.deepEqual(await chatHistory(app, sessionId, 2), [before.at(-1), posted.message]);
    });
}
