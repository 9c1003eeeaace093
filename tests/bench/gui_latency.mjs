#!/usr/bin/env node
// GUI latency benchmark (not part of ctest): the real application with its window open, under
// Xvfb (or Qt's offscreen platform), with N Socket.IO clients emitting acked events at a fixed
// total rate, while the dashboard's event stream, connections table and charts follow them.
//
//   node tests/bench/gui_latency.mjs [--app build/app/multimodelvideo] [--clients 1000]
//        [--rate 20000] [--seconds 40] [--idle-seconds 10] [--platform xvfb|offscreen]
//        [--tabs cycle|<index>] [--workers 2] [--chat-share 0.05] [--json FILE] [--markdown FILE]
//
// What it measures: the app runs with MMV_GUI_LATENCY_PROBE (ui/latencyprobe.h), which posts
// a time-stamped event to the GUI thread every 10 ms and records how late each is delivered;
// that is the delay any input or repaint would see. Reported: p50/p99/p99.9/max of that delay
// with the clients connected but idle, then under load (per tab when the tabs cycle), the
// process's resident memory over the run, and the load actually reached (events sent and
// acked per second, ack round trip as the clients see it).
//
// Loads only go to 127.0.0.0/8 on this machine and are bounded in count and time.

import { fork, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { now, sleep } from './lib/clock.mjs';
import { stopApp } from './lib/appprocess.mjs';
import { Histogram } from './lib/histogram.mjs';
import { sourceAddresses } from './lib/pool.mjs';
import { freePort, getJson } from './lib/servers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');

function parseArgs(argv) {
    const options = {
        app: path.join(root, 'build', 'app', 'multimodelvideo'),
        clients: 1000,
        rate: 20000,
        seconds: 40,
        idleSeconds: 10,
        platform: 'xvfb',
        tabs: 'cycle',
        tabMs: 4000,
        workers: 2,
        chatShare: 0.05,
        json: null,
        markdown: null,
        width: 1280,
        height: 720,
    };
    for (let i = 2; i < argv.length; ++i) {
        const key = argv[i].replace(/^--/, '').replace(/-([a-z])/g, (_, c) => c.toUpperCase());
        if (!(key in options)) throw new Error(`unknown option ${argv[i]}`);
        const value = argv[++i];
        options[key] = typeof options[key] === 'number' ? Number(value) : value;
    }
    if (options.clients > 20000 || options.rate > 100000 || options.seconds > 600)
        throw new Error('load out of bounds (at most 20,000 clients, 100,000 events/s, 600 s)');
    return options;
}

const TAB_NAMES = ['Overview', 'Connections', 'Rooms', 'Events', 'Broadcast', 'Videos', 'Chat'];
const OPERATOR_TOKEN = 'gui-bench-operator';
const VIEWER_TOKEN = 'gui-bench-viewer';

function log(message) {
    process.stderr.write(`[gui-latency ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** Starts the application with its window; resolves once /api/v1/health answers. */
async function startApp(options, dir, probeFile) {
    const port = await freePort();
    const appArgs = [
        '--port', String(port),
        '--bind', '127.0.0.1',
        '--data-dir', path.join(dir, 'data'),
        '--operator-token', OPERATOR_TOKEN,
        '--viewer-token', VIEWER_TOKEN,
    ];
    const env = {
        ...process.env,
        MMV_CONFIG: path.join(dir, 'settings.ini'),
        XDG_CONFIG_HOME: path.join(dir, 'config'), // the window's geometry and tab, fresh
        MMV_GUI_LATENCY_PROBE: probeFile,
        MMV_GUI_LATENCY_TABS: String(options.tabs),
        MMV_GUI_LATENCY_TAB_MS: String(options.tabMs),
        LANG: 'C.UTF-8',
    };
    // The window keeps its default size unless told; QSettings starts empty here.
    fs.mkdirSync(path.join(env.XDG_CONFIG_HOME, 'MultiModelVideo'), { recursive: true });
    let command = options.app;
    let args = appArgs;
    if (options.platform === 'xvfb') {
        command = 'xvfb-run';
        args = ['-a', '-s', `-screen 0 ${options.width}x${options.height}x24`, options.app, ...appArgs];
        env.QT_QPA_PLATFORM = 'xcb';
    } else {
        env.QT_QPA_PLATFORM = 'offscreen';
    }
    const child = spawn(command, args, { env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
        stderr = (stderr + chunk.toString()).slice(-20000);
    });
    const url = `http://127.0.0.1:${port}/`;
    const deadline = now() + 30000;
    while (now() < deadline) {
        if (child.exitCode !== null) throw new Error(`the app exited early:\n${stderr}`);
        try {
            const health = await getJson(new URL('/api/v1/health', url).toString());
            if (health?.status) break;
        } catch {
            // not yet
        }
        await sleep(200);
    }
    return {
        url,
        child,
        stderr: () => stderr,
        stop: () => stopApp(child, options.app),
    };
}

class Worker {
    constructor() {
        this.nextId = 0;
        this.waiting = new Map();
        this.child = fork(path.join(here, 'gui_latency_worker.mjs'), [], {
            serialization: 'advanced',
            stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        });
        this.child.on('message', ({ id, result, error }) => {
            const entry = this.waiting.get(id);
            this.waiting.delete(id);
            if (error) entry?.reject(new Error(error));
            else entry?.resolve(result);
        });
    }
    call(cmd, args = {}) {
        const id = this.nextId++;
        return new Promise((resolve, reject) => {
            this.waiting.set(id, { resolve, reject });
            this.child.send({ id, cmd, args });
        });
    }
    close() {
        this.child.disconnect();
    }
}

/** The probe's lines: {t_ms, latency_us: [...], rss_kib, tab}. */
function readProbe(file) {
    if (!fs.existsSync(file)) return [];
    return fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line.trim())
        .map((line) => JSON.parse(line));
}

function summarize(lines) {
    const hist = new Histogram();
    for (const line of lines) for (const us of line.latency_us) hist.record(us / 1000);
    const rss = lines.map((l) => l.rss_kib).filter((v) => v > 0);
    const s = hist.summary();
    // The GUI thread's own time per second: on a CPU, and ready but waiting for one.
    const sched = lines.filter((l) => l.gui_cpu_us !== undefined);
    const perSecond = (key) =>
        sched.length ? sched.reduce((a, l) => a + l[key], 0) / sched.length / 1000 : null;
    return {
        gui_cpu_ms_per_s: perSecond('gui_cpu_us'),
        gui_runqueue_ms_per_s: perSecond('gui_runqueue_us'),
        samples: s.count,
        p50_ms: s.p50,
        p99_ms: s.p99,
        p999_ms: s.p999,
        max_ms: s.max,
        mean_ms: s.mean,
        rss_mib_first: rss.length ? rss[0] / 1024 : null,
        rss_mib_last: rss.length ? rss[rss.length - 1] / 1024 : null,
        rss_mib_max: rss.length ? Math.max(...rss) / 1024 : null,
    };
}

/** Messages in and out over every connected socket, from the operator API's client list. */
function serverMessages(list) {
    let inTotal = 0;
    let outTotal = 0;
    for (const c of list.clients ?? []) {
        inTotal += c.messages_in;
        outTotal += c.messages_out;
    }
    return { in: inTotal, out: outTotal };
}

function round(value, digits = 2) {
    return value === null || value === undefined ? null : Number(value.toFixed(digits));
}

function markdown(result) {
    const r = result;
    const row = (label, s) =>
        `| ${label} | ${s.samples} | ${round(s.p50_ms)} | ${round(s.p99_ms)} | ${round(s.p999_ms)} | ${round(s.max_ms)} | ${round(s.gui_cpu_ms_per_s, 0)} | ${round(s.gui_runqueue_ms_per_s, 0)} |`;
    const lines = [
        `Run ${r.startedAt}: ${r.options.clients} clients, ${r.options.rate} events/s offered for ${r.options.seconds} s, platform ${r.options.platform}, tabs ${r.options.tabs}; load average ${r.loadAverage.start.join(' ')} at the start.`,
        '',
        '| phase | probe samples | p50 ms | p99 ms | p99.9 ms | max ms | GUI thread on a CPU, ms/s | GUI thread waiting for a CPU, ms/s |',
        '|---|---|---|---|---|---|---|---|',
        row('clients connected, idle', r.idle),
        row('under load, all tabs', r.load),
        ...Object.entries(r.perTab).map(([tab, s]) => row(`under load, ${tab} tab`, s)),
        '',
        `GUI p99 under load: **${round(r.load.p99_ms)} ms** (target < 50 ms: ${r.load.p99_ms < 50 ? 'met' : '**missed**'}).`,
        '',
        `Load reached: ${r.load_reached.clients_open} clients open (${JSON.stringify(r.load_reached.connect_failures)} failures), ${round(r.load_reached.sent_per_s, 0)} events/s sent, ${round(r.load_reached.acked_per_s, 0)} acked/s, ${r.load_reached.refused} refused ${JSON.stringify(r.load_reached.refused_by)}, ack round trip p50 ${round(r.load_reached.ack_ms.p50)} ms / p99 ${round(r.load_reached.ack_ms.p99)} ms; the server counted ${round(r.load_reached.server_messages_in_per_s, 0)} messages/s in and ${round(r.load_reached.server_messages_out_per_s, 0)} out.`,
        '',
        `Memory (VmRSS of the app): ${round(r.memory.start_mib)} MiB before the clients, ${round(r.memory.idle_mib)} MiB with them idle, ${round(r.memory.load_max_mib)} MiB at most under load, ${round(r.memory.end_mib)} MiB at the end of the load${r.memory.load_timeline_mib.length ? `; every 10 s of the load: ${r.memory.load_timeline_mib.join(', ')} MiB` : ''}.`,
    ];
    return lines.join('\n') + '\n';
}

async function main() {
    const options = parseArgs(process.argv);
    if (!fs.existsSync(options.app)) throw new Error(`no application at ${options.app}; build it first`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmv-gui-bench-'));
    const probeFile = path.join(dir, 'probe.jsonl');
    const loadStart = os.loadavg().map((v) => round(v, 2));
    log(`starting ${options.app} (${options.platform}) in ${dir}`);
    const app = await startApp(options, dir, probeFile);
    const workers = Array.from({ length: options.workers }, () => new Worker());
    const result = { startedAt: new Date().toISOString(), options, loadAverage: { start: loadStart } };
    try {
        await sleep(3000); // the window settles
        const startLines = readProbe(probeFile);
        const startRss = startLines.length ? startLines[startLines.length - 1].rss_kib / 1024 : null;

        log(`connecting ${options.clients} clients`);
        const share = Math.ceil(options.clients / options.workers);
        const connected = await Promise.all(
            workers.map((w, i) =>
                w.call('connect', {
                    url: app.url,
                    token: VIEWER_TOKEN,
                    first: i * share,
                    count: Math.min(share, options.clients - i * share),
                    addresses: sourceAddresses(i),
                }),
            ),
        );
        const open = connected.reduce((a, c) => a + c.open, 0);
        const failures = {};
        for (const c of connected) for (const [k, v] of Object.entries(c.failures)) failures[k] = (failures[k] ?? 0) + v;
        log(`${open} clients open; idle for ${options.idleSeconds} s`);

        const idleFrom = readProbe(probeFile).length;
        await sleep(options.idleSeconds * 1000);
        const idleLines = readProbe(probeFile).slice(idleFrom);

        const clientsUrl = new URL('/api/v1/websocket/clients', app.url).toString();
        const before = serverMessages(await getJson(clientsUrl, OPERATOR_TOKEN));
        log(`load: ${options.rate} events/s for ${options.seconds} s`);
        const loadFrom = readProbe(probeFile).length;
        const runs = await Promise.all(
            workers.map((w) =>
                w.call('run', { rate: options.rate / options.workers, seconds: options.seconds, chatShare: options.chatShare }),
            ),
        );
        const loadLines = readProbe(probeFile).slice(loadFrom);
        const after = serverMessages(await getJson(clientsUrl, OPERATOR_TOKEN));
        log('load done');

        const ackHist = new Histogram();
        let sent = 0;
        let acked = 0;
        let refused = 0;
        const refusedBy = {};
        let elapsedMs = 0;
        for (const run of runs) {
            ackHist.merge(run.hist);
            sent += run.sent;
            acked += run.acked;
            refused += run.refused;
            for (const [code, n] of Object.entries(run.refusedBy)) refusedBy[code] = (refusedBy[code] ?? 0) + n;
            elapsedMs = Math.max(elapsedMs, run.elapsedMs);
        }
        const perTab = {};
        if (options.tabs === 'cycle') {
            const byTab = new Map();
            for (const line of loadLines) {
                if (!byTab.has(line.tab)) byTab.set(line.tab, []);
                byTab.get(line.tab).push(line);
            }
            for (const [tab, lines] of [...byTab.entries()].sort((a, b) => a[0] - b[0]))
                perTab[TAB_NAMES[tab] ?? `#${tab}`] = summarize(lines);
        }
        const load = summarize(loadLines);
        const idle = summarize(idleLines);
        const seconds = options.seconds;
        result.idle = idle;
        result.load = load;
        result.perTab = perTab;
        result.load_reached = {
            clients_open: open,
            connect_failures: failures,
            sent_per_s: sent / seconds,
            acked_per_s: acked / seconds,
            refused,
            refused_by: refusedBy,
            ack_ms: ackHist.summary(),
            // The server's own per-socket counters (GET /api/v1/websocket/clients), summed.
            server_messages_in_per_s: (after.in - before.in) / (elapsedMs / 1000),
            server_messages_out_per_s: (after.out - before.out) / (elapsedMs / 1000),
        };
        result.memory = {
            // Every 10 s of the load: the ring buffers fill, then the figure must level off.
            load_timeline_mib: loadLines
                .filter((_, i) => i % 10 === 9)
                .map((l) => round(l.rss_kib / 1024, 1)),
            start_mib: startRss,
            idle_mib: idle.rss_mib_last,
            load_max_mib: load.rss_mib_max,
            end_mib: load.rss_mib_last,
        };
        result.loadAverage.end = os.loadavg().map((v) => round(v, 2));
    } finally {
        for (const w of workers) {
            try {
                await w.call('close');
            } catch {
                // gone
            }
            w.close();
        }
        await app.stop();
    }
    const text = markdown(result);
    process.stdout.write(text);
    if (options.json) fs.writeFileSync(options.json, JSON.stringify(result, null, 2) + '\n');
    if (options.markdown) fs.writeFileSync(options.markdown, text);
    fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});
