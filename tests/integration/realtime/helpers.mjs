// Shared helpers of the end-to-end tests of the application's public interface
// (docs/protocol.md): start the real application binary headless on a free loopback port with
// its own data directory and settings file, start redis-server when a test needs it, and drive
// both with the stock socket.io-client and node's fetch. Waits are on events and promises with
// timeouts; nothing sleeps for a fixed time.
//
// Environment (set by ctest, see tests/integration/CMakeLists.txt):
//   MMV_APP           path of the multimodelvideo executable
//   MMV_SOURCE_DIR    the repository root (holds node_modules, installed by npm ci)
//   MMV_REDIS_SERVER  path of redis-server ("" when CMake did not find it: Redis tests skip)

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const sourceDir = process.env.MMV_SOURCE_DIR ?? path.resolve(here, '../../..');
const appPath = process.env.MMV_APP ?? path.join(sourceDir, 'build/app/multimodelvideo');
/** redis-server to run, or null when it is not available (the Redis tests skip then). */
export const redisServerPath =
    process.env.MMV_REDIS_SERVER === undefined ? 'redis-server' : process.env.MMV_REDIS_SERVER || null;

const nodeModules = path.join(sourceDir, 'node_modules');
if (!existsSync(path.join(nodeModules, 'socket.io-client'))) {
    throw new Error(`socket.io-client is not installed in ${nodeModules}: run npm ci in the repository root`);
}
const require = createRequire(path.join(sourceDir, 'package.json'));
export const { io } = require('socket.io-client');

/** How long any single awaited step may take before the test fails. */
export const STEP_TIMEOUT_MS = 5000;

/** Tokens of every app this test process starts (random, so nothing guesses them). */
export const OPERATOR = `op-${randomBytes(12).toString('hex')}`;
export const VIEWER = `viewer-${randomBytes(12).toString('hex')}`;

/** ISO 8601 UTC with milliseconds, as the protocol's `timestamp` fields. */
export const ISO_MS_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

// Children that must not outlive this process, even when it dies of a failed assertion.
const children = new Set();
process.on('exit', () => {
    for (const child of children) child.kill('SIGKILL');
});

/** Rejects with a message naming `label` if `promise` does not settle within `ms`. */
export function withTimeout(promise, ms, label) {
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${label}`)), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls an async predicate every 20 ms until it is truthy; for server state seen from outside. */
export async function waitUntil(predicate, label, ms = STEP_TIMEOUT_MS) {
    const deadline = Date.now() + ms;
    for (;;) {
        const value = await predicate();
        if (value) return value;
        if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting until ${label}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
}

/** A fresh directory under the system's temp directory. */
export function makeTempDir(prefix = 'mmv-rt-') {
    return mkdtemp(path.join(os.tmpdir(), prefix));
}

/** A port that was free a moment ago (the OS picks it). */
export function freePort() {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const { port } = server.address();
            server.close(() => resolve(port));
        });
    });
}

/** Spawns `command` and tracks its exit; keeps the tail of its output for failure messages. */
function track(command, args, options) {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    children.add(child);
    const state = { child, stdout: '', stderrTail: '', exited: null };
    state.exit = new Promise((resolve) => {
        child.on('exit', (code, signal) => {
            children.delete(child);
            state.exited = { code, signal };
            resolve(state.exited);
        });
        child.on('error', (error) => {
            children.delete(child);
            state.exited = { code: null, signal: null, error: error.message };
            resolve(state.exited);
        });
    });
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
        state.stdout = (state.stdout + chunk).slice(-65536);
    });
    child.stderr.on('data', (chunk) => {
        state.stderrTail = (state.stderrTail + chunk).slice(-8000);
    });
    state.describe = () =>
        `${path.basename(command)} ${JSON.stringify(state.exited)}\n--- stdout ---\n${state.stdout.slice(-2000)}` +
        `\n--- stderr (tail) ---\n${state.stderrTail}`;
    return state;
}

/**
 * Starts the application headless in `home` (a temp dir: settings.ini and data/ inside; fresh
 * unless given, so a restart can reuse one) and resolves once its banner is complete.
 * Returns {port, url, home, stop() (SIGTERM, expects exit code 0), kill() (SIGKILL)}.
 */
export async function startApp({ home, redisUrl, args = [], env: extraEnv = {} } = {}) {
    if (!existsSync(appPath)) throw new Error(`MMV_APP does not name the multimodelvideo executable (${appPath})`);
    home ??= await makeTempDir();
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('MMV_')));
    Object.assign(env, extraEnv);
    env.MMV_CONFIG = path.join(home, 'settings.ini');
    const argv = ['--headless', '--port', '0', '--bind', '127.0.0.1', '--data-dir', path.join(home, 'data'),
        '--operator-token', OPERATOR, '--viewer-token', VIEWER];
    if (redisUrl) argv.push('--redis', redisUrl);
    const proc = track(appPath, [...argv, ...args], { env });
    const port = await withTimeout(
        new Promise((resolve, reject) => {
            const check = () => {
                const match = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(proc.stdout);
                if (match && proc.stdout.includes('Press Ctrl+C to stop.')) resolve(Number(match[1]));
            };
            proc.child.stdout.on('data', check);
            proc.exit.then(() => reject(new Error(`the app exited before it was ready: ${proc.describe()}`)));
        }),
        10000,
        'the app to print its banner',
    ).catch((error) => {
        proc.child.kill('SIGKILL');
        throw error;
    });
    const app = {
        port,
        pid: proc.child.pid,
        url: `http://127.0.0.1:${port}`,
        home,
        get exited() {
            return proc.exited;
        },
        async stop() {
            if (proc.exited) throw new Error(`the app died during the tests: ${proc.describe()}`);
            proc.child.kill('SIGTERM');
            const how = await withTimeout(proc.exit, 10000, 'the app to exit after SIGTERM');
            assert.deepEqual(how, { code: 0, signal: null }, `exit after SIGTERM: ${proc.describe()}`);
        },
        async kill() {
            if (proc.exited) throw new Error(`the app died during the tests: ${proc.describe()}`);
            proc.child.kill('SIGKILL');
            await withTimeout(proc.exit, STEP_TIMEOUT_MS, 'the app to die of SIGKILL');
        },
        describe: () => proc.describe(),
    };
    return app;
}

/** Removes a temp dir made by makeTempDir or startApp. */
export async function removeDir(dir) {
    if (dir) await rm(dir, { recursive: true, force: true });
}

/** True when something on 127.0.0.1:`port` answers a Redis PING with +PONG. */
export function redisPing(port) {
    return new Promise((resolve) => {
        const socket = net.connect(port, '127.0.0.1');
        let reply = '';
        const done = (ok) => {
            socket.destroy();
            resolve(ok);
        };
        socket.setTimeout(500, () => done(false));
        socket.on('error', () => done(false));
        socket.on('connect', () => socket.write('PING\r\n'));
        socket.on('data', (chunk) => {
            reply += chunk;
            if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
        });
    });
}

/** Sends one inline command to Redis on 127.0.0.1:`port` and resolves with the first reply line. */
export function redisCommand(port, command) {
    return withTimeout(
        new Promise((resolve, reject) => {
            const socket = net.connect(port, '127.0.0.1', () => socket.write(`${command}\r\n`));
            let reply = '';
            socket.on('error', reject);
            socket.on('data', (chunk) => {
                reply += chunk;
                if (reply.includes('\r\n')) {
                    socket.destroy();
                    resolve(reply.slice(0, reply.indexOf('\r\n')));
                }
            });
        }),
        STEP_TIMEOUT_MS,
        `redis ${command}`,
    );
}

/**
 * Starts redis-server on a free loopback port (or `port`) without persistence and resolves once
 * it answers PING. Returns {port, url, stop() (SIGTERM), start() (again, same port)}.
 */
export async function startRedis({ port } = {}) {
    if (!redisServerPath) throw new Error('redis-server is not available');
    const dir = await makeTempDir('mmv-rt-redis-');
    let proc = null;
    const redis = {
        port: port ?? (await freePort()),
        get url() {
            return `redis://127.0.0.1:${this.port}/0`;
        },
        get running() {
            return Boolean(proc && !proc.exited);
        },
        async start() {
            proc = track(redisServerPath, ['--port', String(redis.port), '--bind', '127.0.0.1', '--save', '',
                '--appendonly', 'no', '--dir', dir, '--daemonize', 'no']);
            await waitUntil(async () => {
                if (proc.exited) throw new Error(`redis-server exited: ${proc.describe()}`);
                return redisPing(redis.port);
            }, `redis-server answers on port ${redis.port}`, 10000);
        },
        async stop() {
            if (!proc || proc.exited) return;
            proc.child.kill('SIGTERM');
            await withTimeout(proc.exit, STEP_TIMEOUT_MS, 'redis-server to exit');
        },
        async cleanup() {
            await redis.stop();
            await removeDir(dir);
        },
    };
    for (let attempt = 0; ; ++attempt) {
        try {
            await redis.start();
            return redis;
        } catch (error) {
            // Someone took the port between freePort() and redis-server's bind: try another.
            if (port !== undefined || attempt >= 2) throw error;
            redis.port = await freePort();
        }
    }
}

/**
 * An HTTP request to the app with fetch. `json` is sent as a JSON body, `body` as is.
 * Resolves with {status, body (parsed JSON or null), text, headers}.
 */
export async function api(app, method, urlPath, { token, json, body, headers = {} } = {}) {
    const h = { ...headers };
    if (token) h.authorization = `Bearer ${token}`;
    let payload = body;
    if (json !== undefined) {
        payload = JSON.stringify(json);
        h['content-type'] ??= 'application/json';
    }
    const response = await fetch(app.url + urlPath, {
        method,
        headers: h,
        body: payload,
        signal: AbortSignal.timeout(STEP_TIMEOUT_MS),
    });
    const text = await response.text();
    let parsed = null;
    try {
        parsed = JSON.parse(text);
    } catch {
        // not JSON: the assertions on body say so
    }
    return { status: response.status, body: parsed, text, headers: response.headers };
}

/** Asserts an HTTP error answer: `status` and a body {"error": {code, message}}. */
export function assertHttpError(response, status, code) {
    assert.equal(response.status, status, `HTTP status (body: ${response.text.slice(0, 300)})`);
    assert.ok(response.body && typeof response.body.error === 'object', `an error object: ${response.text.slice(0, 300)}`);
    assert.equal(typeof response.body.error.code, 'string');
    assert.ok(response.body.error.code.length > 0);
    assert.equal(typeof response.body.error.message, 'string');
    if (code) assert.equal(response.body.error.code, code);
}

/**
 * A raw HTTP request (node:http) for what fetch cannot do: a Content-Length without sending the
 * body, or a body streamed in chunks until the server answers. Resolves with {status, body}.
 */
export function rawRequest(app, method, urlPath, { headers = {}, chunks = null } = {}) {
    return withTimeout(
        new Promise((resolve, reject) => {
            const request = http.request({ host: '127.0.0.1', port: app.port, method, path: urlPath, headers, agent: false });
            let answered = false;
            request.on('response', (response) => {
                answered = true;
                let text = '';
                response.setEncoding('utf8');
                response.on('data', (chunk) => {
                    text += chunk;
                });
                response.on('end', () => {
                    let body = null;
                    try {
                        body = JSON.parse(text);
                    } catch {
                        // the assertions say so
                    }
                    request.destroy();
                    resolve({ status: response.statusCode, body, text });
                });
            });
            // The server may close while we still send: only the answer matters.
            request.on('error', (error) => {
                if (!answered) reject(error);
            });
            request.flushHeaders();
            if (chunks) {
                const feed = () => {
                    while (!answered && !request.destroyed) {
                        const chunk = chunks.next();
                        if (chunk.done) {
                            request.end();
                            return;
                        }
                        if (!request.write(chunk.value)) {
                            request.once('drain', feed);
                            return;
                        }
                    }
                };
                feed();
            }
        }),
        STEP_TIMEOUT_MS,
        `${method} ${urlPath}`,
    );
}

/** Default client options: a fresh connection per socket, fast reconnection, no hidden retries. */
export function clientOptions(extra = {}) {
    return {
        forceNew: true,
        reconnectionDelay: 50,
        reconnectionDelayMax: 100,
        randomizationFactor: 0,
        timeout: STEP_TIMEOUT_MS,
        ...extra,
    };
}

/** Resolves with {event, args} for whichever of `events` comes first; stops listening to all. */
export function nextOf(emitter, events, ms = STEP_TIMEOUT_MS) {
    const listeners = new Map();
    const stop = () => {
        for (const [event, listener] of listeners) emitter.off(event, listener);
    };
    const promise = new Promise((resolve) => {
        for (const event of events) {
            const listener = (...args) => {
                stop();
                resolve({ event, args });
            };
            listeners.set(event, listener);
            emitter.on(event, listener);
        }
    });
    return withTimeout(promise, ms, events.map((e) => `"${e}"`).join(' or ')).finally(stop);
}

/**
 * Connects a socket to the app with `token` as the CONNECT auth payload (none if undefined) and
 * resolves once connected; rejects with the connect_error. `sockets` collects it for closeAll.
 */
export async function connect(app, token, options = {}, sockets = null) {
    const auth = token === undefined ? {} : { auth: { token } };
    const socket = io(app.url, clientOptions({ ...auth, ...options }));
    sockets?.push(socket);
    try {
        const { event, args } = await nextOf(socket, ['connect', 'connect_error']);
        if (event === 'connect_error') throw args[0];
    } catch (error) {
        socket.disconnect();
        throw error;
    }
    return socket;
}

/** Connects and resolves with the connect_error (fails if the connection is accepted). */
export async function refusal(app, token, options = {}) {
    let refused = null;
    await assert.rejects(connect(app, token, options), (error) => {
        refused = error;
        return true;
    });
    return refused;
}

/** Emits `event` with `args` and an ack; resolves with the ack's first argument. */
export function call(socket, event, ...args) {
    return new Promise((resolve, reject) => {
        socket.timeout(STEP_TIMEOUT_MS).emit(event, ...args, (error, ...reply) => {
            if (error) reject(new Error(`no ack for "${event}": ${error.message}`));
            else resolve(reply[0]);
        });
    });
}

/** Like call, but asserts {ok: true} and returns the ack. */
export async function ok(socket, event, ...args) {
    const reply = await call(socket, event, ...args);
    assert.equal(reply?.ok, true, `ack of "${event}" ${JSON.stringify(args).slice(0, 200)}: ${JSON.stringify(reply)}`);
    return reply;
}

/** Asserts an ack error {ok: false, error: {code, message}} with `code`. */
export function assertAckError(reply, code, what = '') {
    assert.equal(reply?.ok, false, `${what} should fail: ${JSON.stringify(reply)?.slice(0, 300)}`);
    assert.equal(reply.error?.code, code, `${what}: ${JSON.stringify(reply).slice(0, 300)}`);
    assert.equal(typeof reply.error.message, 'string');
}

/** Disconnects every socket (ignores those already gone). */
export function closeAll(sockets) {
    for (const socket of sockets) socket?.disconnect();
    sockets.length = 0;
}

/** Records `events` received by a socket, in order, and lets a test wait for what it expects. */
export class EventLog {
    constructor(socket, events) {
        this.socket = socket;
        this.entries = [];
        this.waiters = new Set();
        for (const event of events) {
            socket.on(event, (...args) => {
                this.entries.push({ event, args });
                for (const waiter of this.waiters) waiter();
            });
        }
    }

    /** The first arguments of every `event` received so far. */
    of(event) {
        return this.entries.filter((entry) => entry.event === event).map((entry) => entry.args[0]);
    }

    /** Resolves once `predicate(this)` is truthy (checked on every event). */
    waitFor(predicate, label, ms = STEP_TIMEOUT_MS) {
        if (predicate(this)) return Promise.resolve();
        let waiter;
        const promise = new Promise((resolve) => {
            waiter = () => {
                if (predicate(this)) resolve();
            };
            this.waiters.add(waiter);
        });
        return withTimeout(promise, ms, label).finally(() => this.waiters.delete(waiter));
    }

    /** Resolves once `count` `event`s have arrived. */
    waitForCount(event, count, ms = STEP_TIMEOUT_MS) {
        return this.waitFor((log) => log.of(event).length >= count, `${count} "${event}" events (have ${this.of(event).length})`, ms);
    }
}

const BARRIER_EVENT = 'rt_test_barrier';
let barrierCounter = 0;

/**
 * Sends a marker event to each logged socket through the broadcast API and waits until each has
 * it. A socket receives events in the order the server sent them, so afterwards every event the
 * server sent it earlier has arrived: a test can then assert that something did NOT arrive.
 */
export async function barrier(app, logs) {
    const marker = ++barrierCounter;
    await Promise.all(
        logs.map(async (log) => {
            if (!log.barrierInstalled) {
                log.barrierInstalled = true;
                log.socket.on(BARRIER_EVENT, (data) => {
                    log.lastBarrier = data.marker;
                    for (const waiter of log.waiters) waiter();
                });
            }
            const reply = await api(app, 'POST', '/api/v1/websocket/broadcast', {
                token: OPERATOR,
                json: { event: BARRIER_EVENT, data: { marker }, sid: log.socket.id },
            });
            assert.equal(reply.status, 200, `barrier broadcast: ${reply.text}`);
            await log.waitFor((l) => l.lastBarrier === marker, `barrier ${marker} on ${log.socket.id}`);
        }),
    );
}

/** A unique, valid session or video id for this test process. */
let idCounter = 0;
export function uniqueId(prefix) {
    return `${prefix}-${process.pid}-${++idCounter}`;
}

/** Asserts the shape of a chat_message. */
export function assertChatMessage(message, { sessionId, text, kind, role, authorId } = {}) {
    assert.equal(typeof message, 'object');
    assert.equal(typeof message.id, 'string');
    assert.ok(message.id.length > 0);
    assert.ok(Number.isInteger(message.seq), `seq ${message.seq}`);
    assert.equal(typeof message.author, 'object');
    assert.equal(typeof message.author.id, 'string');
    assert.equal(typeof message.author.name, 'string');
    assert.match(message.timestamp, ISO_MS_UTC);
    assert.ok(['user', 'operator', 'assistant', 'system'].includes(message.kind), `kind ${message.kind}`);
    if (sessionId !== undefined) assert.equal(message.session_id, sessionId);
    if (text !== undefined) assert.equal(message.text, text);
    if (kind !== undefined) assert.equal(message.kind, kind);
    if (role !== undefined) assert.equal(message.author.role, role);
    if (authorId !== undefined) assert.equal(message.author.id, authorId);
}

/** Asserts that the messages' seqs increase by one each. */
export function assertConsecutive(messages, what) {
    for (let i = 1; i < messages.length; ++i) {
        assert.equal(messages[i].seq, messages[i - 1].seq + 1, `${what}: seq after ${messages[i - 1].seq} at index ${i}`);
    }
}

/** The messages of a chat session through the HTTP API (as a viewer). */
export async function chatHistory(app, sessionId, limit) {
    const query = limit === undefined ? '' : `?limit=${limit}`;
    const reply = await api(app, 'GET', `/api/v1/chat/${sessionId}/messages${query}`, { token: VIEWER });
    assert.equal(reply.status, 200, `GET messages of ${sessionId}: ${reply.text.slice(0, 300)}`);
    assert.equal(reply.body.session_id, sessionId);
    assert.ok(Array.isArray(reply.body.messages));
    return reply.body.messages;
}

/** /api/v1/health's body. */
export async function health(app) {
    const reply = await api(app, 'GET', '/api/v1/health');
    assert.equal(reply.status, 200, `health: ${reply.text}`);
    return reply.body;
}

/**
 * Posts `perSocket` messages from each of `senders` concurrently (the chat limit allows bursts
 * of 20 per socket) and resolves with every ack's message sorted by seq.
 */
export async function postMany(senders, sessionId, perSocket, tag) {
    const acks = await Promise.all(
        senders.flatMap((socket, s) =>
            Array.from({ length: perSocket }, (_, i) =>
                ok(socket, 'send_chat_message', { session_id: sessionId, text: `${tag} ${s}.${i}` }),
            ),
        ),
    );
    return acks.map((ack) => ack.message).sort((a, b) => a.seq - b.seq);
}
