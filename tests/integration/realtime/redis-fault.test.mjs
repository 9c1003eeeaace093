// Redis goes away while two clients chat: the server keeps acknowledging, health says "down",
// Redis comes back on the same port, health says "connected", and every acknowledged message
// is in the history, in order. The writes buffered meanwhile reach Redis: an app started
// afterwards on the same Redis reads them from there.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
    assertConsecutive,
    call,
    chatHistory,
    closeAll,
    connect,
    EventLog,
    freePort,
    health,
    ok,
    redisCommand,
    redisServerPath,
    removeDir,
    startApp,
    startRedis,
    uniqueId,
    VIEWER,
    waitUntil,
} from './helpers.mjs';

describe('Redis restart while chatting', { skip: redisServerPath ? false : 'redis-server not found' }, () => {
    let redis;
    let app;
    let second;
    const sockets = [];

    before(async () => {
        redis = await startRedis();
        app = await startApp({ redisUrl: redis.url });
    });

    after(async () => {
        closeAll(sockets);
        await second?.stop();
        await app?.stop();
        await redis?.cleanup();
        await removeDir(app?.home);
        await removeDir(second?.home);
    });

    test('every acknowledged message survives a Redis restart, in order', async () => {
        const session = uniqueId('fault');
        const a = await connect(app, VIEWER, { transports: ['websocket'] }, sockets);
        const b = await connect(app, VIEWER, { transports: ['polling'] }, sockets);
        const logB = new EventLog(b, ['chat_message']);
        await ok(a, 'join_chat_session', { session_id: session });
        await ok(b, 'join_chat_session', { session_id: session });
        assert.equal((await health(app)).redis, 'connected');

        const acked = [];
        // Five messages from each client, alternating, each waiting for its ack (within the
        // chat limit: 15 per client in all, under the burst of 20).
        const chat = async (phase) => {
            for (let i = 0; i < 5; ++i) {
                for (const [who, socket] of [['a', a], ['b', b]]) {
                    const reply = await ok(socket, 'send_chat_message', { session_id: session, text: `${phase} ${who}${i}` });
                    acked.push(reply.message);
                }
            }
        };

        await chat('before');
        await redis.stop();
        const down = await waitUntil(async () => {
            const body = await health(app);
            return body.redis === 'down' ? body : null;
        }, 'health reports redis "down"');
        assert.equal(down.storage, 'redis');

        await chat('during');
        assert.equal((await health(app)).redis, 'down', 'still down: these were buffered');
        const whileDown = await chatHistory(app, session, 500);
        assert.deepEqual(whileDown.map((m) => m.id), acked.map((m) => m.id), 'the history answers while Redis is down');

        await redis.start();
        await waitUntil(async () => (await health(app)).redis === 'connected', 'health reports redis "connected" again', 15000);
        await chat('after');

        assertConsecutive(acked, 'acked');
        const history = await chatHistory(app, session, 500);
        assert.deepEqual(history, acked, 'every acknowledged message, in order');
        await logB.waitForCount('chat_message', acked.length);
        assert.deepEqual(logB.of('chat_message').map((m) => m.id), acked.map((m) => m.id), 'b saw them all, in the same order');

        // The buffered and later writes are in Redis itself: a second app on the same Redis
        // (no file store, an empty cache) reads them. The ones from before the restart were
        // lost by redis-server, which runs without persistence here (--save ''), unless the
        // server wrote them again: either way nothing is missing in between or doubled.
        second = await startApp({ redisUrl: redis.url });
        const fromRedis = await chatHistory(second, session, 500);
        const since = acked.filter((m) => !m.text.startsWith('before'));
        const expected = fromRedis.length === acked.length ? acked : since;
        assert.deepEqual(fromRedis, expected, 'the messages written since the restart are in Redis, in order, once');
    });

    // With Redis unreachable from the start, the history of a session cannot be known: the
    // server says so (error "unavailable") rather than answer an empty history and restart the
    // order; it serves everything else, and chat as soon as Redis is reachable.
    test('the app starts with Redis unreachable, refuses chat it cannot order, and serves it once Redis is up', async () => {
        const port = await freePort();
        const early = await startApp({ redisUrl: `redis://127.0.0.1:${port}/0` });
        let late = null;
        let lateRedis = null;
        try {
            const body = await health(early);
            assert.equal(body.storage, 'redis');
            assert.equal(body.redis, 'down');
            const session = uniqueId('no-redis-yet');
            const socket = await connect(early, VIEWER, {}, sockets);
            const refused = await call(socket, 'join_chat_session', { session_id: session });
            assert.equal(refused.ok, false);
            assert.equal(refused.error.code, 'unavailable');
            const refusedPost = await call(socket, 'send_chat_message', { session_id: session, text: 'too early' });
            assert.equal(refusedPost.ok, false);
            assert.equal(refusedPost.error.code, 'unavailable');

            lateRedis = await startRedis({ port });
            await waitUntil(async () => (await health(early)).redis === 'connected', 'health reports redis "connected"', 15000);
            assert.deepEqual((await ok(socket, 'join_chat_session', { session_id: session })).history, []);
            const acked = [];
            for (let i = 0; i < 3; ++i) acked.push((await ok(socket, 'send_chat_message', { session_id: session, text: `m${i}` })).message);
            assertConsecutive(acked, 'acked once Redis is up');
            late = await startApp({ redisUrl: lateRedis.url });
            assert.deepEqual(await chatHistory(late, session, 500), acked, 'the buffered messages reached Redis');
        } finally {
            closeAll(sockets);
            await late?.stop();
            await early.stop();
            await lateRedis?.cleanup();
            await removeDir(early.home);
            await removeDir(late?.home);
        }
    });

    // Server bug (reported): ChatService treats a session whose history cannot be loaded (Redis
    // down, session not cached by this instance) as empty and as loaded: join answers history
    // [], new messages start again at seq 1, and the instance keeps that view after Redis is
    // back. Redis here keeps its data over the restart (SAVE before the stop), as a production
    // Redis with persistence does.
    test('a session this instance has not cached yet keeps its history and order across a Redis outage', async () => {
        const session = uniqueId('uncached');
        const writer = await startApp({ redisUrl: redis.url });
        let reader = null;
        let fresh = null;
        try {
            const socket = await connect(writer, VIEWER, {}, sockets);
            const old = [];
            for (let i = 0; i < 5; ++i) old.push((await ok(socket, 'send_chat_message', { session_id: session, text: `old ${i}` })).message);
            closeAll(sockets);
            await writer.stop();

            reader = await startApp({ redisUrl: redis.url }); // nothing of the session cached
            const client = await connect(reader, VIEWER, {}, sockets);
            assert.equal(await redisCommand(redis.port, 'SAVE'), '+OK');
            await redis.stop();
            await waitUntil(async () => (await health(reader)).redis === 'down', 'health reports redis "down"');

            // While Redis is down the server may refuse (an error ack) but must not answer a
            // wrong history or restart the order.
            const acked = [...old];
            const joined = await call(client, 'join_chat_session', { session_id: session });
            if (joined.ok) assert.deepEqual(joined.history, old, 'join while Redis is down: the history, or an error');
            const during = await call(client, 'send_chat_message', { session_id: session, text: 'during the outage' });
            if (during.ok) {
                assert.equal(during.message.seq, old.at(-1).seq + 1, 'the order continues, or an error');
                acked.push(during.message);
            }

            await redis.start();
            await waitUntil(async () => (await health(reader)).redis === 'connected', 'health reports redis "connected"', 15000);
            const after = await ok(client, 'send_chat_message', { session_id: session, text: 'after the outage' });
            acked.push(after.message);
            assertConsecutive(acked, 'acked');
            assert.deepEqual(await chatHistory(reader, session, 500), acked, 'the running instance\'s history');
            fresh = await startApp({ redisUrl: redis.url });
            assert.deepEqual(await chatHistory(fresh, session, 500), acked, 'a new instance\'s history');
        } finally {
            closeAll(sockets);
            if (!redis.running) await redis.start().catch(() => {});
            await fresh?.stop();
            await reader?.stop();
            await removeDir(writer.home);
            await removeDir(reader?.home);
            await removeDir(fresh?.home);
        }
    });
});
