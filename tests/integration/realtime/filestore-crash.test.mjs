// The file store survives a crash: the app is killed (SIGKILL) while clients chat, the last
// record of the session's file is left torn as a crash in the middle of a write leaves it, and
// the app started again on the same data directory answers a readable, ordered history with
// every acknowledged message, and carries on.

import assert from 'node:assert/strict';
import { readdir, readFile, appendFile } from 'node:fs/promises';
import path from 'node:path';
import { after, test } from 'node:test';

import {
    assertChatMessage,
    assertConsecutive,
    chatHistory,
    closeAll,
    connect,
    ok,
    removeDir,
    startApp,
    uniqueId,
    VIEWER,
    withTimeout,
} from './helpers.mjs';

let app;
const sockets = [];

after(async () => {
    closeAll(sockets);
    if (app && !app.exited) await app.stop();
    await removeDir(app?.home);
});

/** The files under `dir` (recursively) whose text contains `needle`. */
async function filesContaining(dir, needle) {
    const found = [];
    for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
        if (!entry.isFile()) continue;
        const file = path.join(entry.path ?? entry.parentPath, entry.name);
        if ((await readFile(file, 'latin1')).includes(needle)) found.push(file);
    }
    return found;
}

test('a crash (SIGKILL) while chatting loses no acknowledged message and corrupts nothing', async () => {
    app = await startApp();
    const home = app.home;
    const session = uniqueId('crash');
    const senders = await Promise.all(Array.from({ length: 8 }, () => connect(app, VIEWER, { transports: ['websocket'] }, sockets)));

    // 8 x 18 messages at once; the app is killed once 60 are acknowledged, with more in flight.
    const acked = [];
    let killed;
    const killedPromise = new Promise((resolve) => {
        killed = resolve;
    });
    senders.forEach((socket, s) => {
        for (let i = 0; i < 18; ++i) {
            socket.emit('send_chat_message', { session_id: session, text: `crash ${s}.${i}` }, (reply) => {
                assert.equal(reply?.ok, true, JSON.stringify(reply));
                acked.push(reply.message);
                if (acked.length === 60) killed(app.kill());
            });
        }
    });
    await withTimeout(killedPromise, 10000, '60 acks and the kill');
    closeAll(sockets);
    acked.sort((a, b) => a.seq - b.seq);
    assertConsecutive(acked, 'acked before the kill');

    // A crash in the middle of a write leaves half a record at the end of the session's file.
    const files = await filesContaining(path.join(home, 'data'), acked.at(-1).id);
    assert.ok(files.length >= 1, 'the file store keeps the messages as text under the data directory');
    for (const file of files) await appendFile(file, '{"id":"torn-by-the-crash","seq":');

    app = await startApp({ home });
    const history = await chatHistory(app, session, 500);
    assertConsecutive(history, 'history after the crash');
    for (const message of history) assertChatMessage(message, { sessionId: session });
    const byId = new Map(history.map((m) => [m.id, m]));
    for (const message of acked) assert.deepEqual(byId.get(message.id), message, `acknowledged message seq ${message.seq} is kept`);
    assert.ok(!history.some((m) => m.id === 'torn-by-the-crash'), 'the torn record is not a message');

    // It carries on after the last message, and what it writes now survives a clean restart.
    const client = await connect(app, VIEWER, {}, sockets);
    const joined = await ok(client, 'join_chat_session', { session_id: session });
    assert.deepEqual(joined.history, history.slice(-50));
    const next = await ok(client, 'send_chat_message', { session_id: session, text: 'after the crash' });
    assert.equal(next.message.seq, history.at(-1).seq + 1);
    closeAll(sockets);
    await app.stop();
    app = await startApp({ home });
    assert.deepEqual(await chatHistory(app, session, 500), [...history, next.message]);
});
