// The reference server of the benchmark: Node socket.io 4.8 with the same handlers, rooms,
// limits and REST endpoints as our RealtimeHub / WebSocketController (docs/protocol.md), so
// each workload does the same work on both servers:
//
//   CONNECT auth {token} (or ?token=)     viewer / operator / refused with connect_error
//   join_chat_session {session_id}        joins chat:<id>; acks {ok, session_id, history}
//   leave_chat_session {session_id}       leaves; acks {ok}
//   send_chat_message {session_id, text, client_msg_id?}
//                                         joins chat:<id>, appends the message to
//                                         <data-dir>/chat/<id>.jsonl (one write() each, as our
//                                         FileStore does), emits chat_message to the room,
//                                         acks {ok, message, duplicate?}
//   subscribe_processing_updates {video_id}   joins processing:<id>; acks {ok, status}
//   unsubscribe_processing_updates {video_id} leaves; acks {ok}
//   set_name {name}                       acks {ok, name}
//   anything else                         acks {ok: false, error: {code: unknown_event}}
//   token buckets per socket: every event (--event-rate/--event-burst, default 50/100) and
//   chat messages (--chat-rate/--chat-burst, default 5/20), answered too_many_requests.
//
//   GET  /api/v1/health                   {status, connections}
//   GET  /api/v1/websocket/connections    viewer: {active_connections}
//   POST /api/v1/websocket/broadcast      operator: {event, data, room?, sid?} -> {delivered_to}
//
// Prints "listening on http://127.0.0.1:<port>/" when ready. Options: --port, --bind,
// --data-dir, --operator-token, --viewer-token, --no-auth, the four limits above.

import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

import { Server } from 'socket.io';

const { values: options } = parseArgs({
    options: {
        port: { type: 'string', default: '0' },
        bind: { type: 'string', default: '127.0.0.1' },
        'data-dir': { type: 'string' },
        'operator-token': { type: 'string', default: '' },
        'viewer-token': { type: 'string', default: '' },
        'no-auth': { type: 'boolean', default: false },
        'event-rate': { type: 'string', default: '50' },
        'event-burst': { type: 'string', default: '100' },
        'chat-rate': { type: 'string', default: '5' },
        'chat-burst': { type: 'string', default: '20' },
    },
});

const limits = {
    eventsPerSecond: Number(options['event-rate']),
    eventBurst: Number(options['event-burst']),
    chatPerSecond: Number(options['chat-rate']),
    chatBurst: Number(options['chat-burst']),
};
const dataDir = options['data-dir'] ?? fs.mkdtempSync('/tmp/mmv-reference-');
fs.mkdirSync(path.join(dataDir, 'chat'), { recursive: true });

// ------------------------------------------------------------------ access and validation

function authenticate(token) {
    if (options['no-auth']) return 'operator';
    if (token && token === options['operator-token']) return 'operator';
    if (token && token === options['viewer-token']) return 'viewer';
    return null;
}

const ID = /^[A-Za-z0-9_.-]{1,128}$/;

class ArgumentError extends Error {
    constructor(message, code = 'invalid_argument') {
        super(message);
        this.code = code;
    }
}

function objectArgument(args) {
    const first = args[0];
    if (first === null || typeof first !== 'object' || Array.isArray(first))
        throw new ArgumentError('the first argument must be an object');
    return first;
}

function requireId(object, name) {
    const value = object[name];
    if (value === undefined || value === null) throw new ArgumentError(`${name} is required`);
    if (typeof value !== 'string') throw new ArgumentError(`${name} must be a string`);
    if (!ID.test(value)) throw new ArgumentError(`${name} must be 1-128 characters of A-Z a-z 0-9 _ . -`);
    return value;
}

function requireText(object, name, maxLength, optional = false) {
    const value = object[name];
    if (value === undefined || value === null) {
        if (optional) return '';
        throw new ArgumentError(`${name} is required`);
    }
    if (typeof value !== 'string') throw new ArgumentError(`${name} must be a string`);
    const text = value.trim();
    if (!text && !optional) throw new ArgumentError(`${name} must not be empty`);
    let characters = 0;
    for (const _ of text) ++characters; // code points, not UTF-16 units
    if (characters > maxLength) throw new ArgumentError(`${name} is longer than ${maxLength} characters`);
    return text;
}

const okReply = (fields = {}) => ({ ...fields, ok: true });
const errorReply = (code, message) => ({ ok: false, error: { code, message } });

class TokenBucket {
    constructor(rate, capacity) {
        this.rate = rate;
        this.capacity = capacity;
        this.tokens = capacity;
        this.last = performance.now();
    }

    take() {
        const t = performance.now();
        this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) * this.rate) / 1000);
        this.last = t;
        if (this.tokens < 1) return false;
        this.tokens -= 1;
        return true;
    }
}

// ------------------------------------------------------------------ chat sessions

const RECENT_CAP = 200;
const CLIENT_ID_CAP = 2000;
const HISTORY_ON_JOIN = 50;
const sessions = new Map();
const files = new Map();

function chatPath(sessionId) {
    return path.join(dataDir, 'chat', `${sessionId}.jsonl`);
}

function session(sessionId) {
    let s = sessions.get(sessionId);
    if (s) return s;
    s = { recent: [], nextSeq: 1, byClientId: new Map() };
    let stored = [];
    try {
        stored = fs.readFileSync(chatPath(sessionId), 'utf8').split('\n').filter(Boolean).slice(-RECENT_CAP);
    } catch {
        // no history yet
    }
    for (const line of stored) {
        try {
            const message = JSON.parse(line);
            s.recent.push(message);
            s.nextSeq = Math.max(s.nextSeq, message.seq + 1);
            if (message.client_msg_id) rememberClientId(s, message.client_msg_id, message);
        } catch {
            // a torn line
        }
    }
    sessions.set(sessionId, s);
    return s;
}

function rememberClientId(s, clientId, message) {
    s.byClientId.delete(clientId);
    s.byClientId.set(clientId, message);
    while (s.byClientId.size > CLIENT_ID_CAP) s.byClientId.delete(s.byClientId.keys().next().value);
}

function appendRecord(sessionId, message) {
    let fd = files.get(sessionId);
    if (fd === undefined) {
        fd = fs.openSync(chatPath(sessionId), 'a');
        files.set(sessionId, fd);
    }
    fs.writeSync(fd, JSON.stringify(message) + '\n');
}

function newMessageId() {
    return crypto.randomBytes(12).toString('base64url');
}

// ------------------------------------------------------------------ HTTP

function sendJson(response, status, body) {
    const text = JSON.stringify(body);
    response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    response.end(text);
}

function requireRole(request, response, role) {
    const header = request.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    const granted = authenticate(token);
    if (!granted) {
        sendJson(response, 401, { error: { code: 'unauthorized', message: 'missing or wrong token' } });
        return false;
    }
    if (role === 'operator' && granted !== 'operator') {
        sendJson(response, 403, { error: { code: 'forbidden', message: 'operators only' } });
        return false;
    }
    return true;
}

function readJson(request, response, done) {
    const chunks = [];
    let size = 0;
    request.on('data', (chunk) => {
        size += chunk.length;
        if (size > 1024 * 1024) {
            sendJson(response, 413, { error: { code: 'payload_too_large', message: 'body over 1 MiB' } });
            request.destroy();
            return;
        }
        chunks.push(chunk);
    });
    request.on('end', () => {
        let body;
        try {
            body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
            sendJson(response, 400, { error: { code: 'invalid_argument', message: 'the body is not JSON' } });
            return;
        }
        if (body === null || typeof body !== 'object' || Array.isArray(body)) {
            sendJson(response, 400, { error: { code: 'invalid_argument', message: 'the body must be an object' } });
            return;
        }
        done(body);
    });
}

const RESERVED = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener']);

function broadcast(nsp, event, data, room, sid) {
    if (typeof event !== 'string' || event.length < 1 || event.length > 128)
        throw new ArgumentError('event must be 1-128 characters');
    if (RESERVED.has(event)) throw new ArgumentError(`'${event}' is a reserved event name`);
    let payload = data;
    if (event === 'notification' && data && typeof data === 'object' && !('timestamp' in data))
        payload = { ...data, timestamp: new Date().toISOString() };
    const args = payload === undefined ? [] : [payload];
    if (sid) {
        const socket = nsp.sockets.get(sid);
        if (!socket) throw new ArgumentError(`no connected socket '${sid}'`, 'not_found');
        socket.emit(event, ...args);
        return 1;
    }
    if (room) {
        const members = nsp.adapter.rooms.get(room)?.size ?? 0;
        if (members) nsp.to(room).emit(event, ...args);
        return members;
    }
    nsp.emit(event, ...args);
    return nsp.sockets.size;
}

const started = Date.now();
const httpServer = http.createServer((request, response) => {
    const url = new URL(request.url, 'http://localhost');
    const nsp = io.of('/');
    if (request.method === 'GET' && url.pathname === '/api/v1/health') {
        sendJson(response, 200, {
            status: 'ok',
            version: 'reference',
            uptime_s: Math.floor((Date.now() - started) / 1000),
            connections: nsp.sockets.size,
            storage: 'file',
            redis: 'disabled',
        });
    } else if (request.method === 'GET' && url.pathname === '/api/v1/websocket/connections') {
        if (requireRole(request, response, 'viewer')) sendJson(response, 200, { active_connections: nsp.sockets.size });
    } else if (request.method === 'POST' && url.pathname === '/api/v1/websocket/broadcast') {
        if (!requireRole(request, response, 'operator')) return;
        readJson(request, response, (body) => {
            try {
                const delivered = broadcast(nsp, body.event, body.data, body.room, body.sid);
                sendJson(response, 200, { delivered_to: delivered });
            } catch (error) {
                const status = error.code === 'not_found' ? 404 : 400;
                sendJson(response, status, { error: { code: error.code ?? 'internal', message: error.message } });
            }
        });
    } else {
        sendJson(response, 404, { error: { code: 'not_found', message: 'no such route' } });
    }
});

// ------------------------------------------------------------------ Socket.IO

const io = new Server(httpServer, {
    pingInterval: 25000,
    pingTimeout: 20000,
    maxHttpBufferSize: 1e6,
    serveClient: false,
});
const nsp = io.of('/');

nsp.use((socket, next) => {
    const token = socket.handshake.auth?.token || socket.handshake.query?.token || '';
    const role = authenticate(token);
    if (!role) {
        const error = new Error('unauthorized');
        error.data = { code: 'unauthorized', reason: 'missing or wrong token' };
        next(error);
        return;
    }
    socket.data.role = role;
    next();
});

nsp.on('connection', (socket) => {
    const events = new TokenBucket(limits.eventsPerSecond, limits.eventBurst);
    const chat = new TokenBucket(limits.chatPerSecond, limits.chatBurst);
    const ackOf = (args) => (typeof args[args.length - 1] === 'function' ? args.pop() : () => {});

    const handlers = {
        join_chat_session(args, ack) {
            const sessionId = requireId(objectArgument(args), 'session_id');
            const s = session(sessionId);
            socket.join(`chat:${sessionId}`);
            ack(okReply({ session_id: sessionId, history: s.recent.slice(-HISTORY_ON_JOIN) }));
        },
        leave_chat_session(args, ack) {
            const sessionId = requireId(objectArgument(args), 'session_id');
            socket.leave(`chat:${sessionId}`);
            ack(okReply());
        },
        send_chat_message(args, ack) {
            const object = objectArgument(args);
            const sessionId = requireId(object, 'session_id');
            const text = requireText(object, 'text', 4000);
            const clientId = requireText(object, 'client_msg_id', 128, true);
            const s = session(sessionId);
            const room = `chat:${sessionId}`;
            socket.join(room);
            if (clientId) {
                const known = s.byClientId.get(clientId);
                if (known) {
                    ack(okReply({ message: known, duplicate: true }));
                    return;
                }
            }
            const role = socket.data.role;
            const author = { id: socket.id, name: socket.data.name ?? '', role };
            const message = {
                id: newMessageId(),
                seq: s.nextSeq++,
                session_id: sessionId,
                author,
                kind: role === 'operator' ? 'operator' : 'user',
                text,
                timestamp: new Date().toISOString(),
            };
            if (clientId) {
                message.client_msg_id = clientId;
                rememberClientId(s, clientId, message);
            }
            s.recent.push(message);
            while (s.recent.length > RECENT_CAP) s.recent.shift();
            appendRecord(sessionId, message);
            nsp.to(room).emit('chat_message', message);
            ack(okReply({ message }));
        },
        subscribe_processing_updates(args, ack) {
            const videoId = requireId(objectArgument(args), 'video_id');
            socket.join(`processing:${videoId}`);
            ack(okReply({ status: null }));
        },
        unsubscribe_processing_updates(args, ack) {
            const videoId = requireId(objectArgument(args), 'video_id');
            socket.leave(`processing:${videoId}`);
            ack(okReply());
        },
        subscribe_visual_analysis(args, ack) {
            const videoId = requireId(objectArgument(args), 'video_id');
            socket.join(`visual:${videoId}`);
            ack(okReply({ results: [] }));
        },
        unsubscribe_visual_analysis(args, ack) {
            const videoId = requireId(objectArgument(args), 'video_id');
            socket.leave(`visual:${videoId}`);
            ack(okReply());
        },
        set_name(args, ack) {
            const name = requireText(objectArgument(args), 'name', 64);
            socket.data.name = name;
            ack(okReply({ name }));
        },
    };

    socket.onAny((event, ...args) => {
        const ack = ackOf(args);
        if (!events.take() || (event === 'send_chat_message' && !chat.take())) {
            ack(errorReply('too_many_requests', 'slow down: too many events'));
            return;
        }
        const handler = Object.hasOwn(handlers, event) ? handlers[event] : null;
        if (!handler) {
            ack(errorReply('unknown_event', `unknown event '${String(event).slice(0, 64)}'`));
            return;
        }
        try {
            handler(args, ack);
        } catch (error) {
            ack(errorReply(error.code ?? 'internal', error.message));
        }
    });
});

httpServer.listen(Number(options.port), options.bind, () => {
    const { port } = httpServer.address();
    process.stdout.write(`listening on http://${options.bind}:${port}/\n`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
        io.close();
        httpServer.close();
        for (const fd of files.values()) fs.closeSync(fd);
        process.exit(0);
    });
}
