#!/usr/bin/env node
// Screenshots of the dashboard's views with live data, into docs/screenshots/dashboard-*.png.
//
//   node docs/screenshots/capture.mjs [--app build/app/multimodelvideo] [--size 1280x800]
//        [--video /usr/share/doc/opencv-doc/examples/data/Megamind.avi] [--out docs/screenshots]
//        [--scale 2] [--traffic-seconds 90]
//
// --scale runs Qt with that device pixel ratio on a screen of size x scale pixels (a 4K screen
// is --size 1920x1080 --scale 2); the pictures then have the screen's pixels.
//
// Starts the application under Xvfb (xvfb-run) with MMV_SCREENSHOT_DIR (ui/screenshotdriver.h),
// connects a dozen Socket.IO clients with names, puts them in chat sessions and subscriptions,
// uploads a sample video and analyses it, keeps some traffic going (names, chat, acks) for the
// charts, then asks the window to show and save each tab.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { now, sleep } from '../../tests/bench/lib/clock.mjs';
import { stopApp } from '../../tests/bench/lib/appprocess.mjs';
import { freePort } from '../../tests/bench/lib/servers.mjs';
import { SioClient, socketUrl } from '../../tests/bench/lib/sioclient.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const OPERATOR = 'screenshot-operator-token';
const VIEWER = 'screenshot-viewer-token';

const options = {
    app: path.join(root, 'build', 'app', 'multimodelvideo'),
    size: '1280x800',
    video: '/usr/share/doc/opencv-doc/examples/data/Megamind.avi',
    out: here,
    trafficSeconds: 90,
    scale: 1,
};
for (let i = 2; i < process.argv.length; i += 2) {
    const key = process.argv[i].replace(/^--/, '').replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    if (!(key in options)) throw new Error(`unknown option ${process.argv[i]}`);
    options[key] = typeof options[key] === 'number' ? Number(process.argv[i + 1]) : process.argv[i + 1];
}

const PEOPLE = [
    ['Ana (laptop)', 'lobby'],
    ['Ben', 'lobby'],
    ['Chiara', 'lobby'],
    ['Dmitri (phone)', 'lobby'],
    ['Emma', 'review-42'],
    ['Farid', 'review-42'],
    ['Grace (tablet)', 'review-42'],
    ['Hiro', 'lobby'],
    ['Ines', 'standup'],
    ['Jonas', 'standup'],
    ['Kemal', 'lobby'],
    ['Lena (kiosk)', 'review-42'],
];
const LINES = [
    'The cut at 0:07 looks right to me.',
    'Can we get the faces per shot as well?',
    'Analysis is at 60 %, almost there.',
    'Outline updated, 5 segments.',
    'Who uploaded Megamind.avi?',
    'Keyframes look sharp on the phone too.',
    'Joining from the meeting room.',
    'Thanks, that is what I needed.',
];

function log(message) {
    process.stderr.write(`[screenshots] ${message}\n`);
}

async function api(base, method, urlPath, { token = OPERATOR, json, body, headers = {} } = {}) {
    const response = await fetch(new URL(urlPath, base), {
        method,
        headers: {
            authorization: `Bearer ${token}`,
            ...(json ? { 'content-type': 'application/json' } : {}),
            ...headers,
        },
        body: json ? JSON.stringify(json) : body,
        signal: AbortSignal.timeout(30000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${urlPath}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
}

function emitAck(client, event, data) {
    return new Promise((resolve) => {
        if (!client.emit(event, data, (buffer, offset) => resolve(buffer.toString('utf8', offset))))
            resolve(null);
    });
}

async function main() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmv-screenshots-'));
    const shots = path.join(dir, 'shots');
    const port = await freePort();
    const [width, height] = options.size.split('x').map(Number);
    const env = {
        ...process.env,
        MMV_CONFIG: path.join(dir, 'settings.ini'),
        XDG_CONFIG_HOME: path.join(dir, 'config'),
        MMV_SCREENSHOT_DIR: shots,
        MMV_SCREENSHOT_SIZE: options.size,
        QT_QPA_PLATFORM: 'xcb',
        QT_SCALE_FACTOR: String(options.scale),
        LANG: 'C.UTF-8',
    };
    const app = spawn(
        'xvfb-run',
        [
            '-a', '-s', `-screen 0 ${width * options.scale}x${height * options.scale}x24`,
            options.app,
            '--port', String(port),
            '--bind', '127.0.0.1',
            '--data-dir', path.join(dir, 'data'),
            '--operator-token', OPERATOR,
            '--viewer-token', VIEWER,
        ],
        { env, detached: true, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const base = `http://127.0.0.1:${port}/`;
    const clients = [];
    let stopTraffic = false;
    try {
        const deadline = now() + 30000;
        for (;;) {
            try {
                await api(base, 'GET', '/api/v1/health');
                break;
            } catch (error) {
                if (now() > deadline || app.exitCode !== null) throw error;
                await sleep(250);
            }
        }
        log(`app up at ${base}`);

        for (const [index, [name, session]] of PEOPLE.entries()) {
            const client = new SioClient(socketUrl(base), {
                auth: { token: VIEWER },
                localAddress: `127.0.0.${20 + index}`,
            });
            await client.connect();
            client.person = name;
            client.session = session;
            await emitAck(client, 'set_name', { name });
            await emitAck(client, 'join_chat_session', { session_id: session });
            clients.push(client);
        }
        log(`${clients.length} clients connected`);

        const video = await api(base, 'POST', '/api/v1/videos', {
            token: VIEWER,
            body: fs.readFileSync(options.video),
            headers: { 'content-type': 'video/x-msvideo', 'x-filename': path.basename(options.video) },
        });
        log(`uploaded ${video.filename} as ${video.video_id}`);
        for (const client of clients.slice(0, 7)) {
            await emitAck(client, 'subscribe_processing_updates', { video_id: video.video_id });
            await emitAck(client, 'subscribe_visual_analysis', { video_id: video.video_id });
        }

        // Traffic for the event stream and the charts: chat lines, names, acks.
        const traffic = (async () => {
            let n = 0;
            let chats = 0;
            while (!stopTraffic) {
                const client = clients[n % clients.length];
                if (n % 8 === 0) {
                    // Every person in turn (5 is prime to 12), every line in turn.
                    const speaker = clients[(chats * 5) % clients.length];
                    await emitAck(speaker, 'send_chat_message', {
                        session_id: speaker.session,
                        text: LINES[chats % LINES.length],
                    });
                    ++chats;
                } else {
                    await emitAck(client, 'set_name', { name: client.person });
                }
                ++n;
                await sleep(150 + (n % 5) * 60);
            }
        })();

        await api(base, 'POST', `/api/v1/videos/${video.video_id}/analyze`, { token: VIEWER });
        const until = now() + 180000;
        for (;;) {
            const state = await api(base, 'GET', `/api/v1/videos/${video.video_id}`, { token: VIEWER });
            const status = state.status ?? state.processing_status ?? {};
            if (status.state === 'completed' || status.state === 'failed') {
                log(`analysis ${status.state}`);
                break;
            }
            if (now() > until) throw new Error('analysis did not finish in 3 minutes');
            await sleep(1000);
        }
        await api(base, 'POST', '/api/v1/websocket/broadcast', {
            json: { event: 'notification', data: { level: 'info', title: 'Analysis done', text: 'Megamind.avi is ready', timestamp: new Date().toISOString() } },
        });
        log(`traffic for ${options.trafficSeconds} s`);
        await sleep(options.trafficSeconds * 1000);

        fs.writeFileSync(path.join(shots, 'capture'), 'lobby\n');
        const captureDeadline = now() + 60000;
        while (!fs.existsSync(path.join(shots, 'capture.done'))) {
            if (now() > captureDeadline) throw new Error('the window did not capture in 60 s');
            await sleep(250);
        }
        stopTraffic = true;
        await traffic;
        fs.mkdirSync(options.out, { recursive: true });
        for (const file of fs.readdirSync(shots).filter((f) => f.endsWith('.png'))) {
            fs.copyFileSync(path.join(shots, file), path.join(options.out, file));
            log(`wrote ${path.join(options.out, file)}`);
        }
    } finally {
        stopTraffic = true;
        for (const client of clients) client.terminate();
        await stopApp(app, options.app);
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});
