// Recovery: the server restarted under an open page (same data directory and port), and a
// page that lost its network while the others went on. Either way the page must re-join its
// chat session, re-subscribe to its video, fetch what it missed, send what was typed in the
// meantime, and show nothing twice.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
    VIEWER, assertOrderedUnique, closeAll, connect, connectionState, eventually, launchBrowser, ok,
    openClient, openSession, operatorPost, removeDir, screenshot, sendWithEnter, shownMessages, startApp,
    synced, uniqueId, uploadSample,
} from './helpers.mjs';

let browser;
const homes = [];
const sockets = [];

before(async () => {
    browser = await launchBrowser();
});

after(async () => {
    closeAll(sockets);
    await browser?.close();
    for (const home of homes) await removeDir(home);
});

/** What Chromium logs while the server is down or the network is cut: expected here. */
const OUTAGE = /ERR_CONNECTION_REFUSED|ERR_INTERNET_DISCONNECTED|ERR_NETWORK_CHANGED|ERR_CONNECTION_RESET|ERR_EMPTY_RESPONSE|WebSocket connection to .* failed|WebSocket is closed/;

async function historyOf(app, session) {
    const reply = await fetch(`${app.url}/api/v1/chat/${session}/messages?limit=500`, { headers: { authorization: `Bearer ${VIEWER}` } });
    assert.equal(reply.status, 200);
    return (await reply.json()).messages;
}

function status(videoId, jobId, state, progress, extra = {}) {
    return { video_id: videoId, job_id: jobId, status: state, progress, stage: 'decoding', message: '', ...extra };
}

function shot(index, start, end) {
    return { kind: 'shot', start, end, data: { index, transition: index ? 'cut' : 'start', score: 0.9, keyframe: index, keyframe_url: '/icon.svg' } };
}

test('the server restarts under the page: re-joined, re-subscribed, typed text sent once', async () => {
    let app = await startApp();
    homes.push(app.home);
    const video = await uploadSample(app);
    const session = uniqueId('e2e-restart');
    await operatorPost(app, '/api/v1/websocket/status', status(video.video_id, 'job-r', 'running', 30));

    const { page, watch, context } = await openClient(browser, app, { hash: `#video=${video.video_id}`, label: 'restart' });
    watch.allow(OUTAGE);
    await openSession(page, session);
    await sendWithEnter(page, 'before the restart 1');
    await sendWithEnter(page, 'before the restart 2');
    const other = await connect(app, VIEWER, {}, sockets);
    await ok(other, 'send_chat_message', { session_id: session, text: 'from another client' });
    await eventually(async () => assert.equal((await shownMessages(page)).filter((m) => m.state === 'sent').length, 3));
    await page.waitForFunction(() => document.getElementById('job-percent').textContent === '30 %');
    other.disconnect();

    await app.stop();
    await eventually(async () => assert.notEqual(await connectionState(page), 'connected'), { label: 'the page to notice' });
    assert.match(await page.textContent('#connection-text'), /Reconnecting|Offline/);

    // Typed while the server is away: shown as pending, kept for later.
    await sendWithEnter(page, 'typed while the server was down');
    const pending = page.locator('#messages li.message.pending');
    await pending.waitFor();
    assert.equal(await pending.locator('.message-status').textContent(), 'Waiting for the connection…');
    await screenshot(page, 'desktop-reconnecting');

    app = await startApp({ home: app.home, args: ['--port', String(app.port)] });
    await synced(page, 20000);
    assert.equal(await page.textContent('#connection-text'), 'Connected');

    const shown = await eventually(async () => {
        const messages = await shownMessages(page);
        assert.equal(messages.length, 4, JSON.stringify(messages.map((m) => m.text)));
        assert.ok(messages.every((m) => m.state === 'sent'), 'all confirmed');
        return messages;
    }, { label: 'the pending message confirmed' });
    assertOrderedUnique(shown, 'after the restart');
    assert.equal(shown.filter((m) => m.text === 'typed while the server was down').length, 1);
    const history = await historyOf(app, session);
    assert.deepEqual(history.map((m) => m.text), shown.map((m) => m.text), 'the page shows the server history');

    // Re-joined and re-subscribed on the new server: live messages, status and results arrive.
    const after = await connect(app, VIEWER, {}, sockets);
    await ok(after, 'send_chat_message', { session_id: session, text: 'after the restart' });
    await operatorPost(app, '/api/v1/websocket/status', status(video.video_id, 'job-r', 'running', 75));
    await operatorPost(app, '/api/v1/websocket/visual-analysis', { video_id: video.video_id, job_id: 'job-r', results: [shot(0, 0, 2.5)] });
    await eventually(async () => assert.equal((await shownMessages(page)).length, 5));
    await page.waitForFunction(() => document.getElementById('job-percent').textContent === '75 %');
    await page.waitForSelector('#shots li.shot[data-shot="0"]');
    assertOrderedUnique(await shownMessages(page), 'live after the restart');
    assert.equal(await page.evaluate(() => JSON.parse(localStorage.getItem('mmv.pending'))?.[document.getElementById('chat-session-name').textContent]), undefined,
        'nothing left pending in storage');
    watch.assertClean();
    await context.close();
    await app.stop();
});

test('a page cut off from the network gets what it missed on its return, nothing twice', async () => {
    const app = await startApp();
    homes.push(app.home);
    const video = await uploadSample(app);
    const session = uniqueId('e2e-away');
    await operatorPost(app, '/api/v1/websocket/status', status(video.video_id, 'job-a', 'running', 10));
    await operatorPost(app, '/api/v1/websocket/visual-analysis', { video_id: video.video_id, job_id: 'job-a', results: [shot(0, 0, 2)] });

    const { page, watch, context } = await openClient(browser, app, { hash: `#video=${video.video_id}`, label: 'away' });
    watch.allow(OUTAGE);
    await openSession(page, session);
    const others = await Promise.all([0, 1, 2, 3].map(() => connect(app, VIEWER, {}, sockets)));
    await ok(others[0], 'send_chat_message', { session_id: session, text: 'seen before leaving' });
    await eventually(async () => assert.equal((await shownMessages(page)).length, 1));
    await page.waitForSelector('#shots li.shot[data-shot="0"]');

    await context.setOffline(true);
    await eventually(async () => assert.notEqual(await connectionState(page), 'connected'), { label: 'the page to notice' });

    // While it is away: 60 messages (more than a re-join's 50; 4 senders stay within the chat
    // rate limit), a new status, new results.
    await Promise.all(others.map((socket, s) => Promise.all(Array.from({ length: 15 }, (_, i) =>
        ok(socket, 'send_chat_message', { session_id: session, text: `missed ${s}.${i}` })))));
    await operatorPost(app, '/api/v1/websocket/status', status(video.video_id, 'job-a', 'running', 60, { stage: 'faces', eta_s: 12 }));
    await operatorPost(app, '/api/v1/websocket/visual-analysis', { video_id: video.video_id, job_id: 'job-a', results: [shot(1, 2, 4), shot(2, 4, 6)] });
    await sendWithEnter(page, 'typed while away');
    await page.locator('#messages li.message.pending').waitFor();

    await context.setOffline(false);
    await synced(page, 20000);
    const shown = await eventually(async () => {
        const messages = await shownMessages(page);
        assert.equal(messages.length, 62, `shown ${messages.length}`);
        assert.ok(messages.every((m) => m.state === 'sent'));
        return messages;
    }, { label: 'every missed message', ms: 15000 });
    assertOrderedUnique(shown, 'after the return');
    assert.equal(await page.locator('#messages .message-gap').count(), 0, 'no gap left');
    const history = await historyOf(app, session);
    assert.deepEqual(shown.map((m) => m.id), history.map((m) => m.id));
    assert.equal(await page.textContent('#job-percent'), '60 %');
    assert.equal(await page.textContent('#job-stage'), 'Faces');
    assert.deepEqual(await page.$$eval('#shots li.shot', (items) => items.map((i) => i.dataset.shot)), ['0', '1', '2']);
    assert.equal(await page.locator('#timeline-shots .timeline-shot').count(), 3);
    watch.assertClean();
    await context.close();
    closeAll(sockets);
    await app.stop();
});
