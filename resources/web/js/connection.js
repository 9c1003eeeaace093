// The Socket.IO connection (socket.io-client from npm, compiled into the app's resources) and
// its state as the page shows it:
//   connecting    first attempt
//   connected     up; every onConnect handler has been started
//   reconnecting  lost, trying again (the first few attempts)
//   offline       the browser is offline, or the server has been unreachable for a while
//                 (attempts go on in the background; retryNow() tries at once)
//   refused       the server refused the token (or too many failed attempts): no retries
//
// Every (re)connection runs the onConnect handlers, which re-join chat sessions and re-subscribe
// to videos; their acks carry what was missed. Emitting is only done while connected: nothing
// queues inside socket.io-client, so the page alone decides what is sent again and when.

import { io } from '/vendor/socket.io.esm.min.js';

/** An ack {ok: false, error} or a missing ack (code "timeout" / "disconnected"). */
export class AckError extends Error {
    constructor(code, message) {
        super(message);
        this.name = 'AckError';
        this.code = code;
    }
}

const ATTEMPTS_BEFORE_OFFLINE = 4;

export class Connection extends EventTarget {
    constructor({ getToken }) {
        super();
        this.getToken = getToken;
        this.state = 'connecting';
        this.detail = '';
        this.failedAttempts = 0;
        this.connectHandlers = [];
        this.manualRetryTimer = null;
        this.socket = io({
            path: '/socket.io/',
            autoConnect: false,
            auth: (callback) => callback({ token: this.getToken() ?? '' }),
            reconnectionDelay: 500,
            reconnectionDelayMax: 5000,
            randomizationFactor: 0.3,
            timeout: 10000,
        });
        this.wire();
    }

    wire() {
        const socket = this.socket;
        socket.on('connect', () => {
            this.failedAttempts = 0;
            clearTimeout(this.manualRetryTimer);
            this.setState('connected');
            for (const handler of this.connectHandlers) {
                Promise.resolve()
                    .then(() => handler())
                    .catch((error) => this.dispatch('handlererror', { error }));
            }
        });
        socket.on('disconnect', (reason) => {
            if (reason === 'io client disconnect') return;
            if (reason === 'io server disconnect') {
                // The server closed this socket on purpose (a shutdown for a restart, say);
                // socket.io-client does not come back by itself then.
                this.scheduleManualRetry();
            }
            this.setState(navigator.onLine === false ? 'offline' : 'reconnecting');
        });
        socket.on('connect_error', (error) => {
            ++this.failedAttempts;
            if (!socket.active) {
                // Refused by the server (a CONNECT_ERROR packet): no automatic retries.
                const code = error?.data?.code ?? error?.message ?? 'refused';
                if (code === 'too_many_requests') {
                    this.setState('refused', 'Too many failed attempts from this address; try again in a few minutes.');
                    this.dispatch('refused', { code, message: this.detail });
                    return;
                }
                this.setState('refused', 'The server did not accept the access token.');
                this.dispatch('refused', { code, message: this.detail });
                return;
            }
            const lost = this.failedAttempts >= ATTEMPTS_BEFORE_OFFLINE || navigator.onLine === false;
            this.setState(lost ? 'offline' : (this.state === 'connecting' ? 'connecting' : 'reconnecting'));
        });
        window.addEventListener('offline', () => {
            if (!socket.connected && this.state !== 'refused') this.setState('offline');
        });
        window.addEventListener('online', () => {
            if (!socket.connected && this.state !== 'refused') this.retryNow();
        });
    }

    scheduleManualRetry() {
        clearTimeout(this.manualRetryTimer);
        const delay = Math.min(5000, 500 * 2 ** Math.min(this.failedAttempts, 4));
        this.manualRetryTimer = setTimeout(() => {
            if (!this.socket.connected && !this.socket.active) this.socket.connect();
        }, delay);
    }

    /** Starts (or, after a refusal with a new token, restarts) connecting. */
    start() {
        this.failedAttempts = 0;
        this.setState(this.state === 'connected' ? 'connected' : 'connecting');
        if (this.socket.connected) this.socket.disconnect();
        this.socket.connect();
    }

    stop() {
        clearTimeout(this.manualRetryTimer);
        this.socket.disconnect();
        this.setState('offline', 'Signed out.');
    }

    /** Skips the wait before the next attempt. */
    retryNow() {
        if (this.socket.connected) return;
        this.failedAttempts = 0;
        this.setState('reconnecting');
        this.socket.disconnect();
        this.socket.connect();
    }

    get connected() {
        return this.socket.connected;
    }

    setState(state, detail = '') {
        if (this.state === state && this.detail === detail) return;
        this.state = state;
        this.detail = detail;
        this.dispatch('statechange', { state, detail });
    }

    dispatch(type, detail) {
        this.dispatchEvent(new CustomEvent(type, { detail }));
    }

    /** Runs `handler` (may be async) after every connection, the first one included. */
    onConnect(handler) {
        this.connectHandlers.push(handler);
        if (this.socket.connected) handler();
    }

    /** Listens to a server event. */
    on(event, handler) {
        this.socket.on(event, handler);
    }

    /**
     * Emits `event` with `payload` and resolves with the ack when it is {ok: true}; rejects
     * with AckError (the server's code, "timeout", or "disconnected" when not connected).
     */
    async request(event, payload, timeoutMs = 10000) {
        if (!this.socket.connected) throw new AckError('disconnected', 'Not connected to the server.');
        let reply;
        try {
            reply = await this.socket.timeout(timeoutMs).emitWithAck(event, payload);
        } catch {
            throw new AckError('timeout', 'The server did not answer in time.');
        }
        if (reply?.ok === true) return reply;
        throw new AckError(reply?.error?.code ?? 'bad_reply', reply?.error?.message ?? 'The server refused the request.');
    }
}
