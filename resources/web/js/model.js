// Pure state of the client, no DOM: how chat messages and analysis results from acks, events
// and HTTP answers are merged, whatever their order and however often they arrive (after a
// reconnection the acks repeat what the events already brought). node's test runner imports
// this module directly (tests/e2e/model.test.mjs).

/** A chat session's messages: unique by `id`, kept in the server's order (`seq`). */
export class MessageLog {
    constructor() {
        this.byId = new Map();
        this.ordered = [];
    }

    /** Adds a chat_message unless it is known already; true when it was new. */
    add(message) {
        if (!isChatMessage(message) || this.byId.has(message.id)) return false;
        this.byId.set(message.id, message);
        let i = this.ordered.length;
        while (i > 0 && this.ordered[i - 1].seq > message.seq) --i;
        this.ordered.splice(i, 0, message);
        return true;
    }

    /** Adds every message of `messages`; resolves with how many were new. */
    addAll(messages) {
        let added = 0;
        for (const message of Array.isArray(messages) ? messages : []) if (this.add(message)) ++added;
        return added;
    }

    has(id) {
        return this.byId.has(id);
    }

    get size() {
        return this.ordered.length;
    }

    get firstSeq() {
        return this.ordered.length ? this.ordered[0].seq : null;
    }

    get lastSeq() {
        return this.ordered.length ? this.ordered[this.ordered.length - 1].seq : null;
    }

    /** True when some seq between the first and the last message is missing. */
    hasGap() {
        if (this.ordered.length < 2) return false;
        return this.lastSeq - this.firstSeq + 1 > this.ordered.length;
    }
}

export function isChatMessage(message) {
    return Boolean(message) && typeof message === 'object' && typeof message.id === 'string'
        && message.id.length > 0 && Number.isInteger(message.seq);
}

const ANALYSIS_STATES = new Set(['queued', 'running', 'completed', 'failed', 'cancelled']);

/** True while a job of this state may still change. */
export function isActiveState(state) {
    return state === 'queued' || state === 'running';
}

/** Whether `incoming` (a processing_status) is at least as new as `current`. */
export function isNewerStatus(current, incoming) {
    if (!incoming || typeof incoming !== 'object' || !ANALYSIS_STATES.has(incoming.state)) return false;
    if (!current) return true;
    if (typeof incoming.timestamp !== 'string' || typeof current.timestamp !== 'string') return true;
    // Same ISO 8601 UTC format with milliseconds: the strings order like the times.
    return incoming.timestamp >= current.timestamp;
}

/** The identity of a visual_analysis_result: the same result sent twice has the same key. */
export function resultKey(result) {
    const data = result.data && typeof result.data === 'object' ? result.data : {};
    return [result.job_id ?? '', result.kind, result.start ?? '', result.end ?? '',
        data.index ?? data.shot ?? '', data.keyframe ?? ''].join('|');
}

const finite = (value) => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const clamp01 = (value) => Math.min(1, Math.max(0, value));

/**
 * Everything known about the analysis of one video: the latest processing_status, every
 * visual_analysis_result (unique by resultKey) and the outline from content_analysis_update,
 * per job. `view()` derives what the page shows for the current job.
 */
export class VideoAnalysis {
    constructor(videoId) {
        this.videoId = videoId;
        this.status = null;
        this.results = new Map();
        this.segmentsByJob = new Map();
        this.documentResults = new Map(); // job -> results rebuilt from its stored document
        this.documentSignatures = new Map();
        this.version = 0;
        this.cachedView = null;
        this.cachedVersion = -1;
    }

    /** A processing_status (event, ack or HTTP); true when it changed what is known. */
    setStatus(status) {
        if (!status || status.video_id !== undefined && status.video_id !== this.videoId) return false;
        if (!isNewerStatus(this.status, status)) return false;
        if (this.status && JSON.stringify(this.status) === JSON.stringify(status)) return false;
        this.status = status;
        ++this.version;
        return true;
    }

    /** A visual_analysis_result; true when it was new. */
    addResult(result) {
        if (!result || typeof result !== 'object' || typeof result.kind !== 'string') return false;
        if (result.video_id !== undefined && result.video_id !== this.videoId) return false;
        const key = resultKey(result);
        if (this.results.has(key)) return false;
        this.results.set(key, result);
        ++this.version;
        return true;
    }

    addResults(results) {
        let added = 0;
        for (const result of Array.isArray(results) ? results : []) if (this.addResult(result)) ++added;
        return added;
    }

    /**
     * A content_analysis_update: "segment" adds or replaces the segments it carries; "outline"
     * and "summary" carry the whole outline so far and replace it.
     */
    setContent(update) {
        if (!update || !Array.isArray(update.segments)) return false;
        if (update.video_id !== undefined && update.video_id !== this.videoId) return false;
        const job = update.job_id ?? '';
        const replace = update.kind === 'outline' || update.kind === 'summary';
        const before = this.segmentsByJob.get(job);
        const segments = replace || !before ? new Map() : new Map(before);
        for (const segment of update.segments) {
            if (segment && Number.isInteger(segment.index)) segments.set(segment.index, segment);
        }
        if (before && JSON.stringify([...before]) === JSON.stringify([...segments])) return false;
        this.segmentsByJob.set(job, segments);
        ++this.version;
        return true;
    }

    /**
     * GET /api/v1/videos/{id}/analysis: {complete: false, status, results} while a job runs
     * (the same results as the events), or {complete: true, ...} with the stored document of a
     * finished job (schema 1: shots, audio, outline; keyframes by index). The document is
     * complete: for its job the page shows it instead of the results collected live.
     */
    ingestDocument(doc) {
        if (!doc || typeof doc !== 'object') return false;
        let changed = false;
        if (doc.status && typeof doc.status === 'object') changed = this.setStatus(doc.status) || changed;
        if (Array.isArray(doc.results)) changed = this.addResults(doc.results) > 0 || changed;
        if (doc.complete === true && Array.isArray(doc.shots)) {
            const jobId = typeof doc.job_id === 'string' ? doc.job_id : '';
            const signature = `${jobId}|${doc.completed_at ?? ''}|${doc.shots.length}`;
            if (this.documentSignatures.get(jobId) !== signature) {
                this.documentSignatures.set(jobId, signature);
                this.documentResults.set(jobId, resultsFromDocument(doc, this.videoId));
                if (Array.isArray(doc.outline)) {
                    this.setContent({
                        kind: 'summary',
                        job_id: jobId,
                        segments: doc.outline.map((segment) => withKeyframeUrl(segment, this.videoId)),
                    });
                }
                if (!this.status && jobId) {
                    this.status = { video_id: this.videoId, job_id: jobId, state: 'completed', stage: 'done', progress: 100, message: '', timestamp: doc.completed_at };
                }
                ++this.version;
                changed = true;
            }
        }
        return changed;
    }

    /** The job the page shows: the status's job, else the one of the newest result. */
    currentJob() {
        if (this.status?.job_id) return this.status.job_id;
        let newest = null;
        for (const result of this.results.values()) {
            if (!newest || (result.timestamp ?? '') > (newest.timestamp ?? '')) newest = result;
        }
        return newest?.job_id ?? null;
    }

    /** What the page shows, derived from the current job's results (cached per version). */
    view() {
        if (this.cachedVersion === this.version) return this.cachedView;
        const job = this.currentJob();
        const ofJob = (item) => !job || item.job_id === undefined || item.job_id === job;
        const shots = new Map();
        const shotOf = (index) => {
            if (!shots.has(index)) shots.set(index, { index, closed: false });
            return shots.get(index);
        };
        const loudness = new Map();
        const silences = new Map();
        const fromDocument = job !== null && this.documentResults.has(job);
        const source = fromDocument ? this.documentResults.get(job) : this.results.values();
        for (const result of source) {
            if (!fromDocument && !ofJob(result)) continue;
            const data = result.data && typeof result.data === 'object' ? result.data : {};
            const shotIndex = Number.isInteger(data.shot) ? data.shot : null;
            switch (result.kind) {
            case 'shot': {
                if (!Number.isInteger(data.index)) break;
                const shot = shotOf(data.index);
                shot.closed = true;
                shot.start = finite(result.start) ?? 0;
                shot.end = finite(result.end) ?? shot.start;
                shot.transition = typeof data.transition === 'string' ? data.transition : '';
                shot.score = finite(data.score);
                if (typeof data.keyframe_url === 'string') shot.keyframeUrl ??= data.keyframe_url;
                break;
            }
            case 'keyframe':
                if (shotIndex === null) break;
                shotOf(shotIndex).keyframe = {
                    time: finite(data.time) ?? finite(result.start) ?? 0,
                    url: typeof data.keyframe_url === 'string' ? data.keyframe_url : null,
                    width: finite(data.width),
                    height: finite(data.height),
                };
                break;
            case 'faces':
            case 'people':
                if (shotIndex === null) break;
                shotOf(shotIndex)[result.kind] = {
                    count: finite(data.count) ?? 0,
                    maxCount: finite(data.max_count) ?? finite(data.count) ?? 0,
                    tracks: Array.isArray(data.tracks) ? data.tracks : [],
                };
                break;
            case 'colors':
                if (shotIndex === null) break;
                shotOf(shotIndex).colors = {
                    dominant: (Array.isArray(data.dominant) ? data.dominant : [])
                        .filter((c) => c && /^#[0-9a-fA-F]{6}$/.test(c.hex) && finite(c.share) !== null),
                    brightness: finite(data.brightness),
                };
                break;
            case 'motion':
                if (shotIndex === null) break;
                shotOf(shotIndex).motion = finite(data.intensity);
                break;
            case 'audio':
                for (const point of Array.isArray(data.loudness) ? data.loudness : []) {
                    if (finite(point?.t) !== null && finite(point?.db) !== null) loudness.set(point.t, point.db);
                }
                break;
            case 'silence': {
                const start = finite(data.start) ?? finite(result.start);
                const end = finite(data.end) ?? finite(result.end);
                if (start !== null && end !== null) silences.set(`${start.toFixed(2)}|${end.toFixed(2)}`, { start, end });
                break;
            }
            default:
                break;
            }
        }
        for (const shot of shots.values()) {
            shot.keyframeUrl = shot.keyframe?.url ?? shot.keyframeUrl ?? null;
            shot.boxes = [...boxesAt(shot, 'faces'), ...boxesAt(shot, 'people')];
        }
        const loudnessPoints = [...loudness].map(([t, db]) => ({ t, db })).sort((a, b) => a.t - b.t);
        const silenceSpans = [...silences.values()].sort((a, b) => a.start - b.start);
        const segments = [...(this.segmentsByJob.get(job ?? '') ?? this.segmentsByJob.get('') ?? new Map()).values()]
            .sort((a, b) => a.index - b.index);
        this.cachedView = {
            job,
            status: this.status,
            shots: [...shots.values()].filter((shot) => shot.closed).sort((a, b) => a.index - b.index),
            loudness: loudnessPoints,
            silences: silenceSpans,
            segments,
            complete: fromDocument,
        };
        this.cachedVersion = this.version;
        return this.cachedView;
    }
}

/** The address of keyframe `n` of a video (GET /api/v1/videos/{id}/keyframes/{n}.jpg). */
export function keyframeUrl(videoId, n) {
    return `/api/v1/videos/${encodeURIComponent(videoId)}/keyframes/${n}.jpg`;
}

function withKeyframeUrl(item, videoId) {
    if (!item || typeof item !== 'object' || typeof item.keyframe_url === 'string' || !Number.isInteger(item.keyframe) || item.keyframe < 0) return item;
    return { ...item, keyframe_url: keyframeUrl(videoId, item.keyframe) };
}

/**
 * The results a finished job published, rebuilt from its stored document, so that a page
 * opened afterwards shows what a page that watched it live shows.
 */
export function resultsFromDocument(doc, videoId) {
    const jobId = doc.job_id;
    const results = [];
    const add = (kind, start, end, data) => results.push({ video_id: videoId, job_id: jobId, kind, start, end, data });
    for (const shot of doc.shots) {
        if (!shot || !Number.isInteger(shot.index)) continue;
        const n = shot.index;
        const hasKeyframe = Number.isInteger(shot.keyframe) && shot.keyframe >= 0;
        const url = hasKeyframe ? keyframeUrl(videoId, shot.keyframe) : undefined;
        add('shot', shot.start, shot.end, {
            index: n, transition: shot.transition, score: shot.score, keyframe: hasKeyframe ? shot.keyframe : null, keyframe_url: url,
        });
        if (hasKeyframe) {
            const time = finite(shot.keyframe_time) ?? (finite(shot.start) ?? 0);
            add('keyframe', time, undefined, { shot: n, time, keyframe: shot.keyframe, keyframe_url: url });
        }
        for (const kind of ['faces', 'people']) {
            if (shot[kind] && typeof shot[kind] === 'object') add(kind, shot.start, shot.end, { ...shot[kind], shot: n });
        }
        if (shot.colors && typeof shot.colors === 'object') add('colors', shot.start, shot.end, { ...shot.colors, shot: n });
        if (shot.motion && typeof shot.motion === 'object') add('motion', shot.start, shot.end, { ...shot.motion, shot: n });
    }
    const audio = doc.audio && typeof doc.audio === 'object' ? doc.audio : {};
    if (Array.isArray(audio.loudness) && audio.loudness.length) add('audio', audio.loudness[0]?.t ?? 0, undefined, { loudness: audio.loudness });
    for (const span of Array.isArray(audio.silence) ? audio.silence : []) {
        if (span && finite(span.start) !== null && finite(span.end) !== null) add('silence', span.start, span.end, { start: span.start, end: span.end });
    }
    return results;
}

/**
 * The boxes of a shot's face or people tracks to draw over its keyframe: per track, the box
 * nearest to the keyframe's time, if the track is on screen then (half a second of slack).
 */
export function boxesAt(shot, kind) {
    const detection = shot[kind];
    if (!detection) return [];
    const time = shot.keyframe?.time ?? (shot.start !== undefined ? (shot.start + shot.end) / 2 : null);
    const boxes = [];
    for (const track of detection.tracks) {
        if (!track || !Array.isArray(track.boxes) || track.boxes.length === 0) continue;
        if (time !== null && finite(track.start) !== null && finite(track.end) !== null
            && (time < track.start - 0.5 || time > track.end + 0.5)) continue;
        let best = null;
        for (const box of track.boxes) {
            if (![box?.x, box?.y, box?.w, box?.h].every((v) => finite(v) !== null)) continue;
            if (!best || time !== null && Math.abs((box.t ?? 0) - time) < Math.abs((best.t ?? 0) - time)) best = box;
        }
        if (!best) continue;
        const x = clamp01(best.x);
        const y = clamp01(best.y);
        boxes.push({ kind, id: track.id, x, y, w: clamp01(Math.min(best.w, 1 - x)), h: clamp01(Math.min(best.h, 1 - y)) });
    }
    return boxes;
}

/** Valid `session_id` / `video_id` (docs/protocol.md). */
export function isValidId(id) {
    return typeof id === 'string' && /^[A-Za-z0-9_.-]{1,128}$/.test(id);
}
