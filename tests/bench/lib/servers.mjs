// Starting and watching the two servers under test: ours (the real application, headless) and
// the reference (Node socket.io 4.8, reference/server.mjs), each on a free loopback port with
// its own data directory, plus what /proc says about a process (RSS, CPU seconds).

import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { sleep } from './clock.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const referenceScript = path.join(here, '..', 'reference', 'server.mjs');

export const OPERATOR_TOKEN = 'bench-operator-token';
export const VIEWER_TOKEN = 'bench-viewer-token';

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

export function freePort() {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.on('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const { port } = server.address();
            server.close(() => resolve(port));
        });
    });
}

/** Resident set size of a process in KiB (VmRSS), or null once it is gone. */
export function rssKiB(pid) {
    try {
        const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
        return Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
    } catch {
        return null;
    }
}

/** User + system CPU seconds of a process (all threads), or null once it is gone. */
export function cpuSeconds(pid) {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime, stime
    } catch {
        return null;
    }
}

/** Busy and total CPU seconds of the whole machine since boot (/proc/stat). */
export function machineCpu() {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = v[3] + (v[4] ?? 0);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: (total - idle) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
}

/** Does the application accept a command-line option (its --help mentions it)? */
export function appHasOption(appPath, option) {
    try {
        const help = execFileSync(appPath, ['--help'], {
            encoding: 'utf8',
            env: { ...process.env, QT_QPA_PLATFORM: 'offscreen' },
            timeout: 20000,
        });
        return help.includes(option);
    } catch (error) {
        return String(error.stdout ?? '').includes(option);
    }
}

/**
 * Starts one server and resolves once it prints its URL:
 * { kind, pid, url, port, stop(), log() }.
 * kind: 'ours' (options.app) or 'reference'. options.limits: {eventRate, eventBurst, chatRate,
 * chatBurst} for the reference, options.extraArgs for ours.
 */
export async function startServer(kind, options) {
    const port = await freePort();
    const label = options.kind ?? kind; // 'experiment' runs ours under another name
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `mmv-bench-${label}-`));
    let command;
    let args;
    const env = { ...process.env, ...(options.env ?? {}) };
    if (kind === 'ours') {
        command = options.app;
        args = [
            '--headless',
            '--port', String(port),
            '--bind', '127.0.0.1',
            '--data-dir', dataDir,
            '--operator-token', OPERATOR_TOKEN,
            '--viewer-token', VIEWER_TOKEN,
            ...(options.extraArgs ?? []),
        ];
        env.MMV_CONFIG = path.join(dataDir, 'settings.ini');
        env.QT_QPA_PLATFORM = 'offscreen';
    } else {
        const limits = options.limits ?? {};
        command = process.execPath;
        args = [
            referenceScript,
            '--port', String(port),
            '--bind', '127.0.0.1',
            '--data-dir', dataDir,
            '--operator-token', OPERATOR_TOKEN,
            '--viewer-token', VIEWER_TOKEN,
            '--event-rate', String(limits.eventRate ?? 50),
            '--event-burst', String(limits.eventBurst ?? 100),
            '--chat-rate', String(limits.chatRate ?? 5),
            '--chat-burst', String(limits.chatBurst ?? 20),
        ];
    }
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk) => {
        output += chunk;
        if (output.length > 200000) output = output.slice(-100000);
    };
    child.stdout.setEncoding('utf8').on('data', keep);
    child.stderr.setEncoding('utf8').on('data', keep);
    const url = await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${label} did not start in 30 s:\n${output}`)), 30000);
        const look = () => {
            const match = new RegExp(`http://127\\.0\\.0\\.1:${port}/`).exec(output);
            if (match) {
                clearTimeout(timer);
                resolve(match[0]);
            }
        };
        child.stdout.on('data', look);
        child.on('exit', (code) => {
            clearTimeout(timer);
            reject(new Error(`${label} exited with ${code} before listening:\n${output}`));
        });
    });
    child.removeAllListeners('exit');
    let exited = false;
    child.on('exit', () => (exited = true));
    // Let it finish starting (the app's network thread, the reference's JIT warm-up).
    await sleep(1000);
    return {
        kind: label,
        pid: child.pid,
        url,
        operatorToken: OPERATOR_TOKEN,
        viewerToken: VIEWER_TOKEN,
        port,
        dataDir,
        log: () => output,
        alive: () => !exited,
        /** SIGTERM, SIGKILL after 20 s; answers how long the server took to exit. */
        async stop() {
            const asked = Date.now();
            let killed = false;
            if (!exited) {
                child.kill('SIGTERM');
                for (let i = 0; i < 200 && !exited; ++i) await sleep(100);
                if (!exited) {
                    killed = true;
                    child.kill('SIGKILL');
                }
                for (let i = 0; i < 50 && !exited; ++i) await sleep(100);
            }
            fs.rmSync(dataDir, { recursive: true, force: true });
            return { stopSeconds: (Date.now() - asked) / 1000, killed };
        },
    };
}

/**
 * A server somebody else started, on a loopback address only (the benchmark never loads
 * another machine). Without a pid there are no RSS or CPU figures.
 */
export function externalServer(url, { pid, operatorToken, viewerToken }) {
    const host = new URL(url).hostname;
    if (!/^127\.\d+\.\d+\.\d+$/.test(host) && host !== 'localhost')
        throw new Error(`--url must be on 127.0.0.0/8 (got ${host})`);
    return {
        kind: 'external',
        pid: pid ?? null,
        url: new URL('/', url).toString(),
        operatorToken,
        viewerToken,
        log: () => '',
        alive: () => (pid ? rssKiB(pid) !== null : true),
        async stop() {
            return null;
        },
    };
}

/** GET a JSON endpoint of a server with a bearer token. */
export async function getJson(url, token) {
    const response = await fetch(url, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
        signal: AbortSignal.timeout(5000),
    });
    return response.json();
}
