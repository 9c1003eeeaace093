// Shared helpers of the socket.io-client integration tests: start the realtime fixture (our
// real server) on a free port, load socket.io-client and ws from the repository's
// node_modules, and wait for events with timeouts (never fixed sleeps).
//
// Environment (set by ctest, see tests/integration/CMakeLists.txt):
//   MMV_REALTIME_FIXTURE  path of the realtime_fixture executable
//   MMV_SOURCE_DIR        the repository root (holds node_modules, installed by npm ci)

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const sourceDir = process.env.MMV_SOURCE_DIR ?? path.resolve(here, '../../..');
const fixturePath = process.env.MMV_REALTIME_FIXTURE;

const nodeModules = path.join(sourceDir, 'node_modules');
if (!existsSync(path.join(nodeModules, 'socket.io-client'))) {
    throw new Error(`socket.io-client is not installed in ${nodeModules}: run scripts/setup.sh (npm ci)`);
}
const require = createRequire(path.join(sourceDir, 'package.json'));
export const { io, Manager } = require('socket.io-client');
export const WebSocket = require('ws');
// The stock transports, for tests that subclass one (socket.io-client depends on this package).
export const { NodeWebSocket, NodeXHR } = require('engine.io-client');

/** How long any single awaited step may take before the test fails. */
export const STEP_TIMEOUT_MS = 5000;

/**
 * Starts the fixture with `args` and resolves once it prints its port.
 * Returns {port, url, stop()}; stop() fails if the fixture died on its own meanwhile.
 */
export async function startFixture(args = []) {
    if (!fixturePath || !existsSync(fixturePath)) {
        throw new Error(`MMV_REALTIME_FIXTURE does not name the realtime_fixture executable (${fixturePath})`);
    }
    // stdin stays open as a pipe: the fixture exits when this process goes away.
    const child = spawn(fixturePath, ['--port', '0', '--watch-stdin', ...args], {
        stdio: ['pipe', 'pipe', 'inherit'],
    });
    let exited = null;
    const exitPromise = new Promise((resolve) => {
        child.on('exit', (code, signal) => {
            exited = { code, signal };
            resolve(exited);
        });
    });
    const port = await withTimeout(
        new Promise((resolve, reject) => {
            let output = '';
            child.stdout.setEncoding('utf8');
            child.stdout.on('data', (chunk) => {
                output += chunk;
                const match = /listening on port (\d+)/.exec(output);
                if (match) resolve(Number(match[1]));
            });
            child.on('error', reject);
            exitPromise.then((how) => reject(new Error(`fixture exited before listening: ${JSON.stringify(how)}`)));
        }),
        STEP_TIMEOUT_MS,
        'fixture start',
    );
    return {
        port,
        url: `http://127.0.0.1:${port}`,
        wsUrl: `ws://127.0.0.1:${port}`,
        /** Closes the fixture's stdin: it must quit cleanly (exit code 0), connections or not. */
        async stop() {
            if (exited) {
                throw new Error(`the fixture died during the tests: ${JSON.stringify(exited)}`);
            }
            child.stdin.end();
            try {
                const how = await withTimeout(exitPromise, STEP_TIMEOUT_MS, 'the fixture to quit');
                if (how.code !== 0) throw new Error(`the fixture quit badly: ${JSON.stringify(how)}`);
            } finally {
                if (!exited) child.kill('SIGKILL');
            }
        },
    };
}

/** Rejects with a message naming `label` if `promise` does not settle within `ms`. */
export function withTimeout(promise, ms, label) {
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${label}`)), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves with the arguments of the next `event` of `emitter` (as an array). */
export async function next(emitter, event, ms = STEP_TIMEOUT_MS) {
    return (await nextOf(emitter, [event], ms)).args;
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

/** Default client options: a fresh connection per socket, fast reconnection, no retries hiding errors. */
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

/** Connects a socket and resolves once it is connected; rejects with the connect_error. */
export async function connect(url, options = {}) {
    const socket = io(url, clientOptions(options));
    try {
        const { event, args } = await nextOf(socket, ['connect', 'connect_error']);
        if (event === 'connect_error') throw args[0];
    } catch (error) {
        socket.disconnect();
        throw error;
    }
    return socket;
}

/** Emits `event` with an ack and resolves with all the ack's arguments. */
export function request(socket, event, ...args) {
    return new Promise((resolve, reject) => {
        socket.timeout(STEP_TIMEOUT_MS).emit(event, ...args, (error, ...reply) => {
            if (error) reject(new Error(`no ack for "${event}": ${error.message}`));
            else resolve(reply);
        });
    });
}

/** Emits `event` with an ack and resolves with the ack's first argument. */
export async function call(socket, event, ...args) {
    return (await request(socket, event, ...args))[0];
}

/** Disconnects every socket (ignores those already gone). */
export function closeAll(sockets) {
    for (const socket of sockets) socket?.disconnect();
}
