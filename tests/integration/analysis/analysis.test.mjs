// The video library and the analysis engine through the public interface: uploads (checked
// by probing), jobs with live progress and results over Socket.IO, cancellation, restarts,
// keyframes and the result document. Drives the real application binary.

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';

import {
    OPERATOR,
    VIEWER,
    EventLog,
    api,
    assertHttpError,
    closeAll,
    connect,
    ok,
    removeDir,
    startApp,
    waitUntil,
    withTimeout,
} from '../realtime/helpers.mjs';

const DATA = '/usr/share/doc/opencv-doc/examples/data';
const MEGAMIND = `${DATA}/Megamind.avi`;
const VTEST = `${DATA}/vtest.avi`;
const COCKATOO = '/usr/lib/python3/dist-packages/imageio/resources/images/cockatoo.mp4';
const ANALYSIS_TIMEOUT_MS = 120_000;

async function upload(app, path, { token = VIEWER, name, raw = false } = {}) {
    const bytes = typeof path === 'string' ? await readFile(path) : path;
    const filename = name ?? (typeof path === 'string' ? path.split('/').pop() : 'upload.bin');
    if (raw) {
        return api(app, 'POST', '/api/v1/videos', {
            token,
            body: bytes,
            headers: { 'content-type': 'video/x-msvideo', 'x-filename': encodeURIComponent(filename) },
        });
    }
    const form = new FormData();
    form.append('file', new Blob([bytes]), filename);
    return api(app, 'POST', '/api/v1/videos', { token, body: form });
}

/** The nice value of thread `tid` of process `pid` (field 19 of its stat line). */
function threadNice(pid, tid) {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

/** The nice values of every thread of process `pid`. */
function threadNices(pid) {
    const nices = [];
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
        try {
            nices.push(threadNice(pid, tid));
        } catch {
            // the thread ended meanwhile
        }
    }
    return nices;
}

/** Waits for a processing_status of `videoId` whose state is one of `states`. */
function waitForState(log, videoId, states, ms = ANALYSIS_TIMEOUT_MS) {
    return log
        .waitFor(
            (l) => l.of('processing_status').some((s) => s.video_id === videoId && states.includes(s.state)),
            `a ${states.join('/')} status of ${videoId}`,
            ms,
        )
        .then(() => log.of('processing_status').find((s) => s.video_id === videoId && states.includes(s.state)));
}

describe('video library and analysis', () => {
    let app;
    const sockets = [];

    before(async () => {
        app = await startApp({ args: ['--max-upload', '4M'] });
    });
    after(async () => {
        closeAll(sockets);
        await app?.stop();
        await removeDir(app?.home);
    });

    test('uploads are probed: metadata on success, 415 with the reason otherwise', async () => {
        const added = await upload(app, MEGAMIND);
        assert.equal(added.status, 201, added.text);
        assert.match(added.body.video_id, /^[A-Za-z0-9_.-]{1,128}$/);
        assert.ok(!added.body.video_id.includes('Megamind'), 'ids are never derived from file names');
        assert.equal(added.body.filename, 'Megamind.avi');
        assert.equal(added.body.width, 720);
        assert.equal(added.body.height, 528);
        assert.equal(added.body.has_audio, true);
        assert.ok(added.body.duration_s > 10 && added.body.duration_s < 12);
        assert.ok(added.body.fps > 23 && added.body.fps < 25);

        const raw = await upload(app, COCKATOO, { raw: true, name: 'the cockatoo.mp4' });
        assert.equal(raw.status, 201, raw.text);
        assert.equal(raw.body.filename, 'the cockatoo.mp4');
        assert.equal(raw.body.width, 1280);

        const text = await upload(app, Buffer.from('just some notes\n'), { name: 'notes.mp4' });
        assertHttpError(text, 415, 'unsupported_media_type');
        assert.match(text.body.error.message, /not a video file/);

        const truncated = await upload(app, (await readFile(COCKATOO)).subarray(0, 3000), { name: 'cut.mp4' });
        assertHttpError(truncated, 415, 'unsupported_media_type');
        assert.match(truncated.body.error.message, /truncated or corrupt/);

        const tooBig = await upload(app, VTEST); // 8 MB, over --max-upload 4M
        assertHttpError(tooBig, 413, 'payload_too_large');

        const noToken = await upload(app, MEGAMIND, { token: null });
        assertHttpError(noToken, 401, 'unauthorized');

        const list = await api(app, 'GET', '/api/v1/videos', { token: VIEWER });
        assert.equal(list.status, 200);
        const ids = list.body.videos.map((v) => v.video_id);
        assert.ok(ids.includes(added.body.video_id) && ids.includes(raw.body.video_id));
        assert.equal(list.body.count, 2, 'rejected uploads leave nothing behind');

        const one = await api(app, 'GET', `/api/v1/videos/${added.body.video_id}`, { token: VIEWER });
        assert.equal(one.status, 200);
        assert.equal(one.body.status, null, 'not analysed yet');
        assertHttpError(await api(app, 'GET', '/api/v1/videos/v_nothing', { token: VIEWER }), 404, 'not_found');
    });

    test('an analysis streams progress, shots with keyframes and the outline, then the document', async () => {
        const added = await upload(app, MEGAMIND);
        const id = added.body.video_id;
        const socket = await connect(app, VIEWER, {}, sockets);
        const log = new EventLog(socket, ['processing_status', 'visual_analysis_result', 'content_analysis_update']);
        assert.equal((await ok(socket, 'subscribe_processing_updates', { video_id: id })).status, null);
        assert.deepEqual((await ok(socket, 'subscribe_visual_analysis', { video_id: id })).results, []);

        const started = await api(app, 'POST', `/api/v1/videos/${id}/analyze`, { token: VIEWER });
        assert.equal(started.status, 202, started.text);
        assert.match(started.body.job_id, /\S/);
        const again = await api(app, 'POST', `/api/v1/videos/${id}/analyze`, { token: VIEWER });
        assertHttpError(again, 409, 'conflict');

        const done = await waitForState(log, id, ['completed', 'failed', 'cancelled']);
        assert.equal(done.state, 'completed', JSON.stringify(done));
        assert.equal(done.progress, 100);

        const statuses = log.of('processing_status').filter((s) => s.video_id === id);
        for (const status of statuses) assert.equal(status.job_id, started.body.job_id);
        const running = statuses.filter((s) => s.state === 'running');
        assert.ok(running.length >= 2, 'progress is reported while it runs');
        for (let i = 1; i < running.length; ++i)
            assert.ok(running[i].progress >= running[i - 1].progress, 'progress never goes back');
        assert.ok(statuses.length < 400, `progress is rate-bounded (${statuses.length} updates)`);

        const results = log.of('visual_analysis_result').filter((r) => r.video_id === id);
        const shots = results.filter((r) => r.kind === 'shot');
        assert.ok(shots.length >= 4 && shots.length <= 6, `Megamind has 4 hard cuts (${shots.length} shots)`);
        assert.ok(results.some((r) => r.kind === 'colors'));
        assert.ok(results.some((r) => r.kind === 'motion'));
        for (const shot of shots) {
            assert.ok(typeof shot.start === 'number' && typeof shot.end === 'number' && shot.end > shot.start);
            assert.match(shot.data.keyframe_url, new RegExp(`^/api/v1/videos/${id}/keyframes/\\d+\\.jpg$`));
        }
        // The first shot is published while the job still runs, not all at the end.
        const firstShotAt = log.entries.findIndex((e) => e.event === 'visual_analysis_result' && e.args[0].kind === 'shot');
        const completedAt = log.entries.findIndex((e) => e.event === 'processing_status' && e.args[0].state === 'completed');
        assert.ok(firstShotAt < completedAt);

        const keyframe = await fetch(`${app.url}${shots[0].data.keyframe_url}?token=${VIEWER}`);
        assert.equal(keyframe.status, 200);
        assert.equal(keyframe.headers.get('content-type'), 'image/jpeg');
        const jpeg = Buffer.from(await keyframe.arrayBuffer());
        assert.equal(jpeg.subarray(0, 3).toString('hex'), 'ffd8ff');
        assert.equal((await fetch(`${app.url}${shots[0].data.keyframe_url}`)).status, 401);

        const content = log.of('content_analysis_update').filter((c) => c.video_id === id);
        assert.ok(content.length >= 1, 'the outline is published');
        const summary = content.findLast((c) => c.kind === 'summary');
        assert.ok(summary, 'a final summary');
        assert.ok(summary.segments.length >= 1);
        for (const segment of summary.segments) assert.equal(typeof segment.title, 'string');

        const documentResponse = await api(app, 'GET', `/api/v1/videos/${id}/analysis`, { token: VIEWER });
        assert.equal(documentResponse.status, 200);
        assert.equal(documentResponse.body.complete, true);
        assert.equal(documentResponse.body.schema, 1);
        assert.equal(documentResponse.body.shots.length, shots.length);

        // A late subscriber gets everything so far, nothing missing.
        const late = await connect(app, VIEWER, {}, sockets);
        const lateStatus = await ok(late, 'subscribe_processing_updates', { video_id: id });
        assert.equal(lateStatus.status.state, 'completed');
        const lateResults = await ok(late, 'subscribe_visual_analysis', { video_id: id });
        assert.equal(lateResults.results.filter((r) => r.kind === 'shot').length, shots.length);
    });

    /** Uploads `path`, starts its analysis and waits until it runs; its id and status log. */
    async function startRunning(path) {
        const added = await upload(app, path);
        assert.equal(added.status, 201, added.text);
        const id = added.body.video_id;
        const socket = await connect(app, VIEWER, {}, sockets);
        const log = new EventLog(socket, ['processing_status']);
        await ok(socket, 'subscribe_processing_updates', { video_id: id });
        assert.equal((await api(app, 'POST', `/api/v1/videos/${id}/analyze`, { token: VIEWER })).status, 202);
        await waitForState(log, id, ['running']);
        return { id, log };
    }

    test('cancel stops a running analysis within a second', async () => {
        const { id, log } = await startRunning(COCKATOO);
        const cancelledAt = Date.now();
        const cancel = await api(app, 'POST', `/api/v1/videos/${id}/cancel`, { token: VIEWER });
        assert.equal(cancel.status, 200, cancel.text);
        assert.equal(cancel.body.cancelled, true);
        const final = await waitForState(log, id, ['cancelled', 'completed'], 5000);
        assert.equal(final.state, 'cancelled');
        assert.ok(Date.now() - cancelledAt < 1500, `cancelled after ${Date.now() - cancelledAt} ms`);
        assertHttpError(await api(app, 'POST', `/api/v1/videos/${id}/cancel`, { token: VIEWER }), 409, 'conflict');
        // It can be started again.
        assert.equal((await api(app, 'POST', `/api/v1/videos/${id}/analyze`, { token: VIEWER })).status, 202);
        assert.equal((await api(app, 'POST', `/api/v1/videos/${id}/cancel`, { token: VIEWER })).status, 200);
    });

    test('analysis threads run below the server: nice 10, inherited by the decoder and the detectors', async () => {
        const { id, log } = await startRunning(MEGAMIND);
        // The job's thread, its decoding thread and the two detector threads at least.
        await waitUntil(() => threadNices(app.pid).filter((nice) => nice === 10).length >= 4,
            'four threads at nice 10', 10_000);
        assert.equal(threadNice(app.pid, app.pid), 0, 'the main thread keeps its priority');
        assert.equal((await api(app, 'POST', `/api/v1/videos/${id}/cancel`, { token: VIEWER })).status, 200);
        await waitForState(log, id, ['cancelled', 'completed']);
    });

    test('deleting a video while it is analysed stops the job and leaves nothing of it on the disk', async () => {
        const { id, log } = await startRunning(COCKATOO);
        const deleted = await api(app, 'DELETE', `/api/v1/videos/${id}`, { token: OPERATOR });
        assert.equal(deleted.status, 200, deleted.text);
        await waitForState(log, id, ['cancelled', 'failed', 'completed'], 10_000);
        const data = `${app.home}/data`;
        // The folder goes to the trash at once and a worker empties it; the job, stopped,
        // must not bring a folder of the deleted video back.
        await waitUntil(() => readdirSync(`${data}/trash`).length === 0, 'an empty trash', 10_000);
        assert.deepEqual(readdirSync(`${data}/videos`).filter((name) => name === id), []);
        assertHttpError(await api(app, 'GET', `/api/v1/videos/${id}`, { token: VIEWER }), 404, 'not_found');
    });

    test('deleting needs the operator and removes the video and its results', async () => {
        const added = await upload(app, MEGAMIND);
        const id = added.body.video_id;
        assertHttpError(await api(app, 'DELETE', `/api/v1/videos/${id}`, { token: VIEWER }), 403, 'forbidden');
        const deleted = await api(app, 'DELETE', `/api/v1/videos/${id}`, { token: OPERATOR });
        assert.equal(deleted.status, 200);
        assertHttpError(await api(app, 'GET', `/api/v1/videos/${id}`, { token: VIEWER }), 404, 'not_found');
        assertHttpError(await api(app, 'POST', `/api/v1/videos/${id}/analyze`, { token: VIEWER }), 404, 'not_found');
    });
});

test('the library survives a restart and an interrupted job is marked so', async () => {
    let app = await startApp();
    const home = app.home;
    const sockets = [];
    try {
        const added = await upload(app, VTEST);
        const id = added.body.video_id;
        const socket = await connect(app, VIEWER, {}, sockets);
        const log = new EventLog(socket, ['processing_status']);
        await ok(socket, 'subscribe_processing_updates', { video_id: id });
        assert.equal((await api(app, 'POST', `/api/v1/videos/${id}/analyze`, { token: VIEWER })).status, 202);
        await waitForState(log, id, ['running']);
        closeAll(sockets);
        await app.kill(); // a crash in the middle of the analysis

        app = await startApp({ home });
        const video = await api(app, 'GET', `/api/v1/videos/${id}`, { token: VIEWER });
        assert.equal(video.status, 200, 'the library survived');
        assert.equal(video.body.width, 768);
        await withTimeout(
            (async () => {
                for (;;) {
                    const status = (await api(app, 'GET', `/api/v1/videos/${id}`, { token: VIEWER })).body.status;
                    if (status?.state === 'cancelled') return status;
                    await new Promise((resolve) => setTimeout(resolve, 50));
                }
            })(),
            5000,
            'the interrupted job to be marked',
        ).then((status) => assert.match(status.message, /interrupted/));
        assert.equal((await api(app, 'POST', `/api/v1/videos/${id}/analyze`, { token: VIEWER })).status, 202);
        assert.equal((await api(app, 'POST', `/api/v1/videos/${id}/cancel`, { token: VIEWER })).status, 200);
    } finally {
        closeAll(sockets);
        await app.stop();
        await removeDir(home);
    }
});
