#!/usr/bin/env node
// How much analysis slows the server for everyone else: chat acknowledgement latency while the
// application analyses cockatoo.mp4 back to back, with the analysis threads at nice 10 (the
// default) and at nice 0 (MMV_ANALYSIS_NICE=0), interleaved.
//
//   node tests/bench/analysis_responsiveness.mjs [--seconds 10] [--runs 2] [--nices 10,0]
//                                                [--write FILE]
//
// One Socket.IO client sends send_chat_message and waits for each acknowledgement, 5 ms
// apart, for --seconds while a loop starts the next analysis as soon as the last one ended.
// Reports the latency percentiles and how many analyses completed (so that a lower priority
// that only starved the analysis would show). Uses the build in build/ (MMV_APP to change).

import { readFile, writeFile } from 'node:fs/promises';

import {
    OPERATOR,
    VIEWER,
    api,
    call,
    closeAll,
    connect,
    ok,
    removeDir,
    startApp,
} from '../integration/realtime/helpers.mjs';
import { now, sleep } from './lib/clock.mjs';

const COCKATOO = '/usr/lib/python3/dist-packages/imageio/resources/images/cockatoo.mp4';

const options = { seconds: 10, runs: 2, nices: [10, 0], write: null };
for (let i = 2; i < process.argv.length; i += 2) {
    const [key, value] = [process.argv[i], process.argv[i + 1]];
    if (key === '--seconds') options.seconds = Number(value);
    else if (key === '--runs') options.runs = Number(value);
    else if (key === '--nices') options.nices = value.split(',').map(Number);
    else if (key === '--write') options.write = value;
    else {
        console.error(`unknown argument ${key}`);
        process.exit(2);
    }
}

function percentile(sorted, p) {
    return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

async function measure(nice) {
    const app = await startApp({ env: { MMV_ANALYSIS_NICE: String(nice) } });
    const sockets = [];
    try {
        const form = new FormData();
        form.append('file', new Blob([await readFile(COCKATOO)]), 'cockatoo.mp4');
        const added = await api(app, 'POST', '/api/v1/videos', { token: VIEWER, body: form });
        if (added.status !== 201) throw new Error(`upload: ${added.status} ${added.text}`);
        const id = added.body.video_id;
        const socket = await connect(app, VIEWER, {}, sockets);
        const session = `bench-${nice}-${Date.now()}`;
        await ok(socket, 'join_chat_session', { session_id: session });

        let running = true;
        let analyses = 0;
        const analysing = (async () => {
            while (running) {
                await api(app, 'POST', `/api/v1/videos/${id}/analyze`, { token: OPERATOR });
                for (;;) {
                    const video = await api(app, 'GET', `/api/v1/videos/${id}`, { token: VIEWER });
                    const state = video.body?.status?.state;
                    if (state === 'completed') ++analyses;
                    if (!running || state === 'completed' || state === 'failed') break;
                    await sleep(50);
                }
            }
        })();
        await sleep(500); // the first analysis under way
        const latencies = [];
        const until = now() + options.seconds * 1000;
        for (let i = 0; now() < until; ++i) {
            const started = now();
            await call(socket, 'send_chat_message', { session_id: session, text: `m${i}` });
            latencies.push(now() - started);
            await sleep(5);
        }
        running = false;
        await analysing;
        latencies.sort((a, b) => a - b);
        return {
            nice,
            messages: latencies.length,
            analyses,
            p50: percentile(latencies, 0.5),
            p90: percentile(latencies, 0.9),
            p99: percentile(latencies, 0.99),
            max: latencies[latencies.length - 1],
        };
    } finally {
        closeAll(sockets);
        await app.stop();
        await removeDir(app.home);
    }
}

const rows = [];
for (let run = 0; run < options.runs; ++run) {
    for (const nice of options.nices) {
        const row = await measure(nice);
        rows.push(row);
        console.log(`nice ${nice}: ${row.messages} acks, p50 ${row.p50.toFixed(2)} p90 ${row.p90.toFixed(2)} `
            + `p99 ${row.p99.toFixed(2)} max ${row.max.toFixed(2)} ms, ${row.analyses} analyses done`);
    }
}
if (options.write) {
    const table = ['| analysis nice | acks | p50 ms | p90 ms | p99 ms | max ms | analyses done |',
        '|---:|---:|---:|---:|---:|---:|---:|',
        ...rows.map((r) => `| ${r.nice} | ${r.messages} | ${r.p50.toFixed(2)} | ${r.p90.toFixed(2)} | `
            + `${r.p99.toFixed(2)} | ${r.max.toFixed(2)} | ${r.analyses} |`)];
    await writeFile(options.write, `${table.join('\n')}\n`);
    console.log(`table written to ${options.write}`);
}
