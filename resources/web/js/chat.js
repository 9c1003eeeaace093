// Chat: the sessions this browser opened (all joined, with unread counts), the open one's
// messages in the server's order, and a composer. A message is shown as pending from the
// moment it is typed until the server's ack; it carries a client_msg_id (a UUID) so that
// sending it again after a reconnection, or after a reload (pending messages are kept in
// localStorage), never posts it twice. Every message element is keyed, so an ack, the echo
// event and the history of a re-join all land on the same element.

import { AckError } from './connection.js';
import { api } from './api.js';
import { byId, formatClock, formatFullDate, formatVideoTime, h, reconcile, replaceChildren } from './dom.js';
import { MessageLog, isValidId } from './model.js';
import { storage } from './storage.js';
import { showToast } from './toasts.js';

const DEFAULT_SESSION = 'lobby';
const MAX_TEXT = 4000;
const HISTORY_MAX = 500;

/** Characters as the server counts them (code points), after trimming. */
const textLength = (text) => [...text.trim()].length;

export class Chat {
    constructor(connection) {
        this.connection = connection;
        this.sessions = new Map();
        this.elements = new Map(); // key -> <li>, for the open session
        this.ownIds = new Set(storage.ownMessageIds);
        this.active = null;
        this.renderQueued = false;
        this.onUnreadChange = () => {};

        const pending = storage.pending;
        for (const id of storage.sessions ?? [DEFAULT_SESSION]) {
            if (isValidId(id)) this.ensureSession(id, Array.isArray(pending[id]) ? pending[id] : []);
        }
        if (this.sessions.size === 0) this.ensureSession(DEFAULT_SESSION, []);
        const remembered = storage.activeSession;
        this.active = this.sessions.has(remembered) ? remembered : this.sessions.keys().next().value;

        this.dom = {
            list: byId('session-list'),
            form: byId('session-form'),
            input: byId('session-input'),
            formError: byId('session-error'),
            title: byId('chat-session-name'),
            messages: byId('messages'),
            earlier: byId('earlier-messages'),
            composer: byId('composer'),
            text: byId('message-input'),
            counter: byId('message-counter'),
            empty: byId('messages-empty'),
        };
        this.wireDom();
        connection.on('chat_message', (message) => this.receive(message));
        this.render();
    }

    ensureSession(id, pendingList = []) {
        let session = this.sessions.get(id);
        if (!session) {
            session = {
                id,
                log: new MessageLog(),
                pending: new Map(),
                unread: 0,
                joined: false,
                joining: null,
                flushing: false,
                historyLimit: 50,
                error: '',
            };
            for (const item of pendingList) {
                if (item && typeof item.client_msg_id === 'string' && typeof item.text === 'string') {
                    session.pending.set(item.client_msg_id, { ...item, state: 'queued', error: '' });
                }
            }
            this.sessions.set(id, session);
        }
        return session;
    }

    saveSessions() {
        storage.sessions = [...this.sessions.keys()];
        storage.activeSession = this.active;
    }

    savePending() {
        const pending = {};
        for (const session of this.sessions.values()) {
            if (session.pending.size) {
                pending[session.id] = [...session.pending.values()]
                    .map(({ client_msg_id, text, created }) => ({ client_msg_id, text, created }));
            }
        }
        storage.pending = pending;
    }

    // --- server side -------------------------------------------------------------------

    /** After every connection: join every session, then send what is still pending. */
    async rejoinAll() {
        for (const session of this.sessions.values()) session.joined = false;
        await Promise.all([...this.sessions.values()].map(async (session) => {
            await this.join(session);
            await this.flush(session);
        }));
    }

    async join(session) {
        if (!this.connection.connected) return;
        if (session.joining) return session.joining;
        session.joining = (async () => {
            try {
                const reply = await this.connection.request('join_chat_session', { session_id: session.id });
                session.joined = true;
                session.error = '';
                this.merge(session, reply.history, { countUnread: false });
                await this.fillGap(session);
            } catch (error) {
                session.error = error.message;
                if (error instanceof AckError && (error.code === 'unavailable' || error.code === 'too_many_requests')) {
                    setTimeout(() => this.retryJoin(session), 2000);
                }
            } finally {
                session.joining = null;
                this.scheduleRender();
            }
        })();
        return session.joining;
    }

    async retryJoin(session) {
        if (!this.sessions.has(session.id) || session.joined) return;
        await this.join(session);
        await this.flush(session);
    }

    /** Fetches the history when messages between the first and the last known are missing. */
    async fillGap(session) {
        if (!session.log.hasGap()) return;
        const span = session.log.lastSeq - session.log.firstSeq + 1;
        const limit = Math.min(HISTORY_MAX, Math.max(span, session.historyLimit));
        try {
            const reply = await api.chatHistory(session.id, limit);
            this.merge(session, reply?.messages, { countUnread: false });
            session.historyLimit = Math.max(session.historyLimit, limit);
        } catch {
            // the gap stays visible as it is; the next re-join tries again
        }
    }

    async loadEarlier() {
        const session = this.sessions.get(this.active);
        if (!session) return;
        const limit = Math.min(HISTORY_MAX, session.log.size + 50);
        this.dom.earlier.disabled = true;
        try {
            const reply = await api.chatHistory(session.id, limit);
            const anchor = this.dom.messages.scrollHeight - this.dom.messages.scrollTop;
            this.merge(session, reply?.messages, { countUnread: false, render: false });
            session.historyLimit = limit;
            this.renderMessages();
            this.dom.messages.scrollTop = this.dom.messages.scrollHeight - anchor;
        } catch (error) {
            showToast({ level: 'error', title: 'Could not load earlier messages', text: error.message });
        } finally {
            this.dom.earlier.disabled = false;
        }
    }

    receive(message) {
        if (!message || typeof message.session_id !== 'string') return;
        const session = this.sessions.get(message.session_id);
        if (!session) return;
        const before = session.log.lastSeq;
        this.merge(session, [message], { countUnread: true });
        if (before !== null && Number.isInteger(message.seq) && message.seq > before + 1) this.fillGap(session);
    }

    merge(session, messages, { countUnread, render = true }) {
        let added = 0;
        for (const message of Array.isArray(messages) ? messages : []) {
            if (!session.log.add(message)) continue;
            ++added;
            if (message.client_msg_id && session.pending.delete(message.client_msg_id)) this.savePending();
            const mine = message.client_msg_id && this.ownIds.has(message.client_msg_id);
            if (countUnread && !mine && (session.id !== this.active || document.hidden || !this.visible)) ++session.unread;
        }
        if (added && render) this.scheduleRender();
        return added;
    }

    /** Sends the session's pending messages, oldest first, one at a time (keeps their order). */
    async flush(session) {
        if (session.flushing) return;
        session.flushing = true;
        try {
            for (;;) {
                if (!this.connection.connected || !this.sessions.has(session.id)) return;
                const next = [...session.pending.values()].find((item) => item.state !== 'failed');
                if (!next) return;
                next.state = 'sending';
                this.scheduleRender();
                try {
                    const reply = await this.connection.request('send_chat_message',
                        { session_id: session.id, text: next.text, client_msg_id: next.client_msg_id });
                    session.pending.delete(next.client_msg_id);
                    this.savePending();
                    this.merge(session, [reply.message], { countUnread: false });
                } catch (error) {
                    if (!(error instanceof AckError)) throw error;
                    if (error.code === 'disconnected' || error.code === 'timeout') {
                        // Sent again with the same client_msg_id after the reconnection.
                        next.state = 'queued';
                        return;
                    }
                    if (error.code === 'too_many_requests' || error.code === 'unavailable') {
                        next.state = 'queued';
                        setTimeout(() => this.flush(session), error.code === 'unavailable' ? 2000 : 1000);
                        return;
                    }
                    next.state = 'failed';
                    next.error = error.message;
                } finally {
                    this.scheduleRender();
                }
            }
        } finally {
            session.flushing = false;
        }
    }

    send(text) {
        const session = this.sessions.get(this.active);
        if (!session) return false;
        const clientMsgId = crypto.randomUUID();
        this.ownIds.add(clientMsgId);
        storage.ownMessageIds = [...this.ownIds];
        session.pending.set(clientMsgId, { client_msg_id: clientMsgId, text, created: new Date().toISOString(), state: 'queued', error: '' });
        this.savePending();
        this.stickToBottom = true;
        this.render();
        this.flush(session);
        return true;
    }

    open(id) {
        if (!isValidId(id)) return false;
        const isNew = !this.sessions.has(id);
        const session = this.ensureSession(id);
        this.active = id;
        session.unread = 0;
        this.saveSessions();
        this.stickToBottom = true;
        this.render();
        if (isNew || !session.joined) this.join(session).then(() => this.flush(session));
        this.onUnreadChange(this.totalUnread());
        return true;
    }

    async leave(id) {
        const session = this.sessions.get(id);
        if (!session) return;
        this.sessions.delete(id);
        if (this.sessions.size === 0) this.ensureSession(DEFAULT_SESSION);
        if (this.active === id) this.active = this.sessions.keys().next().value;
        this.saveSessions();
        this.savePending();
        this.render();
        const active = this.sessions.get(this.active);
        if (!active.joined) this.join(active);
        if (this.connection.connected) {
            try {
                await this.connection.request('leave_chat_session', { session_id: id });
            } catch {
                // the server forgets the membership with the connection anyway
            }
        }
    }

    totalUnread() {
        let total = 0;
        for (const session of this.sessions.values()) total += session.unread;
        return total;
    }

    /** Whether the chat panel is on screen (phones show one panel at a time). */
    setVisible(visible) {
        this.visible = visible;
        if (visible) this.markRead();
    }

    markRead() {
        const session = this.sessions.get(this.active);
        if (session && session.unread) {
            session.unread = 0;
            this.scheduleRender();
        }
    }

    // --- view -----------------------------------------------------------------------------

    wireDom() {
        const { form, input, formError, composer, text, earlier } = this.dom;
        form.addEventListener('submit', (event) => {
            event.preventDefault();
            const id = input.value.trim();
            if (!isValidId(id)) {
                formError.textContent = 'Use 1–128 letters, digits, dots, dashes or underscores.';
                input.setAttribute('aria-invalid', 'true');
                return;
            }
            formError.textContent = '';
            input.removeAttribute('aria-invalid');
            input.value = '';
            this.open(id);
            text.focus();
        });
        input.addEventListener('input', () => {
            formError.textContent = '';
            input.removeAttribute('aria-invalid');
        });
        composer.addEventListener('submit', (event) => {
            event.preventDefault();
            this.submitComposer();
        });
        text.addEventListener('keydown', (event) => {
            if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
                event.preventDefault();
                this.submitComposer();
            }
        });
        text.addEventListener('input', () => this.updateCounter());
        earlier.addEventListener('click', () => this.loadEarlier());
        document.addEventListener('visibilitychange', () => {
            if (!document.hidden && this.visible) this.markRead();
        });
        this.dom.messages.addEventListener('scroll', () => {
            const list = this.dom.messages;
            this.stickToBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
        });
    }

    submitComposer() {
        const { text } = this.dom;
        const value = text.value;
        const length = textLength(value);
        if (length === 0) return;
        if (length > MAX_TEXT) {
            this.updateCounter();
            return;
        }
        if (this.send(value.trim())) {
            text.value = '';
            this.updateCounter();
        }
    }

    updateCounter() {
        const length = textLength(this.dom.text.value);
        const { counter } = this.dom;
        counter.hidden = length < MAX_TEXT - 500;
        counter.textContent = `${length} / ${MAX_TEXT}`;
        counter.classList.toggle('over', length > MAX_TEXT);
    }

    scheduleRender() {
        if (this.renderQueued) return;
        this.renderQueued = true;
        queueMicrotask(() => {
            this.renderQueued = false;
            this.render();
        });
    }

    render() {
        this.renderSessions();
        this.renderMessages();
        this.onUnreadChange(this.totalUnread());
    }

    renderSessions() {
        const items = [];
        for (const session of this.sessions.values()) {
            const current = session.id === this.active;
            const label = h('button', {
                type: 'button',
                class: 'session-button',
                'aria-current': current ? 'true' : null,
                'aria-label': session.unread ? `${session.id}, ${session.unread} unread` : null,
                onclick: () => {
                    this.open(session.id);
                    this.dom.text.focus();
                },
            }, h('span', { class: 'session-name', text: session.id }),
            session.unread ? h('span', { class: 'badge', 'aria-hidden': 'true', text: String(session.unread) }) : null);
            const leave = h('button', {
                type: 'button',
                class: 'session-leave icon-button',
                'aria-label': `Leave ${session.id}`,
                title: `Leave ${session.id}`,
                text: '×',
                onclick: () => this.leave(session.id),
            });
            items.push(h('li', { class: current ? 'session current' : 'session' }, label, leave));
        }
        replaceChildren(this.dom.list, items);
    }

    renderMessages() {
        const session = this.sessions.get(this.active);
        const { messages, earlier, title, empty } = this.dom;
        title.textContent = session ? session.id : '';
        if (!session) return;
        if (messages.dataset.session !== session.id) {
            this.elements.clear();
            messages.replaceChildren();
            messages.dataset.session = session.id;
        }
        const atBottom = this.stickToBottom ?? true;
        const wanted = [];
        const keep = new Set();
        let previous = null;
        for (const message of session.log.ordered) {
            const key = message.client_msg_id ? `c:${message.client_msg_id}` : `m:${message.id}`;
            keep.add(key);
            if (previous && message.seq > previous.seq + 1) {
                const missing = message.seq - previous.seq - 1;
                wanted.push(h('li', { class: 'message-gap', text: `${missing} message${missing === 1 ? ' is' : 's are'} not shown here` }));
            }
            let element = this.elements.get(key);
            if (!element || element.dataset.state !== 'sent') {
                const fresh = this.messageElement(message);
                if (element) element.replaceWith(fresh);
                element = fresh;
                this.elements.set(key, element);
            }
            wanted.push(element);
            previous = message;
        }
        for (const item of session.pending.values()) {
            const key = `c:${item.client_msg_id}`;
            keep.add(key);
            const fresh = this.pendingElement(session, item);
            const old = this.elements.get(key);
            if (old) old.replaceWith(fresh);
            this.elements.set(key, fresh);
            wanted.push(fresh);
        }
        for (const key of [...this.elements.keys()]) if (!keep.has(key)) this.elements.delete(key);
        reconcile(messages, wanted);
        empty.hidden = wanted.length > 0 || Boolean(session.joining);
        empty.textContent = session.error ? `Not joined: ${session.error}` : 'No messages yet. Say hello!';
        earlier.hidden = !(session.log.firstSeq > 1 && session.historyLimit < HISTORY_MAX);
        if (atBottom) messages.scrollTop = messages.scrollHeight;
    }

    authorLabel(message) {
        const author = message.author && typeof message.author === 'object' ? message.author : {};
        if (message.client_msg_id && this.ownIds.has(message.client_msg_id)) return 'You';
        if (typeof author.name === 'string' && author.name.trim()) return author.name.trim();
        if (message.kind === 'operator' || author.role === 'operator') return 'Operator';
        if (message.kind === 'assistant') return 'Assistant';
        return typeof author.id === 'string' && author.id ? `Guest ${author.id.slice(0, 4)}` : 'Guest';
    }

    messageElement(message) {
        const kind = ['user', 'operator', 'assistant', 'system'].includes(message.kind) ? message.kind : 'user';
        const mine = Boolean(message.client_msg_id && this.ownIds.has(message.client_msg_id));
        const classes = ['message', `message-${kind}`];
        if (mine) classes.push('mine');
        const time = typeof message.timestamp === 'string' && formatClock(message.timestamp)
            ? h('time', { datetime: message.timestamp, title: formatFullDate(message.timestamp), text: formatClock(message.timestamp) })
            : null;
        if (kind === 'system') {
            return h('li', { class: classes.join(' '), 'data-seq': message.seq, 'data-id': message.id, 'data-state': 'sent' },
                h('p', { class: 'message-text', text: message.text ?? '' }), time);
        }
        const roleLabel = kind === 'operator' ? 'operator' : kind === 'assistant' ? 'assistant' : null;
        const citations = Array.isArray(message.citations) && message.citations.length
            ? h('ul', { class: 'citations', 'aria-label': 'Cited moments' }, message.citations.slice(0, 20).map((c) =>
                h('li', { class: 'citation', text: `${typeof c?.label === 'string' ? `${c.label} ` : ''}${formatVideoTime(c?.start)}–${formatVideoTime(c?.end)}` })))
            : null;
        return h('li', { class: classes.join(' '), 'data-seq': message.seq, 'data-id': message.id, 'data-state': 'sent' },
            h('p', { class: 'message-meta' },
                h('span', { class: 'message-author', text: this.authorLabel(message) }),
                roleLabel ? h('span', { class: 'role-tag', text: roleLabel }) : null,
                time),
            h('p', { class: 'message-text', text: message.text ?? '' }),
            citations);
    }

    pendingElement(session, item) {
        const connected = this.connection.connected;
        const stateText = item.state === 'failed' ? `Not sent: ${item.error}`
            : item.state === 'sending' || connected ? 'Sending…' : 'Waiting for the connection…';
        const actions = item.state === 'failed'
            ? h('span', { class: 'message-actions' },
                h('button', {
                    type: 'button',
                    class: 'link-button',
                    text: 'Retry',
                    onclick: () => {
                        item.state = 'queued';
                        item.error = '';
                        this.render();
                        this.flush(session);
                    },
                }),
                h('button', {
                    type: 'button',
                    class: 'link-button',
                    text: 'Discard',
                    onclick: () => {
                        session.pending.delete(item.client_msg_id);
                        this.savePending();
                        this.render();
                    },
                }))
            : null;
        return h('li', { class: `message message-user mine pending${item.state === 'failed' ? ' failed' : ''}`, 'data-state': item.state, 'aria-busy': item.state === 'failed' ? null : 'true' },
            h('p', { class: 'message-meta' },
                h('span', { class: 'message-author', text: 'You' }),
                h('span', { class: 'message-status', role: item.state === 'failed' ? 'alert' : null, text: stateText })),
            h('p', { class: 'message-text', text: item.text }),
            actions);
    }

    /** The connection changed: pending messages say whether they wait. */
    connectionChanged() {
        this.scheduleRender();
    }
}
