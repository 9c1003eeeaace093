// The browser client's merge rules (resources/web/js/model.js), run directly in node: chat
// messages unique by id in seq order whatever the arrival order; analysis results, statuses
// and outlines merged from events, acks and the HTTP document without repeats.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import { sourceDir } from '../integration/realtime/helpers.mjs';

// Loaded as the browser loads it, an ES module (it imports nothing), without a package.json
// "type" next to the web files.
const source = await readFile(path.join(sourceDir, 'resources/web/js/model.js'), 'utf8');
const { MessageLog, VideoAnalysis, boxesAt, isNewerStatus, isValidId, resultKey } = await import(
    `data:text/javascript;base64,${Buffer.from(source).toString('base64')}`);

const message = (seq, extra = {}) => ({ id: `m${seq}`, seq, session_id: 's', text: `text ${seq}`, kind: 'user', author: { id: 'a', name: 'A' }, timestamp: '2026-01-01T00:00:00.000Z', ...extra });

test('MessageLog keeps one copy of each message, in seq order', () => {
    const log = new MessageLog();
    assert.equal(log.addAll([message(3), message(1), message(2)]), 3);
    assert.equal(log.add(message(2)), false, 'a repeat is dropped');
    assert.equal(log.addAll([message(1), message(2), message(3), message(4)]), 1, 'a re-join history adds only the new');
    assert.deepEqual(log.ordered.map((m) => m.seq), [1, 2, 3, 4]);
    assert.equal(log.hasGap(), false);
    log.add(message(7));
    assert.equal(log.hasGap(), true);
    assert.equal(log.firstSeq, 1);
    assert.equal(log.lastSeq, 7);
    assert.equal(log.add({ id: 'x' }), false, 'no seq: not a chat message');
    assert.equal(log.add(null), false);
});

const status = (state, progress, timestamp, job = 'j1') => ({ video_id: 'v', job_id: job, state, stage: 'decoding', progress, message: '', timestamp });

test('statuses: the newest wins, whatever the order', () => {
    assert.equal(isNewerStatus(null, status('running', 1, '2026-01-01T00:00:01.000Z')), true);
    assert.equal(isNewerStatus(status('running', 50, '2026-01-01T00:00:02.000Z'), status('running', 40, '2026-01-01T00:00:01.000Z')), false);
    assert.equal(isNewerStatus(null, { state: 'bogus' }), false);
    const model = new VideoAnalysis('v');
    assert.equal(model.setStatus(status('running', 50, '2026-01-01T00:00:02.000Z')), true);
    assert.equal(model.setStatus(status('running', 40, '2026-01-01T00:00:01.000Z')), false, 'an older ack does not go back');
    assert.equal(model.setStatus(status('running', 50, '2026-01-01T00:00:02.000Z')), false, 'the same again changes nothing');
    assert.equal(model.setStatus({ ...status('running', 1, '2026-01-01T00:00:09.000Z'), video_id: 'other' }), false);
});

const shot = (index, start, end, job = 'j1') => ({ video_id: 'v', job_id: job, kind: 'shot', start, end, data: { index, transition: 'cut', keyframe: index, keyframe_url: `/k/${index}.jpg` }, timestamp: `2026-01-01T00:00:0${index}.000Z` });

test('results: repeats dropped, shots derived in order, the current job only', () => {
    const model = new VideoAnalysis('v');
    model.setStatus(status('running', 10, '2026-01-01T00:00:00.000Z'));
    assert.equal(model.addResults([shot(1, 2, 4), shot(0, 0, 2)]), 2);
    assert.equal(model.addResults([shot(0, 0, 2), shot(1, 2, 4), shot(2, 4, 6)]), 1, 'an ack repeating the events');
    model.addResult({ video_id: 'v', job_id: 'j1', kind: 'faces', start: 0, end: 2, data: { shot: 0, count: 1, max_count: 1, tracks: [{ id: 1, start: 0, end: 2, boxes: [{ t: 0.5, x: 0.1, y: 0.2, w: 0.3, h: 0.4 }, { t: 1.9, x: 0.5, y: 0.5, w: 0.1, h: 0.1 }] }] } });
    model.addResult({ video_id: 'v', job_id: 'j1', kind: 'keyframe', start: 0.6, data: { shot: 0, time: 0.6, keyframe: 0, keyframe_url: '/k/0.jpg' } });
    model.addResult({ video_id: 'v', job_id: 'j1', kind: 'colors', start: 0, end: 2, data: { shot: 0, dominant: [{ hex: '#112233', share: 0.7 }, { hex: 'red', share: 0.3 }], brightness: 0.2 } });
    let view = model.view();
    assert.deepEqual(view.shots.map((s) => s.index), [0, 1, 2]);
    assert.equal(view.shots[0].keyframeUrl, '/k/0.jpg');
    assert.deepEqual(view.shots[0].boxes, [{ kind: 'faces', id: 1, x: 0.1, y: 0.2, w: 0.3, h: 0.4 }], 'the box nearest the keyframe time');
    assert.deepEqual(view.shots[0].colors.dominant.map((c) => c.hex), ['#112233'], 'only #rrggbb colours reach CSS');

    // A new job: the old job's results are no longer shown.
    model.setStatus(status('running', 0, '2026-01-01T00:01:00.000Z', 'j2'));
    view = model.view();
    assert.equal(view.job, 'j2');
    assert.deepEqual(view.shots, []);
    model.addResult(shot(0, 0, 3, 'j2'));
    assert.deepEqual(model.view().shots.map((s) => s.end), [3]);
});

test('outline: "segment" adds, "outline" and "summary" replace', () => {
    const model = new VideoAnalysis('v');
    const seg = (index, title) => ({ index, start: index, end: index + 1, title });
    assert.equal(model.setContent({ video_id: 'v', job_id: 'j', kind: 'segment', segments: [seg(0, 'a')] }), true);
    assert.equal(model.setContent({ video_id: 'v', job_id: 'j', kind: 'segment', segments: [seg(1, 'b')] }), true);
    assert.equal(model.setContent({ video_id: 'v', job_id: 'j', kind: 'segment', segments: [seg(1, 'b')] }), false);
    model.setStatus({ ...status('running', 1, '2026-01-01T00:00:00.000Z'), job_id: 'j' });
    assert.deepEqual(model.view().segments.map((s) => s.title), ['a', 'b']);
    model.setContent({ video_id: 'v', job_id: 'j', kind: 'outline', segments: [seg(0, 'whole')] });
    assert.deepEqual(model.view().segments.map((s) => s.title), ['whole']);
});

test('the stored document of a finished job gives the same view as the live results', () => {
    const doc = {
        complete: true, schema: 1, video_id: 'v', job_id: 'j9', completed_at: '2026-01-01T00:02:00.000Z',
        shots: [
            { index: 0, start: 0, end: 2, transition: 'start', keyframe: 0, keyframe_time: 1, colors: { dominant: [{ hex: '#000000', share: 1 }], brightness: 0 }, motion: { intensity: 0.5 },
                faces: { count: 1, max_count: 1, tracks: [{ id: 3, start: 0, end: 2, boxes: [{ t: 1, x: 0.2, y: 0.2, w: 0.2, h: 0.2 }] }] } },
            { index: 1, start: 2, end: 5, transition: 'cut', keyframe: null },
        ],
        audio: { present: true, loudness: [{ t: 0, db: -20 }, { t: 0.5, db: -30 }], silence: [{ start: 3, end: 4 }] },
        outline: [{ index: 0, start: 0, end: 5, title: 'All', keyframe: 0 }],
    };
    const model = new VideoAnalysis('v');
    assert.equal(model.ingestDocument(doc), true);
    assert.equal(model.ingestDocument(doc), false, 'the same document again changes nothing');
    const view = model.view();
    assert.equal(view.status.state, 'completed');
    assert.equal(view.complete, true);
    assert.deepEqual(view.shots.map((s) => [s.index, s.keyframeUrl]), [[0, '/api/v1/videos/v/keyframes/0.jpg'], [1, null]]);
    assert.equal(view.shots[0].boxes.length, 1);
    assert.equal(view.shots[0].motion, 0.5);
    assert.deepEqual(view.loudness, [{ t: 0, db: -20 }, { t: 0.5, db: -30 }]);
    assert.deepEqual(view.silences, [{ start: 3, end: 4 }]);
    assert.deepEqual(view.segments.map((s) => s.keyframe_url), ['/api/v1/videos/v/keyframes/0.jpg']);
    // Live results of the same job arriving late add nothing twice.
    model.addResult({ video_id: 'v', job_id: 'j9', kind: 'audio', start: 0, data: { loudness: [{ t: 0.5, db: -30 }] } });
    assert.equal(model.view().loudness.length, 2);
});

test('boxes: clamped into the frame, tracks off screen at the keyframe left out', () => {
    const shotView = {
        start: 0, end: 10, keyframe: { time: 5 },
        people: { tracks: [
            { id: 1, start: 4, end: 6, boxes: [{ t: 5, x: 0.9, y: -0.1, w: 0.5, h: 0.5 }] },
            { id: 2, start: 8, end: 9, boxes: [{ t: 8.5, x: 0.1, y: 0.1, w: 0.1, h: 0.1 }] },
        ] },
    };
    const boxes = boxesAt(shotView, 'people');
    assert.equal(boxes.length, 1);
    const [box] = boxes;
    assert.equal(box.x, 0.9);
    assert.equal(box.y, 0);
    assert.ok(Math.abs(box.w - 0.1) < 1e-9);
    assert.equal(box.h, 0.5);
});

test('ids and result keys', () => {
    assert.equal(isValidId('lobby-1.a_b'), true);
    assert.equal(isValidId('has space'), false);
    assert.equal(isValidId(''), false);
    assert.equal(isValidId('x'.repeat(129)), false);
    assert.notEqual(resultKey(shot(0, 0, 1)), resultKey(shot(0, 0, 1, 'j2')));
});
