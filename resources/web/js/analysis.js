// The analysis view of one video: the job (state, stage, progress, ETA, start and cancel), the
// shot timeline with a card per closed shot (keyframe with face and people boxes, dominant
// colours, motion), the outline, and the audio loudness. It renders a VideoAnalysis
// (model.js) and updates only what changed, keyed by shot and segment.

import { withToken } from './api.js';
import { byId, formatBytes, formatDuration, formatEta, formatVideoTime, h, reconcile, replaceChildren, setVars } from './dom.js';
import { isActiveState } from './model.js';
import { stateLabel } from './videos.js';

const TRANSITIONS = { cut: 'cut', fade: 'fade', dissolve: 'dissolve', start: 'start' };

export class AnalysisView {
    constructor() {
        this.onAnalyze = () => {};
        this.onCancel = () => {};
        this.current = null;
        this.cards = new Map();
        this.segments = new Map();
        this.audioSignature = '';
        this.dom = {
            empty: byId('analysis-empty'),
            root: byId('analysis'),
            title: byId('video-title'),
            facts: byId('video-facts'),
            state: byId('job-state'),
            stage: byId('job-stage'),
            progress: byId('job-progress'),
            percent: byId('job-percent'),
            eta: byId('job-eta'),
            message: byId('job-message'),
            analyze: byId('analyze-button'),
            cancel: byId('cancel-button'),
            timeline: byId('timeline'),
            timelineShots: byId('timeline-shots'),
            scanned: byId('timeline-scanned'),
            shots: byId('shots'),
            shotsCount: byId('shots-count'),
            shotsEmpty: byId('shots-empty'),
            outline: byId('outline'),
            outlineEmpty: byId('outline-empty'),
            audioSection: byId('audio-section'),
            audio: byId('audio-canvas'),
            audioSummary: byId('audio-summary'),
            dialog: byId('shot-dialog'),
            dialogTitle: byId('shot-dialog-title'),
            dialogBody: byId('shot-dialog-body'),
        };
        this.dom.analyze.addEventListener('click', () => this.current && this.onAnalyze(this.current.id));
        this.dom.cancel.addEventListener('click', () => this.current && this.onCancel(this.current.id));
        byId('shot-dialog-close').addEventListener('click', () => this.dom.dialog.close());
        this.dom.dialog.addEventListener('click', (event) => {
            if (event.target === this.dom.dialog) this.dom.dialog.close();
        });
        new ResizeObserver(() => {
            this.audioSignature = '';
            if (this.current) this.renderAudio(this.current.model.view(), this.durationOf(this.current));
        }).observe(this.dom.audio);
    }

    durationOf({ video, model }) {
        const view = model.view();
        const last = view.shots.length ? view.shots[view.shots.length - 1].end : 0;
        return Math.max(video?.duration_s ?? 0, last, view.loudness.length ? view.loudness[view.loudness.length - 1].t : 0) || 1;
    }

    render(selection) {
        const { empty, root } = this.dom;
        if (!selection) {
            this.current = null;
            empty.textContent = 'Choose a video from the library, or upload one, to see its analysis.';
            empty.hidden = false;
            root.hidden = true;
            return;
        }
        if (this.current?.id !== selection.id) {
            this.cards.clear();
            this.segments.clear();
            this.dom.shots.replaceChildren();
            this.dom.outline.replaceChildren();
            this.dom.timelineShots.replaceChildren();
            this.audioSignature = '';
        }
        this.current = selection;
        if (selection.missing) {
            empty.hidden = false;
            root.hidden = true;
            empty.textContent = 'This video is not in the library (any more). Choose another one.';
            return;
        }
        empty.textContent = 'Choose a video from the library, or upload one, to see its analysis.';
        empty.hidden = true;
        root.hidden = false;
        const view = selection.model.view();
        const duration = this.durationOf(selection);
        this.renderHeader(selection);
        this.renderJob(selection, view.status);
        this.renderShots(selection, view, duration);
        this.renderOutline(view);
        this.renderAudio(view, duration);
    }

    renderHeader({ id, video }) {
        this.dom.title.textContent = video?.filename || id;
        if (!video) {
            this.dom.facts.textContent = '';
            return;
        }
        const facts = [formatDuration(video.duration_s)];
        if (video.width && video.height) facts.push(`${video.width}×${video.height}`);
        if (video.fps) facts.push(`${Math.round(video.fps * 100) / 100} fps`);
        if (video.codec) facts.push(video.codec);
        if (typeof video.size === 'number') facts.push(formatBytes(video.size));
        facts.push(video.has_audio ? 'with sound' : 'no sound');
        this.dom.facts.textContent = facts.join(' · ');
    }

    renderJob({ connected }, status) {
        const { state, stage, progress, percent, eta, message, analyze, cancel } = this.dom;
        const active = Boolean(status && isActiveState(status.state));
        state.textContent = stateLabel(status);
        state.className = `state-badge state-${status?.state ?? 'none'}`;
        const value = typeof status?.progress === 'number' ? Math.min(100, Math.max(0, status.progress)) : 0;
        progress.value = status?.state === 'completed' ? 100 : value;
        progress.hidden = !status;
        percent.textContent = status ? `${Math.floor(status.state === 'completed' ? 100 : value)} %` : '';
        stage.textContent = active && status.stage ? capitalise(status.stage) : '';
        eta.textContent = active ? formatEta(status.eta_s) : '';
        message.textContent = typeof status?.message === 'string' ? status.message : '';
        message.hidden = !message.textContent;
        analyze.hidden = active;
        analyze.textContent = status ? 'Analyse again' : 'Analyse';
        analyze.disabled = !connected;
        cancel.hidden = !active;
        if (this.dom.scanned) setVars(this.dom.scanned, { done: active ? value / 100 : 0 });
        this.dom.timeline.classList.toggle('running', active);
    }

    renderShots({ id }, view, duration) {
        const { shots, shotsCount, shotsEmpty, timelineShots } = this.dom;
        const wanted = [];
        const bars = [];
        for (const shot of view.shots) {
            const key = `${id}|${view.job}|${shot.index}`;
            const signature = JSON.stringify([shot.start, shot.end, shot.transition, shot.keyframeUrl, shot.boxes, shot.colors, shot.motion, shot.faces?.maxCount, shot.people?.maxCount]);
            let entry = this.cards.get(key);
            if (!entry || entry.signature !== signature) {
                const card = this.shotCard(shot);
                const bar = h('span', { class: 'timeline-shot', title: `Shot ${shot.index + 1}: ${formatVideoTime(shot.start)}–${formatVideoTime(shot.end)}` });
                setVars(bar, { start: shot.start / duration, len: Math.max(0, shot.end - shot.start) / duration });
                setVars(bar, colourBands(shot.colors?.dominant ?? []));
                if (entry) {
                    const hadFocus = entry.card.contains(document.activeElement);
                    entry.card.replaceWith(card);
                    entry.bar.replaceWith(bar);
                    if (hadFocus) card.querySelector('button')?.focus();
                }
                entry = { card, bar, signature, duration };
                this.cards.set(key, entry);
            } else if (entry.duration !== duration) {
                setVars(entry.bar, { start: shot.start / duration, len: Math.max(0, shot.end - shot.start) / duration });
                entry.duration = duration;
            }
            wanted.push(entry.card);
            bars.push(entry.bar);
        }
        reconcile(shots, wanted);
        reconcile(timelineShots, bars);
        shotsCount.textContent = view.shots.length ? `(${view.shots.length})` : '';
        const active = view.status && isActiveState(view.status.state);
        shotsEmpty.hidden = view.shots.length > 0;
        shotsEmpty.textContent = active ? 'Shots appear here as the analysis finds them.'
            : view.status ? 'No shots were found.' : 'Start the analysis to see the shots of this video.';
    }

    /** The keyframe with its boxes, at any size (the boxes are percentages of the frame). */
    keyframeFigure(shot, { large = false } = {}) {
        const src = withToken(shot.keyframeUrl);
        const frame = h('span', { class: large ? 'keyframe keyframe-large' : 'keyframe' });
        if (src) {
            const image = h('img', {
                src,
                alt: `Keyframe of shot ${shot.index + 1} at ${formatVideoTime(shot.keyframe?.time ?? shot.start)}`,
                loading: large ? 'eager' : 'lazy',
                decoding: 'async',
                width: shot.keyframe?.width ?? null,
                height: shot.keyframe?.height ?? null,
            });
            image.addEventListener('error', () => frame.classList.add('broken'));
            frame.append(image);
        } else {
            frame.classList.add('missing');
            frame.append(h('span', { class: 'keyframe-placeholder', text: 'No keyframe yet' }));
        }
        for (const box of shot.boxes) {
            const element = h('span', { class: `box box-${box.kind}`, 'aria-hidden': 'true' });
            setVars(element, { x: box.x, y: box.y, w: box.w, h: box.h });
            frame.append(element);
        }
        return frame;
    }

    shotCard(shot) {
        const counts = [];
        if (shot.faces?.maxCount) counts.push(`${shot.faces.maxCount} face${shot.faces.maxCount === 1 ? '' : 's'}`);
        if (shot.people?.maxCount) counts.push(`${shot.people.maxCount} ${shot.people.maxCount === 1 ? 'person' : 'people'}`);
        const label = `Shot ${shot.index + 1}`;
        const button = h('button', {
            type: 'button',
            class: 'shot-button',
            'aria-label': `${label}, ${formatVideoTime(shot.start)} to ${formatVideoTime(shot.end)}${counts.length ? `, ${counts.join(', ')}` : ''}: show details`,
            onclick: () => this.openShot(shot),
        }, this.keyframeFigure(shot));
        return h('li', { class: 'shot', 'data-shot': shot.index },
            button,
            h('div', { class: 'shot-info' },
                h('p', { class: 'shot-title' },
                    h('span', { text: label }),
                    shot.transition && shot.transition !== 'start'
                        ? h('span', { class: 'shot-transition', text: TRANSITIONS[shot.transition] ?? shot.transition }) : null),
                h('p', { class: 'shot-time', text: `${formatVideoTime(shot.start)} – ${formatVideoTime(shot.end)}` }),
                counts.length ? h('p', { class: 'shot-counts', text: counts.join(' · ') }) : null,
                this.swatches(shot),
                typeof shot.motion === 'number' ? this.motionMeter(shot.motion) : null));
    }

    swatches(shot) {
        const colours = shot.colors?.dominant ?? [];
        if (!colours.length) return null;
        const total = colours.reduce((sum, c) => sum + Math.max(0, c.share), 0) || 1;
        return h('p', { class: 'swatches', role: 'img', 'aria-label': `Dominant colours: ${colours.map((c) => c.hex).join(', ')}` },
            colours.map((c) => {
                const swatch = h('span', { class: 'swatch', title: `${c.hex} (${Math.round((c.share / total) * 100)} %)` });
                setVars(swatch, { c: c.hex, share: Math.max(0.02, c.share / total) });
                return swatch;
            }));
    }

    motionMeter(intensity) {
        const percent = Math.round(Math.min(1, Math.max(0, intensity)) * 100);
        const meter = h('meter', { class: 'motion', min: 0, max: 100, value: percent, 'aria-label': 'Motion' });
        return h('p', { class: 'shot-motion' }, h('span', { text: 'Motion' }), meter, h('span', { text: `${percent} %` }));
    }

    openShot(shot) {
        const { dialog, dialogTitle, dialogBody } = this.dom;
        dialogTitle.textContent = `Shot ${shot.index + 1} · ${formatVideoTime(shot.start)} – ${formatVideoTime(shot.end)}`;
        const details = [];
        if (shot.transition) details.push(['Starts with', shot.transition]);
        if (shot.keyframe) details.push(['Keyframe at', formatVideoTime(shot.keyframe.time)]);
        if (shot.faces) details.push(['Faces', `${shot.faces.maxCount} at most, ${shot.faces.tracks.length} track${shot.faces.tracks.length === 1 ? '' : 's'}`]);
        if (shot.people) details.push(['People', `${shot.people.maxCount} at most, ${shot.people.tracks.length} track${shot.people.tracks.length === 1 ? '' : 's'}`]);
        if (typeof shot.colors?.brightness === 'number') details.push(['Brightness', `${Math.round(shot.colors.brightness * 100)} %`]);
        if (typeof shot.motion === 'number') details.push(['Motion', `${Math.round(shot.motion * 100)} %`]);
        replaceChildren(dialogBody,
            this.keyframeFigure(shot, { large: true }),
            h('dl', { class: 'shot-details' }, details.map(([term, value]) => [h('dt', { text: term }), h('dd', { text: value })])),
            this.swatches(shot));
        if (!dialog.open) dialog.showModal();
    }

    renderOutline(view) {
        const { outline, outlineEmpty } = this.dom;
        const wanted = view.segments.map((segment) => {
            const key = `${view.job}|${segment.index}`;
            const signature = JSON.stringify(segment);
            let entry = this.segments.get(key);
            if (!entry || entry.signature !== signature) {
                const src = typeof segment.keyframe === 'number' && segment.keyframe < 0 ? null : withToken(segment.keyframe_url);
                const element = h('li', { class: 'segment', 'data-segment': segment.index },
                    src ? h('img', { src, alt: '', loading: 'lazy', class: 'segment-thumb' }) : h('span', { class: 'segment-thumb missing', 'aria-hidden': 'true' }),
                    h('div', { class: 'segment-text' },
                        h('p', { class: 'segment-title', text: typeof segment.title === 'string' && segment.title ? segment.title : `Part ${segment.index + 1}` }),
                        h('p', { class: 'segment-time', text: `${formatVideoTime(segment.start)} – ${formatVideoTime(segment.end)}` })));
                if (entry) entry.element.replaceWith(element);
                entry = { element, signature };
                this.segments.set(key, entry);
            }
            return entry.element;
        });
        reconcile(outline, wanted);
        outlineEmpty.hidden = wanted.length > 0;
        const active = view.status && isActiveState(view.status.state);
        outlineEmpty.textContent = active ? 'The outline grows as the analysis goes on.' : view.status ? 'No outline.' : 'The outline appears after an analysis.';
    }

    renderAudio(view, duration) {
        const { audioSection, audio, audioSummary } = this.dom;
        const has = view.loudness.length > 0 || view.silences.length > 0;
        audioSection.hidden = !has;
        if (!has) return;
        const signature = `${view.loudness.length}|${view.silences.length}|${duration}|${audio.clientWidth}`;
        if (signature === this.audioSignature) return;
        this.audioSignature = signature;
        const silent = view.silences.reduce((sum, s) => sum + Math.max(0, s.end - s.start), 0);
        audioSummary.textContent = view.silences.length
            ? `${view.silences.length} silent passage${view.silences.length === 1 ? '' : 's'}, ${formatDuration(silent)} in all.`
            : 'No silent passages.';
        const ratio = window.devicePixelRatio || 1;
        const width = Math.max(1, Math.round(audio.clientWidth * ratio));
        const height = Math.max(1, Math.round(audio.clientHeight * ratio));
        audio.width = width;
        audio.height = height;
        const context = audio.getContext('2d');
        const styles = getComputedStyle(document.documentElement);
        context.clearRect(0, 0, width, height);
        context.fillStyle = styles.getPropertyValue('--silence').trim() || '#ccc';
        for (const silence of view.silences) {
            context.fillRect((silence.start / duration) * width, 0, Math.max(1, ((silence.end - silence.start) / duration) * width), height);
        }
        context.fillStyle = styles.getPropertyValue('--accent').trim() || '#06c';
        const floor = -60;
        const step = Math.max(1, width / Math.max(1, view.loudness.length));
        for (const point of view.loudness) {
            const level = Math.min(1, Math.max(0, (point.db - floor) / -floor));
            const barHeight = Math.max(1, level * height);
            context.fillRect((point.t / duration) * width, height - barHeight, Math.max(1, step - 0.5), barHeight);
        }
    }
}

/** The three main colours of a shot as stacked bands: --c1..--c3 and the --p1/--p2 edges. */
function colourBands(dominant) {
    const top = dominant.slice(0, 3);
    if (!top.length) return {};
    const total = top.reduce((sum, c) => sum + Math.max(0, c.share), 0) || 1;
    const vars = {};
    let edge = 0;
    for (let i = 0; i < 3; ++i) {
        const colour = top[Math.min(i, top.length - 1)];
        vars[`c${i + 1}`] = colour.hex;
        if (i < 2) {
            edge += i < top.length ? Math.max(0, colour.share) / total : 0;
            vars[`p${i + 1}`] = `${Math.round(Math.min(1, edge) * 100)}%`;
        }
    }
    return vars;
}

function capitalise(text) {
    return typeof text === 'string' && text ? text[0].toUpperCase() + text.slice(1) : '';
}
