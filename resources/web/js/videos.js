// The video library: the list (GET /api/v1/videos), uploads (file picker or drag and drop,
// one at a time, with progress and cancel), and the subscriptions that keep statuses and the
// open video's analysis live. After every (re)connection the list is fetched again and every
// subscription is renewed; the acks carry the current status and every result so far, which
// merge into the same VideoAnalysis models as the live events (model.js drops repeats).

import { AckError } from './connection.js';
import { ApiError, api, uploadVideo } from './api.js';
import { byId, formatBytes, formatDuration, h, reconcile, replaceChildren } from './dom.js';
import { VideoAnalysis, isActiveState, isValidId } from './model.js';
import { showToast } from './toasts.js';

/** Videos whose status is followed live in the list (the newest ones). */
const LIVE_STATUS_LIMIT = 40;

const STATE_LABELS = {
    queued: 'Queued',
    running: 'Analysing',
    completed: 'Analysed',
    failed: 'Failed',
    cancelled: 'Cancelled',
};

export function stateLabel(status) {
    return status ? STATE_LABELS[status.state] ?? status.state : 'Not analysed';
}

export class Videos {
    constructor(connection, analysisView) {
        this.connection = connection;
        this.view = analysisView;
        this.videos = new Map(); // id -> video (the API's object)
        this.order = []; // ids, newest first
        this.analyses = new Map(); // id -> VideoAnalysis
        this.subscribed = new Set(); // processing subscriptions on this connection
        this.visualFor = null; // the video whose visual results this connection receives
        this.selected = null;
        this.loaded = false;
        this.loadError = '';
        this.uploads = [];
        this.uploading = null;
        this.listElements = new Map();
        this.renderQueued = false;
        this.onSelect = () => {};

        this.dom = {
            list: byId('video-list'),
            empty: byId('library-empty'),
            uploads: byId('uploads'),
            dropzone: byId('dropzone'),
            fileInput: byId('file-input'),
            refresh: byId('refresh-videos'),
        };
        this.wireDom();
        this.view.onAnalyze = (id) => this.startAnalysis(id);
        this.view.onCancel = (id) => this.cancelAnalysis(id);

        connection.on('processing_status', (status) => this.handleStatus(status));
        connection.on('visual_analysis_result', (result) => {
            const model = this.analyses.get(result?.video_id);
            if (model?.addResult(result)) this.scheduleRender();
        });
        connection.on('content_analysis_update', (update) => {
            const model = this.analyses.get(update?.video_id);
            if (model?.setContent(update)) this.scheduleRender();
        });
    }

    model(id) {
        if (!this.analyses.has(id)) this.analyses.set(id, new VideoAnalysis(id));
        return this.analyses.get(id);
    }

    // --- server side ---------------------------------------------------------------------

    /** After every connection: the list again, then every subscription again. */
    async resync() {
        this.subscribed.clear();
        this.visualFor = null;
        await this.loadList();
        await Promise.all([
            ...this.order.slice(0, LIVE_STATUS_LIMIT).map((id) => this.subscribeProcessing(id)),
            this.selected ? this.openLive(this.selected) : null,
        ]);
    }

    async loadList() {
        try {
            const reply = await api.videos();
            const videos = Array.isArray(reply?.videos) ? reply.videos : [];
            const ids = [];
            for (const video of videos) {
                if (!video || !isValidId(video.video_id)) continue;
                ids.push(video.video_id);
                this.videos.set(video.video_id, video);
                if (video.status) this.model(video.video_id).setStatus(video.status);
            }
            for (const id of [...this.videos.keys()]) {
                if (!ids.includes(id)) this.videos.delete(id);
            }
            this.order = ids;
            this.loaded = true;
            this.loadError = '';
        } catch (error) {
            this.loadError = error.message;
        }
        this.scheduleRender();
    }

    /** The list again, following the statuses of videos that are new to this page. */
    async refresh() {
        if (!this.connection.connected) return;
        await this.loadList();
        await Promise.all(this.order.slice(0, LIVE_STATUS_LIMIT).map((id) => this.subscribeProcessing(id)));
    }

    async subscribeProcessing(id) {
        if (!this.connection.connected || this.subscribed.has(id)) return;
        this.subscribed.add(id);
        try {
            const reply = await this.connection.request('subscribe_processing_updates', { video_id: id });
            if (reply.status && this.model(id).setStatus(reply.status)) this.scheduleRender();
        } catch {
            this.subscribed.delete(id);
        }
    }

    handleStatus(status) {
        if (!status || !isValidId(status.video_id)) return;
        const model = this.model(status.video_id);
        const previous = model.status;
        if (!model.setStatus(status)) return;
        this.scheduleRender();
        if (status.video_id === this.selected && !isActiveState(status.state)
            && (!previous || isActiveState(previous.state))) {
            // A job just ended: the stored document has the final outline.
            this.fetchDocument(status.video_id);
        }
    }

    /** Subscribes to the selected video's processing and visual results and fetches the rest. */
    async openLive(id) {
        if (!this.connection.connected) return;
        const model = this.model(id);
        if (this.visualFor && this.visualFor !== id) {
            const previous = this.visualFor;
            this.visualFor = null;
            this.connection.request('unsubscribe_visual_analysis', { video_id: previous }).catch(() => {});
        }
        this.visualFor = id;
        await this.subscribeProcessing(id);
        try {
            const reply = await this.connection.request('subscribe_visual_analysis', { video_id: id });
            if (model.addResults(reply.results)) this.scheduleRender();
        } catch (error) {
            if (this.visualFor === id) this.visualFor = null;
            if (!(error instanceof AckError && error.code === 'disconnected')) {
                showToast({ level: 'error', title: 'Live results unavailable', text: error.message });
            }
            return;
        }
        if (model.status) await this.fetchDocument(id);
    }

    async fetchDocument(id) {
        try {
            const doc = await api.analysis(id);
            if (this.model(id).ingestDocument(doc)) this.scheduleRender();
        } catch (error) {
            if (error instanceof ApiError && error.status === 404) return;
            showToast({ level: 'warning', title: 'Could not load the analysis', text: error.message });
        }
    }

    select(id, { focus = false } = {}) {
        if (id !== null && !isValidId(id)) return;
        this.selected = id;
        this.scheduleRender();
        this.onSelect(id, { focus });
        if (id) {
            this.openLive(id);
        } else if (this.visualFor) {
            const previous = this.visualFor;
            this.visualFor = null;
            this.connection.request('unsubscribe_visual_analysis', { video_id: previous }).catch(() => {});
        }
    }

    async startAnalysis(id) {
        try {
            const reply = await api.analyze(id);
            // The 202 answer carries the job; the events bring its progress.
            const model = this.model(id);
            if (reply?.job_id && reply.state && model.status?.job_id !== reply.job_id) {
                model.setStatus({ video_id: id, job_id: reply.job_id, state: reply.state, stage: '', progress: 0, message: '', timestamp: model.status?.timestamp });
                this.scheduleRender();
            }
            if (!this.subscribed.has(id)) await this.subscribeProcessing(id);
        } catch (error) {
            showToast({ level: 'error', title: 'Could not start the analysis', text: error.message });
        }
    }

    async cancelAnalysis(id) {
        try {
            await api.cancel(id);
        } catch (error) {
            showToast({ level: 'error', title: 'Could not cancel the analysis', text: error.message });
        }
    }

    // --- uploads ---------------------------------------------------------------------------

    addFiles(files) {
        for (const file of files) {
            this.uploads.push({ key: crypto.randomUUID(), file, state: 'queued', sent: 0, total: file.size, error: '', handle: null });
        }
        this.renderUploads();
        this.nextUpload();
    }

    nextUpload() {
        if (this.uploading) return;
        const upload = this.uploads.find((u) => u.state === 'queued');
        if (!upload) return;
        this.uploading = upload;
        upload.state = 'uploading';
        upload.handle = uploadVideo(upload.file, {
            onProgress: (sent, total) => {
                upload.sent = sent;
                upload.total = total;
                if (sent >= total) upload.state = 'checking';
                this.updateUploadProgress(upload);
            },
        });
        this.renderUploads();
        upload.handle.promise.then((video) => {
            upload.state = 'done';
            if (video && isValidId(video.video_id)) {
                this.videos.set(video.video_id, video);
                this.order = [video.video_id, ...this.order.filter((id) => id !== video.video_id)];
                this.subscribeProcessing(video.video_id);
                this.select(video.video_id);
            }
            setTimeout(() => {
                this.uploads = this.uploads.filter((u) => u !== upload);
                this.renderUploads();
            }, 2500);
        }, (error) => {
            upload.state = error.code === 'aborted' ? 'cancelled' : 'error';
            upload.error = uploadError(error, upload.file);
            if (upload.state === 'cancelled') {
                setTimeout(() => {
                    this.uploads = this.uploads.filter((u) => u !== upload);
                    this.renderUploads();
                }, 1500);
            }
        }).finally(() => {
            this.uploading = null;
            this.renderUploads();
            this.scheduleRender();
            this.nextUpload();
        });
    }

    cancelUpload(upload) {
        if (upload.handle && (upload.state === 'uploading' || upload.state === 'checking')) {
            upload.handle.abort();
        } else {
            this.uploads = this.uploads.filter((u) => u !== upload);
            this.renderUploads();
        }
    }

    // --- view ------------------------------------------------------------------------------

    wireDom() {
        const { dropzone, fileInput, refresh } = this.dom;
        fileInput.addEventListener('change', () => {
            if (fileInput.files?.length) this.addFiles([...fileInput.files]);
            fileInput.value = '';
        });
        refresh.addEventListener('click', () => this.refresh());
        // Others upload too: look again when the page comes back into view, and now and then.
        document.addEventListener('visibilitychange', () => {
            if (!document.hidden) this.refresh();
        });
        setInterval(() => {
            if (!document.hidden) this.refresh();
        }, 60000);
        const hasFiles = (event) => [...(event.dataTransfer?.types ?? [])].includes('Files');
        let depth = 0;
        dropzone.addEventListener('dragenter', (event) => {
            if (!hasFiles(event)) return;
            event.preventDefault();
            ++depth;
            dropzone.classList.add('dragging');
        });
        dropzone.addEventListener('dragover', (event) => {
            if (!hasFiles(event)) return;
            event.preventDefault();
            event.dataTransfer.dropEffect = 'copy';
        });
        dropzone.addEventListener('dragleave', () => {
            depth = Math.max(0, depth - 1);
            if (depth === 0) dropzone.classList.remove('dragging');
        });
        dropzone.addEventListener('drop', (event) => {
            event.preventDefault();
            depth = 0;
            dropzone.classList.remove('dragging');
            const files = [...(event.dataTransfer?.files ?? [])];
            if (files.length) this.addFiles(files);
        });
        // A file dropped anywhere else must not replace the page with the file.
        window.addEventListener('dragover', (event) => {
            if (hasFiles(event)) event.preventDefault();
        });
        window.addEventListener('drop', (event) => {
            if (hasFiles(event)) event.preventDefault();
        });
    }

    scheduleRender() {
        if (this.renderQueued) return;
        this.renderQueued = true;
        const run = () => {
            this.renderQueued = false;
            this.render();
        };
        // Results can arrive by the hundred: one render per frame (timers in hidden tabs).
        if (document.hidden) setTimeout(run, 250);
        else requestAnimationFrame(run);
    }

    render() {
        this.renderList();
        const id = this.selected;
        this.view.render(id ? {
            id,
            video: this.videos.get(id) ?? null,
            missing: this.loaded && !this.videos.has(id),
            model: this.model(id),
            connected: this.connection.connected,
        } : null);
    }

    renderList() {
        const { list, empty } = this.dom;
        const wanted = [];
        for (const id of this.order) {
            const video = this.videos.get(id);
            if (!video) continue;
            const status = this.analyses.get(id)?.status ?? null;
            const signature = JSON.stringify([video.filename, video.duration_s, status?.state, Math.floor(status?.progress ?? -1), this.selected === id]);
            let item = this.listElements.get(id);
            if (!item || item.dataset.signature !== signature) {
                item = this.videoItem(video, status);
                item.dataset.signature = signature;
                const old = this.listElements.get(id);
                if (old) {
                    const hadFocus = old.contains(document.activeElement);
                    old.replaceWith(item);
                    if (hadFocus) item.querySelector('button')?.focus();
                }
                this.listElements.set(id, item);
            }
            wanted.push(item);
        }
        for (const id of [...this.listElements.keys()]) if (!this.videos.has(id)) this.listElements.delete(id);
        reconcile(list, wanted);
        empty.hidden = wanted.length > 0;
        empty.textContent = this.loadError ? `The library could not be loaded: ${this.loadError}`
            : this.loaded ? 'No videos yet. Upload one to analyse it.' : 'Loading the library…';
    }

    videoItem(video, status) {
        const id = video.video_id;
        const facts = [formatDuration(video.duration_s)];
        if (video.width && video.height) facts.push(`${video.width}×${video.height}`);
        if (typeof video.size === 'number') facts.push(formatBytes(video.size));
        const state = status?.state ?? 'none';
        const progress = status && isActiveState(status.state) && typeof status.progress === 'number'
            ? ` ${Math.floor(status.progress)} %` : '';
        return h('li', { class: 'video-item', 'data-video-id': id },
            h('button', {
                type: 'button',
                class: 'video-button',
                'aria-current': this.selected === id ? 'true' : null,
                onclick: () => this.select(id, { focus: true }),
            },
            h('span', { class: 'video-name', text: video.filename || id }),
            h('span', { class: 'video-facts', text: facts.join(' · ') }),
            h('span', { class: `state-badge state-${state}`, text: `${stateLabel(status)}${progress}` })));
    }

    renderUploads() {
        const { uploads } = this.dom;
        replaceChildren(uploads, this.uploads.map((upload) => this.uploadItem(upload)));
        uploads.hidden = this.uploads.length === 0;
    }

    uploadItem(upload) {
        const labels = {
            queued: 'Waiting…',
            uploading: 'Uploading…',
            checking: 'Checking the video…',
            done: 'Uploaded',
            cancelled: 'Cancelled',
        };
        const name = upload.file.name;
        const head = h('div', { class: 'upload-head' },
            h('span', { class: 'upload-name', text: name }),
            h('span', { class: 'upload-size', text: formatBytes(upload.file.size) }));
        let item;
        if (upload.state === 'error') {
            item = h('li', { class: 'upload upload-error', 'data-key': upload.key },
                head,
                h('div', { class: 'upload-message', role: 'alert' },
                    h('p', { class: 'upload-error-title', text: upload.error.title }),
                    h('p', { class: 'upload-error-detail', text: upload.error.detail })),
                h('div', { class: 'upload-actions' },
                    h('button', { type: 'button', class: 'link-button', text: 'Dismiss', 'aria-label': `Dismiss the error about ${name}`, onclick: () => this.cancelUpload(upload) })));
            upload.element = item;
            return item;
        }
        const percent = upload.total > 0 ? Math.floor((upload.sent / upload.total) * 100) : 0;
        const busy = upload.state === 'uploading' || upload.state === 'checking' || upload.state === 'queued';
        const progress = h('progress', { class: 'upload-progress', max: 100, value: upload.state === 'done' ? 100 : percent, 'aria-label': `Upload of ${name}` });
        item = h('li', { class: `upload upload-${upload.state}`, 'data-key': upload.key },
            head,
            progress,
            h('div', { class: 'upload-foot' },
                h('span', { class: 'upload-state', text: `${labels[upload.state]}${upload.state === 'uploading' ? ` ${percent} %` : ''}` }),
                busy ? h('button', { type: 'button', class: 'link-button', text: 'Cancel', 'aria-label': `Cancel the upload of ${name}`, onclick: () => this.cancelUpload(upload) }) : null));
        upload.element = item;
        upload.progressElement = progress;
        return item;
    }

    updateUploadProgress(upload) {
        if (!upload.element?.isConnected) return this.renderUploads();
        const percent = upload.total > 0 ? Math.floor((upload.sent / upload.total) * 100) : 0;
        upload.progressElement.value = percent;
        const state = upload.element.querySelector('.upload-state');
        state.textContent = upload.state === 'checking' ? 'Checking the video…' : `Uploading… ${percent} %`;
    }
}

/** {title, detail} of a failed upload, in words for people; the server's reason included. */
function uploadError(error, file) {
    if (!(error instanceof ApiError)) return { title: 'Upload failed', detail: String(error?.message ?? error) };
    switch (error.status) {
    case 413: {
        const limit = /limit of (\d+) bytes/.exec(error.message);
        return {
            title: 'Too large for this server',
            detail: limit
                ? `This file is ${formatBytes(file.size)}; the server accepts at most ${formatBytes(Number(limit[1]))}.`
                : `This file is ${formatBytes(file.size)}. The server says: ${error.message}`,
        };
    }
    case 415:
        return { title: 'Not a video', detail: `The server cannot read this file as a video: ${error.message}.` };
    case 401:
        return { title: 'Not signed in', detail: 'The server did not accept the access token.' };
    case 403:
        return { title: 'Not allowed', detail: error.message };
    case 507:
        return { title: "The server's disk is full", detail: error.message };
    case 0:
        return { title: 'Upload failed', detail: error.message };
    default:
        return { title: `Upload failed (${error.status})`, detail: error.message };
    }
}
