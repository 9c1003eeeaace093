// "A subscription answers with the current state and joins the room in the same step, so a late
// subscriber misses nothing and sees nothing twice": clients subscribe while the operator keeps
// publishing statuses and visual results, on each store. The app is restarted on the same store
// first so the video's state is not cached and the subscription has to load it (with Redis,
// asynchronously, while new results keep coming).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
    api,
    barrier,
    closeAll,
    connect,
    EventLog,
    ok,
    OPERATOR,
    redisServerPath,
    removeDir,
    startApp,
    startRedis,
    uniqueId,
    VIEWER,
} from './helpers.mjs';

const UPDATES = 60;
const SUBSCRIBE_AT = [0, 1, 5, 20, 35, 50];
const STORED_BEFORE = 5; // results published before the restart

for (const storage of ['file', 'redis']) {
    describe(`late subscribers during a stream of updates (${storage} store)`, { skip: storage === 'redis' && !redisServerPath ? 'redis-server not found' : false }, () => {
        let redis = null;
        let app = null;
        const homes = [];
        const sockets = [];

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

        const post = async (endpoint, json) => {
            const reply = await api(app, 'POST', `/api/v1/websocket/${endpoint}`, { token: OPERATOR, json });
            assert.equal(reply.status, 200, reply.text);
        };

        test('each subscriber gets the state in its ack and then every later update exactly once', async () => {
            const videoId = uniqueId('stream');
            for (let i = 0; i < STORED_BEFORE; ++i) {
                await post('visual-analysis', { video_id: videoId, results: [{ kind: 'shot', start: i, data: { i } }] });
            }
            await post('status', { video_id: videoId, status: 'running', progress: 0 });
            await app.stop();
            app = await startApp(storage === 'file' ? { home: app.home } : { redisUrl: redis.url });
            homes.push(app.home);

            const clients = await Promise.all(SUBSCRIBE_AT.map(async () => {
                const socket = await connect(app, VIEWER, { transports: ['websocket'] }, sockets);
                return { log: new EventLog(socket, ['processing_status', 'visual_analysis_result']) };
            }));

            // Publish update i = 1..UPDATES (status progress i, result i); client c subscribes
            // (without waiting) when update SUBSCRIBE_AT[c] has been published.
            const subscriptions = [];
            const subscribe = (client) => {
                subscriptions.push((async () => {
                    const socket = client.log.socket;
                    const [status, visual] = await Promise.all([
                        ok(socket, 'subscribe_processing_updates', { video_id: videoId }),
                        ok(socket, 'subscribe_visual_analysis', { video_id: videoId }),
                    ]);
                    client.status = status.status;
                    client.results = visual.results;
                })());
            };
            for (let i = 0; i <= UPDATES; ++i) {
                if (i > 0) {
                    await Promise.all([
                        post('status', { video_id: videoId, status: 'running', progress: i }),
                        post('visual-analysis', { video_id: videoId, results: [{ kind: 'shot', start: STORED_BEFORE + i - 1, data: { i: STORED_BEFORE + i - 1 } }] }),
                    ]);
                }
                SUBSCRIBE_AT.forEach((at, c) => {
                    if (at === i) subscribe(clients[c]);
                });
            }
            await Promise.all(subscriptions);
            await barrier(app, clients.map((c) => c.log));

            const total = STORED_BEFORE + UPDATES;
            for (const [c, client] of clients.entries()) {
                const what = `client ${c} (subscribed after update ${SUBSCRIBE_AT[c]})`;
                // Status: the ack's progress p, then exactly p+1..UPDATES.
                assert.ok(client.status, `${what}: a status in the ack`);
                const p = client.status.progress;
                assert.ok(p >= SUBSCRIBE_AT[c], `${what}: the ack's status (progress ${p}) is not older than the subscription`);
                const progress = client.log.of('processing_status').map((s) => s.progress);
                assert.deepEqual(progress, Array.from({ length: UPDATES - p }, (_, k) => p + 1 + k), `${what}: status events after the ack's`);
                // Results: the ack's 0..k-1, then exactly k..total-1.
                const indices = [...client.results, ...client.log.of('visual_analysis_result')].map((r) => r.data.i);
                assert.deepEqual(indices, Array.from({ length: total }, (_, k) => k), `${what}: results in the ack (${client.results.length}) and events`);
                assert.ok(client.results.length >= STORED_BEFORE + SUBSCRIBE_AT[c], `${what}: the ack holds what was published before`);
            }
        });
    });
}
