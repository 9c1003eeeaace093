// Uploading and analysing in the browser against the real analysis engine: the file picker
// with its progress bar and cancel, start and cancel of an analysis, progress to 100 % with
// the shot timeline filling in and keyframes (with face and people boxes) loading, and a page
// opened afterwards showing the same complete analysis. Plus the upload errors: too large
// (413) and not a video (415, dropped onto the drop zone), with the server's reason.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
    OPERATOR, PHONE, SAMPLE_VIDEO, VIEWER, api, assertAccessible, closeAll, connect, eventually, launchBrowser, ok,
    openClient, openSession, removeDir, screenshot, sendWithEnter, startApp,
} from './helpers.mjs';

let app;
let browser;
const sockets = [];

before(async () => {
    [app, browser] = await Promise.all([startApp(), launchBrowser()]);
});

after(async () => {
    closeAll(sockets);
    await browser?.close();
    await app?.stop();
    await removeDir(app?.home);
});

async function libraryIds(target) {
    const reply = await api(target, 'GET', '/api/v1/videos', { token: VIEWER });
    assert.equal(reply.status, 200);
    return reply.body.videos.map((v) => v.video_id);
}

/** Records, in the page, every change of the job view: [{state, percent, shots}]. */
function recordJob(page) {
    return page.evaluate(() => {
        window.__jobLog = [];
        const note = () => window.__jobLog.push({
            state: document.getElementById('job-state').textContent,
            percent: document.getElementById('job-progress').value,
            shots: document.querySelectorAll('#shots li.shot').length,
        });
        const observer = new MutationObserver(note);
        for (const id of ['job-state', 'job-percent', 'shots']) {
            observer.observe(document.getElementById(id), { childList: true, characterData: true, subtree: true });
        }
    });
}

/** Scrolls every keyframe into view and resolves with how many loaded (natural size > 0). */
async function loadedKeyframes(page, selector) {
    return page.evaluate(async (sel) => {
        const images = [...document.querySelectorAll(sel)];
        for (const image of images) {
            image.scrollIntoView({ block: 'nearest' });
            if (!image.complete) {
                await new Promise((resolve) => {
                    image.addEventListener('load', resolve, { once: true });
                    image.addEventListener('error', resolve, { once: true });
                });
            }
        }
        return { total: images.length, loaded: images.filter((i) => i.naturalWidth > 0).length };
    }, selector);
}

test('upload with the file picker, analyse live to 100 %, keyframes and boxes, complete afterwards', async (t) => {
    const { page, watch, context } = await openClient(browser, app, { label: 'analyst' });
    await page.setInputFiles('#file-input', SAMPLE_VIDEO);
    // The upload selects the new video: its analysis view opens.
    await page.waitForFunction(() => document.getElementById('video-title').textContent === 'Megamind.avi');
    const videoId = await page.getAttribute('#video-list li.video-item', 'data-video-id');
    assert.deepEqual(await libraryIds(app), [videoId]);
    assert.equal(new URL(page.url()).hash, `#video=${videoId}`);
    assert.match(await page.textContent('#video-facts'), /0:11 · 720×528 · 23\.98 fps · mpeg4/);
    assert.equal(await page.textContent('#job-state'), 'Not analysed');

    await recordJob(page);
    const answer = page.waitForResponse((r) => r.url().endsWith(`/api/v1/videos/${videoId}/analyze`));
    await page.click('#analyze-button');
    const response = await answer;
    if (response.status() === 404 || response.status() === 405 || response.status() >= 500) {
        watch.allow(new RegExp(`status of ${response.status()}`));
        t.todo('analysis engine not merged');
        await context.close();
        return;
    }
    assert.equal(response.status(), 202, await response.text());
    await page.waitForFunction(() => document.getElementById('job-state').textContent === 'Analysed', null, { timeout: 60000 });
    assert.equal(await page.textContent('#job-percent'), '100 %');
    assert.equal(await page.getAttribute('#job-progress', 'value'), '100');
    assert.equal(await page.isVisible('#cancel-button'), false);
    assert.equal(await page.textContent('#analyze-button'), 'Analyse again');
    const log = await page.evaluate(() => window.__jobLog);
    const running = log.filter((entry) => entry.state === 'Analysing');
    assert.ok(running.length > 0, `never shown running: ${JSON.stringify(log)}`);
    for (let i = 1; i < running.length; ++i) assert.ok(running[i].percent >= running[i - 1].percent, 'progress never goes back');
    assert.ok(running.some((entry) => entry.shots > 0), `shots appear while the analysis runs: ${JSON.stringify(log)}`);

    // Every closed shot has its card and its slice of the timeline, with a loaded keyframe.
    const document = await api(app, 'GET', `/api/v1/videos/${videoId}/analysis`, { token: VIEWER });
    assert.equal(document.body.complete, true);
    const shots = document.body.shots.length;
    assert.ok(shots > 0);
    await eventually(async () => assert.equal(await page.locator('#shots li.shot').count(), shots));
    assert.equal(await page.locator('#timeline-shots .timeline-shot').count(), shots);
    const keyframes = await loadedKeyframes(page, '#shots .keyframe img');
    assert.equal(keyframes.loaded, document.body.shots.filter((s) => Number.isInteger(s.keyframe)).length, JSON.stringify(keyframes));
    const src = await page.getAttribute('#shots .keyframe img', 'src');
    assert.match(src, new RegExp(`^/api/v1/videos/${videoId}/keyframes/\\d+\\.jpg\\?token=`));
    // Faces and people found by the engine are drawn over their keyframes.
    const withFaces = document.body.shots.filter((s) => s.faces?.max_count > 0).length;
    if (withFaces > 0) assert.ok(await page.locator('#shots .box-faces').count() > 0, 'face boxes');
    assert.ok(await page.locator('#shots .swatch').count() >= shots, 'dominant colours per shot');
    await page.waitForSelector('#outline li.segment');
    assert.equal(await page.locator('#outline li.segment').count(), document.body.outline.length);
    assert.equal(await page.textContent('#outline .segment-title'), document.body.outline[0].title);

    // A shot's details open in a dialog from the keyboard and close with Escape.
    await page.focus('#shots li.shot:nth-child(2) .shot-button');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#shot-dialog[open] .keyframe-large img');
    await page.waitForFunction(() => document.querySelector('#shot-dialog .keyframe-large img').complete);
    await screenshot(page, 'desktop-shot-details');
    await page.keyboard.press('Escape');
    await page.waitForSelector('#shot-dialog:not([open])', { state: 'attached' });

    // Some chat beside it, for the screenshot: a viewer and the operator.
    const session = 'megamind';
    await openSession(page, session);
    const operator = await connect(app, OPERATOR, {}, sockets);
    await ok(operator, 'set_name', { name: 'Studio' });
    await sendWithEnter(page, 'The analysis of Megamind is done: 5 shots.');
    await ok(operator, 'send_chat_message', { session_id: session, text: 'Thanks! Shot 2 has the best close-up.' });
    await sendWithEnter(page, 'Agreed, using it for the poster.');
    await eventually(async () => assert.equal(await page.locator('#messages li.message[data-state="sent"]').count(), 3));
    assert.equal(await page.locator('#messages li.message-operator .role-tag').textContent(), 'operator');
    await page.evaluate(() => document.getElementById('panel-analysis').scrollTo(0, 0));
    await screenshot(page, 'desktop-analysis');
    await assertAccessible(page, 'desktop analysis');

    // Opened after the fact, on a phone: the same complete analysis.
    const late = await openClient(browser, app, { viewport: PHONE, hash: `#video=${videoId}`, label: 'late' });
    await screenshot(late.page, 'phone-videos');
    await late.page.click('#tab-analysis');
    await late.page.waitForFunction(() => document.getElementById('job-state').textContent === 'Analysed');
    await eventually(async () => assert.equal(await late.page.locator('#shots li.shot').count(), shots));
    assert.equal(await late.page.locator('#outline li.segment').count(), document.body.outline.length);
    assert.equal((await loadedKeyframes(late.page, '#shots .keyframe img')).loaded, keyframes.loaded);
    assert.equal(await late.page.locator('#shots .box').count(), await page.locator('#shots .box').count(), 'the same boxes');
    await late.page.evaluate(() => document.getElementById('panel-analysis').scrollTo(0, 0));
    await screenshot(late.page, 'phone-analysis');
    await assertAccessible(late.page, 'phone analysis');

    // The dark colour scheme passes the same checks.
    const dark = await openClient(browser, app, { colorScheme: 'dark', hash: `#video=${videoId}`, label: 'dark' });
    await eventually(async () => assert.equal(await dark.page.locator('#shots li.shot').count(), shots));
    await loadedKeyframes(dark.page, '#shots .keyframe img');
    await dark.page.evaluate(() => document.getElementById('panel-analysis').scrollTo(0, 0));
    await assertAccessible(dark.page, 'dark desktop analysis');
    await screenshot(dark.page, 'desktop-analysis-dark');
    dark.watch.assertClean();
    await dark.context.close();

    // Analyse again and cancel it.
    await page.click('#analyze-button');
    await page.waitForSelector('#cancel-button:visible');
    await page.click('#cancel-button');
    await page.waitForFunction(() => ['Cancelled', 'Analysed'].includes(document.getElementById('job-state').textContent), null, { timeout: 20000 });
    assert.equal(await page.textContent('#job-state'), 'Cancelled', 'the second analysis was cancelled');
    assert.equal(await page.isVisible('#analyze-button'), true);
    await late.page.waitForFunction(() => document.getElementById('job-state').textContent === 'Cancelled');

    watch.assertClean();
    late.watch.assertClean();
    await late.context.close();
    await context.close();
});

test('the upload shows its progress and can be cancelled', async () => {
    const before = await libraryIds(app);
    const { page, watch, context } = await openClient(browser, app, { label: 'uploader' });
    // Slow the upload down to 256 KiB/s so that it can be watched and cancelled.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 256 * 1024 });
    await page.setInputFiles('#file-input', SAMPLE_VIDEO);
    const upload = page.locator('#uploads li.upload');
    await upload.waitFor();
    assert.equal(await upload.locator('.upload-name').textContent(), 'Megamind.avi');
    await page.waitForFunction(() => {
        const progress = document.querySelector('#uploads .upload-progress');
        return progress && progress.value >= 20;
    });
    assert.match(await upload.locator('.upload-state').textContent(), /^Uploading… \d+ %$/);
    await screenshot(page, 'desktop-upload');
    await upload.getByRole('button', { name: /Cancel the upload/ }).click();
    await page.waitForSelector('#uploads li.upload-cancelled');
    assert.equal(await page.textContent('#uploads .upload-state'), 'Cancelled');
    await page.waitForSelector('#uploads li.upload', { state: 'detached' });
    assert.deepEqual(await libraryIds(app), before, 'nothing was added');
    watch.allow(/ERR_ABORTED|net::ERR_/);
    watch.assertClean();
    await context.close();
});

test('too large and not a video: clear errors with the server reason, names shown as text', async () => {
    const small = await startApp({ args: ['--max-upload', '1M'] });
    try {
        const { page, watch, context } = await openClient(browser, small, { label: 'errors' });
        watch.allow(/status of 413/);
        watch.allow(/status of 415/);

        await page.setInputFiles('#file-input', SAMPLE_VIDEO);
        const tooLarge = page.locator('#uploads li.upload-error').first();
        await tooLarge.waitFor();
        assert.equal(await tooLarge.locator('.upload-error-title').textContent(), 'Too large for this server');
        assert.equal(await tooLarge.locator('.upload-error-detail').textContent(), 'This file is 1.2 MB; the server accepts at most 1.0 MB.');
        assert.equal(await tooLarge.locator('.upload-message').getAttribute('role'), 'alert');

        // A text file with markup in its name, dropped onto the drop zone.
        const name = '<img src=x onerror="window.__pwned=1">notes.txt';
        const dataTransfer = await page.evaluateHandle((fileName) => {
            const transfer = new DataTransfer();
            transfer.items.add(new File(['just some notes, not a video\n'], fileName, { type: 'text/plain' }));
            return transfer;
        }, name);
        await page.dispatchEvent('#dropzone', 'dragenter', { dataTransfer });
        assert.equal(await page.getAttribute('#dropzone', 'class'), 'dropzone dragging');
        await page.dispatchEvent('#dropzone', 'drop', { dataTransfer });
        const notVideo = page.locator('#uploads li.upload-error').nth(1);
        await notVideo.waitFor();
        assert.equal(await notVideo.locator('.upload-name').textContent(), name);
        assert.equal(await notVideo.locator('.upload-error-title').textContent(), 'Not a video');
        // The server's reason, as it gave it.
        const reason = await api(small, 'POST', '/api/v1/videos', {
            token: VIEWER, body: 'just some notes', headers: { 'content-type': 'video/mp4', 'x-filename': 'n.mp4' },
        });
        assert.equal(reason.status, 415);
        assert.equal(await notVideo.locator('.upload-error-detail').textContent(),
            `The server cannot read this file as a video: ${reason.body.error.message}.`);
        assert.equal(await page.locator('#uploads img').count(), 0);
        assert.equal(await page.evaluate(() => window.__pwned), undefined);
        await screenshot(page, 'desktop-upload-errors');

        await tooLarge.getByRole('button', { name: 'Dismiss the error about Megamind.avi' }).click();
        assert.equal(await page.locator('#uploads li.upload-error').count(), 1);
        assert.deepEqual(await libraryIds(small), []);
        watch.assertClean();
        await context.close();
    } finally {
        await small.stop();
        await removeDir(small.home);
    }
});
