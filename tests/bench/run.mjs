#!/usr/bin/env node
// The real-time benchmark: our server (the application, headless) against Node socket.io 4.8
// (reference/server.mjs) on the same machine in one run, workload by workload:
//
//   idle     idle WebSocket clients ramped to 1k, 5k, 10k, 20k; server RSS per connection
//   fanout   1,000 clients in one room, REST broadcasts at stepped rates; deliveries/s,
//            publish-to-receive latency, delivery ratio, CPU per million deliveries, the
//            highest rate held with p99 < 100 ms and 99.9 % delivered
//   chat     100 clients in one chat session sending acked send_chat_message; ack round trip
//            and sender-to-receiver latency
//
// Writes docs/benchmarks.md (tables) and docs/benchmarks.json (every figure). Not part of
// ctest. See tests/bench/README.md for the options.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { describeMachine } from './lib/machine.mjs';
import { renderMarkdown } from './lib/report.mjs';
import { appHasOption, externalServer, startServer } from './lib/servers.mjs';
import { chatRoundTrip, fanOut, idleConnections } from './lib/workloads.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');

const { values: o } = parseArgs({
    options: {
        app: { type: 'string', default: path.join(repo, 'build-bench', 'app', 'multimodelvideo') },
        out: { type: 'string', default: path.join(repo, 'docs', 'benchmarks') },
        quick: { type: 'boolean', default: false },
        workloads: { type: 'string', default: 'idle,fanout,chat' },
        servers: { type: 'string', default: 'ours,reference' },
        'idle-steps': { type: 'string' },
        'idle-workers': { type: 'string', default: '4' },
        'fanout-clients': { type: 'string' },
        'fanout-rates': { type: 'string' },
        'fanout-seconds': { type: 'string' },
        'fanout-receivers': { type: 'string', default: '2' },
        'chat-clients': { type: 'string' },
        'chat-rate': { type: 'string' },
        'chat-seconds': { type: 'string' },
        'chat-workers': { type: 'string', default: '2' },
        experiment: { type: 'string', multiple: true, default: [] },
        url: { type: 'string' },
        'url-pid': { type: 'string' },
        'operator-token': { type: 'string', default: '' },
        'viewer-token': { type: 'string', default: '' },
        render: { type: 'string' },
        help: { type: 'boolean', default: false },
    },
});

if (o.help) {
    process.stdout.write(fs.readFileSync(path.join(here, 'README.md'), 'utf8'));
    process.exit(0);
}

const list = (text) => text.split(',').map((s) => s.trim()).filter(Boolean);
const numbers = (text) => list(text).map(Number);

function write(results) {
    fs.mkdirSync(path.dirname(o.out), { recursive: true });
    fs.writeFileSync(`${o.out}.json`, JSON.stringify(results, null, 2) + '\n');
    fs.writeFileSync(`${o.out}.md`, renderMarkdown(results));
    log(`wrote ${o.out}.md and ${o.out}.json`);
}

function log(line) {
    process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

if (o.render) {
    const results = JSON.parse(fs.readFileSync(o.render, 'utf8'));
    write(results);
    process.exit(0);
}

// The chat rate limits of our server (docs/protocol.md): 5 send_chat_message/s per socket,
// bursts of 20, and 50 events/s. "Within limits" runs at 90 % of that; the spec's rate
// (1,000/s over 100 clients, 10/s each) needs them raised, which the application can only do
// once it has the knob below; until then that variant runs on the reference alone.
const CHAT_KNOB = '--chat-rate-limit';
const EVENT_KNOB = '--event-rate-limit';
const DEFAULT_LIMITS = { eventRate: 50, eventBurst: 100, chatRate: 5, chatBurst: 20 };

// --experiment NAME=VALUE adds a third server: ours again with that environment (QT_NO_GLIB=1,
// LD_PRELOAD=...), measured in the same run as ours and the reference.
const experimentEnv = Object.fromEntries(
    o.experiment.map((pair) => {
        const at = pair.indexOf('=');
        if (at < 1) throw new Error(`--experiment wants NAME=VALUE, got ${pair}`);
        return [pair.slice(0, at), pair.slice(at + 1)];
    }),
);

const config = {
    quick: o.quick,
    experimentEnv,
    idle: {
        steps: o['idle-steps'] ? numbers(o['idle-steps']) : o.quick ? [100, 500] : [1000, 5000, 10000, 20000],
        workers: Number(o['idle-workers']),
        idleCpuWindowSeconds: o.quick ? 0 : 30,
    },
    fanout: {
        clients: Number(o['fanout-clients'] ?? (o.quick ? 100 : 1000)),
        rates: o['fanout-rates']
            ? numbers(o['fanout-rates'])
            : o.quick
              ? [20, 100]
              : [25, 50, 75, 100, 150, 200, 300, 400, 600, 800, 1000, 1500, 2000, 3000],
        seconds: Number(o['fanout-seconds'] ?? (o.quick ? 2 : 5)),
        receivers: Number(o['fanout-receivers']),
    },
    chat: {
        clients: Number(o['chat-clients'] ?? (o.quick ? 20 : 100)),
        specRate: Number(o['chat-rate'] ?? (o.quick ? 100 : 1000)),
        seconds: Number(o['chat-seconds'] ?? (o.quick ? 4 : 20)),
        workers: Number(o['chat-workers']),
    },
};

// Loads stay bounded whatever the options say.
const LIMITS = { clients: 20000, fanoutClients: 5000, chatClients: 2000, rate: 10000, seconds: 120 };
function checkBounds() {
    const over = [];
    if (Math.max(...config.idle.steps) > LIMITS.clients) over.push(`idle steps over ${LIMITS.clients}`);
    if (config.fanout.clients > LIMITS.fanoutClients) over.push(`fan-out clients over ${LIMITS.fanoutClients}`);
    if (config.chat.clients > LIMITS.chatClients) over.push(`chat clients over ${LIMITS.chatClients}`);
    if (Math.max(...config.fanout.rates, config.chat.specRate) > LIMITS.rate) over.push(`rates over ${LIMITS.rate}/s`);
    if (Math.max(config.fanout.seconds, config.chat.seconds) > LIMITS.seconds) over.push(`steps over ${LIMITS.seconds} s`);
    if (over.length) throw new Error(`refusing an unbounded load: ${over.join(', ')}`);
}

async function main() {
    checkBounds();
    if (!o.url && !fs.existsSync(o.app)) {
        throw new Error(
            `no application at ${o.app}; build it with\n` +
                '  cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release && ' +
                'cmake --build build-bench --target multimodelvideo',
        );
    }
    const machine = describeMachine(o.app);
    const servers = o.url ? ['external'] : list(o.servers);
    if (!o.url && o.experiment.length) servers.push('experiment');
    const workloads = list(o.workloads);
    const appHasKnob = appHasOption(o.app, CHAT_KNOB) && appHasOption(o.app, EVENT_KNOB);
    const results = {
        started: new Date().toISOString(),
        command: `node tests/bench/run.mjs ${process.argv.slice(2).join(' ')}`.trim(),
        machine,
        config,
        appHasRateLimitKnob: appHasKnob,
        workloads: {},
    };
    log(`machine: ${machine.cores} cores ${machine.cpuModel}, load ${machine.loadAverage.join(' ')}`);
    const cores = machine.cores;

    const start = (kind, options = {}) =>
        kind === 'external'
            ? externalServer(o.url, {
                  pid: o['url-pid'] ? Number(o['url-pid']) : null,
                  operatorToken: o['operator-token'],
                  viewerToken: o['viewer-token'],
              })
            : kind === 'experiment'
              ? startServer('ours', { app: o.app, env: experimentEnv, kind: 'experiment', ...options })
              : startServer(kind, { app: o.app, ...options });

    /** Starts the servers of `kinds` together, runs body(servers) -> {kind: result}, stops them. */
    const withServers = async (kinds, optionsFor, body) => {
        const servers = [];
        let results = {};
        try {
            for (const kind of kinds) servers.push(await start(kind, optionsFor(kind)));
            results = await body(servers);
        } catch (error) {
            log(`  ${kinds.join(' and ')} failed: ${error.message}`);
            for (const server of servers) {
                results[server.kind] = { error: error.message, serverLogTail: server.log().slice(-4000) };
            }
            for (const kind of kinds) results[kind] ??= { error: error.message };
        }
        for (const server of servers) {
            const shutdown = await server.stop();
            if (results[server.kind]) results[server.kind].shutdown = shutdown;
            if (shutdown?.killed) log(`  ${server.kind} did not exit within 20 s of SIGTERM; killed`);
        }
        return results;
    };

    if (workloads.includes('idle')) {
        log(`idle connections: ${config.idle.steps.join(', ')}`);
        results.workloads.idle = {};
        // One server at a time: each holds up to 20,000 clients.
        for (const kind of servers) {
            Object.assign(
                results.workloads.idle,
                await withServers([kind], () => ({}), async ([server]) => ({
                    [kind]: await idleConnections(server, { ...config.idle, cores, log }),
                })),
            );
            write(results);
        }
    }

    if (workloads.includes('fanout')) {
        log(`fan-out: ${config.fanout.clients} clients, rates ${config.fanout.rates.join(', ')} events/s`);
        // Both servers up at once, measured in turn at each rate.
        results.workloads.fanout = await withServers(servers, () => ({}), (started) =>
            fanOut(started, { ...config.fanout, cores, log }),
        );
        write(results);
    }

    if (workloads.includes('chat')) {
        const { clients, specRate } = config.chat;
        const withinRate = Math.floor(clients * DEFAULT_LIMITS.chatRate * 0.9);
        // Limits for the spec's rate: 2x the per-client rate, bursts as the defaults scale.
        const perClient = specRate / clients;
        const raised = {
            chatRate: Math.max(DEFAULT_LIMITS.chatRate, Math.ceil(perClient * 2)),
            eventRate: Math.max(DEFAULT_LIMITS.eventRate, Math.ceil(perClient * 10)),
        };
        raised.chatBurst = raised.chatRate * 4;
        raised.eventBurst = raised.eventRate * 2;
        const variants = [
            { name: 'withinLimits', totalRate: withinRate, limits: DEFAULT_LIMITS, oursArgs: [], oursRuns: true },
            {
                name: 'spec',
                totalRate: specRate,
                limits: raised,
                oursArgs: [CHAT_KNOB, String(raised.chatRate), EVENT_KNOB, String(raised.eventRate)],
                oursRuns: appHasKnob || specRate <= withinRate,
            },
        ];
        // A server started by hand has its own limits: run the rate asked for, once.
        if (o.url) variants.splice(0, 1);
        results.workloads.chat = {};
        for (const variant of variants) {
            log(`chat (${variant.name}): ${clients} clients, ${variant.totalRate} messages/s in total`);
            const entry = { totalRate: variant.totalRate, limits: variant.limits };
            results.workloads.chat[variant.name] = entry;
            const isOurs = (kind) => kind === 'ours' || kind === 'experiment';
            const kinds = servers.filter((kind) => !isOurs(kind) || variant.oursRuns);
            for (const kind of servers.filter((k) => !kinds.includes(k))) {
                entry[kind] = {
                    skipped:
                        `needs the chat rate limit raised to ${variant.limits.chatRate}/s per socket; ` +
                        `the application has no ${CHAT_KNOB} / ${EVENT_KNOB} option yet`,
                };
                log(`  chat ${kind}: skipped (${entry[kind].skipped})`);
            }
            Object.assign(
                entry,
                await withServers(
                    kinds,
                    () => ({ limits: variant.limits, extraArgs: variant.oursArgs }),
                    (started) =>
                        chatRoundTrip(started, {
                            clients,
                            totalRate: variant.totalRate,
                            seconds: config.chat.seconds,
                            workers: config.chat.workers,
                            cores,
                            log,
                        }),
                ),
            );
            write(results);
        }
    }

    results.finished = new Date().toISOString();
    results.machine.loadAverageAtEnd = describeMachine(o.app).loadAverage;
    write(results);
}

main().catch((error) => {
    log(`benchmark failed: ${error.stack ?? error}`);
    process.exit(1);
});
