// A minimal Socket.IO v5 / Engine.IO v4 client over a bare WebSocket (the `ws` package), for
// load generation: WebSocket transport only, the main namespace, text packets only. It answers
// pings, sends CONNECT with an auth payload, emits events with or without an ack, and hands
// every incoming EVENT to the caller as the raw frame (a Buffer), so a receiver can take what
// it needs without parsing JSON. Nothing here allocates per received message except what `ws`
// does.

import WebSocket from 'ws';

const CH_0 = 0x30; // '0'
const CH_1 = 0x31;
const CH_2 = 0x32;
const CH_3 = 0x33;
const CH_4 = 0x34;

export class SioClient {
    /**
     * @param {string} url  ws://host:port/socket.io/?EIO=4&transport=websocket
     * @param {object} options  auth (CONNECT payload), localAddress, onEvent(buffer),
     *     onClose(reason), timeoutMs (for the whole connect)
     */
    constructor(url, options = {}) {
        this.url = url;
        this.auth = options.auth;
        this.localAddress = options.localAddress;
        this.onEvent = options.onEvent ?? (() => {});
        this.onClose = options.onClose ?? (() => {});
        this.timeoutMs = options.timeoutMs ?? 15000;
        this.ws = null;
        this.sid = null;
        this.connected = false;
        this.nextAckId = 0;
        this.acks = new Map(); // id -> callback(buffer, offset of the JSON array)
    }

    /** Resolves once the namespace is connected; rejects with an Error whose `reason` is short. */
    connect() {
        return new Promise((resolve, reject) => {
            let settled = false;
            const fail = (reason, detail) => {
                if (settled) return;
                settled = true;
                clearTimeout(timer);
                const error = new Error(detail ? `${reason}: ${detail}` : reason);
                error.reason = reason;
                try {
                    this.ws?.terminate();
                } catch {
                    // already gone
                }
                reject(error);
            };
            const timer = setTimeout(() => fail('timeout'), this.timeoutMs);
            const ws = new WebSocket(this.url, {
                perMessageDeflate: false,
                skipUTF8Validation: true,
                localAddress: this.localAddress,
                handshakeTimeout: this.timeoutMs,
                maxPayload: 16 * 1024 * 1024,
            });
            this.ws = ws;
            ws.on('error', (error) => fail(error.code ?? 'error', error.message));
            ws.on('unexpected-response', (request, response) =>
                fail(`http ${response.statusCode}`),
            );
            ws.on('close', () => {
                const wasConnected = this.connected;
                this.connected = false;
                if (!settled) fail('closed');
                else if (wasConnected) this.onClose('closed');
            });
            ws.on('message', (data) => {
                const type = data[0];
                if (type === CH_4) {
                    const sio = data[1];
                    if (sio === CH_2) {
                        this.onEvent(data);
                    } else if (sio === CH_3) {
                        this.handleAck(data);
                    } else if (sio === CH_0) {
                        this.connected = true;
                        if (!settled) {
                            settled = true;
                            clearTimeout(timer);
                            resolve(this);
                        }
                    } else if (sio === CH_4) {
                        fail('connect_error', data.toString('utf8', 2));
                    } else if (sio === CH_1) {
                        this.connected = false;
                        ws.close();
                    }
                } else if (type === CH_2) {
                    ws.send('3');
                } else if (type === CH_0) {
                    this.sid = JSON.parse(data.toString('utf8', 1)).sid;
                    ws.send(this.auth === undefined ? '40' : '40' + JSON.stringify(this.auth));
                } else if (type === CH_1) {
                    ws.close();
                }
            });
        });
    }

    handleAck(data) {
        // 43<id>[...]
        let id = 0;
        let i = 2;
        for (; i < data.length; ++i) {
            const c = data[i];
            if (c < CH_0 || c > 0x39) break;
            id = id * 10 + (c - CH_0);
        }
        const callback = this.acks.get(id);
        if (callback) {
            this.acks.delete(id);
            callback(data, i);
        }
    }

    /** Emits `event` with one argument; `onAck(buffer, offset)` gets the raw ACK frame. */
    emit(event, data, onAck) {
        if (!this.connected) return false;
        const body = JSON.stringify([event, data]);
        if (onAck) {
            const id = this.nextAckId++;
            this.acks.set(id, onAck);
            this.ws.send('42' + id + body);
        } else {
            this.ws.send('42' + body);
        }
        return true;
    }

    close() {
        this.connected = false;
        try {
            this.ws?.close();
        } catch {
            // already closing
        }
    }

    terminate() {
        this.connected = false;
        try {
            this.ws?.terminate();
        } catch {
            // already gone
        }
    }
}

/** The Engine.IO WebSocket URL of a server whose base URL is http://host:port/. */
export function socketUrl(baseUrl) {
    const url = new URL('/socket.io/', baseUrl);
    url.protocol = 'ws:';
    url.search = 'EIO=4&transport=websocket';
    return url.toString();
}

/** The first JSON argument of an ACK frame handed to an `onAck` callback. */
export function ackArgument(data, offset) {
    return JSON.parse(data.toString('utf8', offset))[0];
}

/** Where the last intAt() stopped (the byte after the number). */
export let intEnd = 0;

/**
 * Reads the non-negative integer that starts at `at` in a frame without making a string;
 * NaN if there is none or it continues as a fraction or exponent (then use numberAfter).
 */
export function intAt(data, at) {
    let value = 0;
    let i = at;
    for (; i < data.length; ++i) {
        const c = data[i];
        if (c < 0x30 || c > 0x39) break;
        value = value * 10 + (c - 0x30);
    }
    intEnd = i;
    if (i === at || data[i] === 0x2e || data[i] === 0x65 || data[i] === 0x45) return NaN;
    return value;
}

/**
 * Reads the number that follows `key` (a Buffer such as '"a":') in a frame, starting the search
 * at `from`; NaN if absent. Handles what JSON.stringify and QJsonDocument write for a finite
 * number (sign, digits, one dot, an exponent).
 */
export function numberAfter(data, key, from = 0) {
    const at = data.indexOf(key, from);
    if (at < 0) return NaN;
    let i = at + key.length;
    if (data[i] === 0x22) ++i; // a number at the start of a string value
    const start = i;
    for (; i < data.length; ++i) {
        const c = data[i];
        if (!((c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2d || c === 0x65 || c === 0x45 || c === 0x2b))
            break;
    }
    return Number(data.toString('latin1', start, i));
}
