// docs/benchmarks.md from the results of run.mjs: the machine, a summary table of every
// figure for both servers with the ratio (ours / reference) and the targets of the issue, then
// the per-step tables.

const fmt = (v, digits = 2) => {
    if (v === null || v === undefined || Number.isNaN(v)) return 'n/a';
    if (typeof v !== 'number') return String(v);
    if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en-US');
    return Number(v.toFixed(digits)).toString();
};

const ratio = (ours, ref) =>
    Number.isFinite(ours) && Number.isFinite(ref) && ref !== 0 ? `${fmt(ours / ref, 2)}x` : 'n/a';

const table = (header, rows) =>
    [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join(
        '\n',
    );

const get = (object, ...keys) => keys.reduce((v, k) => (v === null || v === undefined ? v : v[k]), object);

/** The step of a fan-out run at `rate`, if any. */
const stepAt = (run, rate) => run?.steps?.find((s) => s.rate === rate) ?? null;

/** The kinds of server in a workload's results, ours and the reference first. */
function kindsOf(r) {
    const kinds = new Set(['ours', 'reference']);
    const visit = (entry) => Object.keys(entry ?? {}).forEach((k) => !['totalRate', 'limits'].includes(k) && kinds.add(k));
    visit(r.workloads.idle);
    visit(r.workloads.fanout);
    for (const entry of Object.values(r.workloads.chat ?? {})) visit(entry);
    return [...kinds];
}

function summaryRows(r, kinds) {
    const rows = [];
    const experiment = kinds.includes('experiment');
    const verdict = (ok) => (ok === null ? 'n/a' : ok ? 'yes' : '**no**');
    /** One figure: valueOf(kind) for each server, the ratio ours / reference, the target. */
    const add = (workload, figure, valueOf, better, target = '', check = null) => {
        const ours = valueOf('ours');
        const ref = valueOf('reference');
        const met = check ? verdict(Number.isFinite(ours) && Number.isFinite(ref) ? check(ours, ref) : null) : '';
        rows.push([
            workload,
            figure,
            ...kinds.map((k) => fmt(valueOf(k))),
            ratio(ours, ref),
            ...(experiment ? [ratio(valueOf('experiment'), ref)] : []),
            better,
            target,
            met,
        ]);
    };

    const idle = r.workloads.idle;
    if (idle) {
        const run = (k) => idle[k];
        const targets = [...new Set(kinds.flatMap((k) => run(k)?.steps?.map((s) => s.target) ?? []))];
        const stepOf = (k, target) => run(k)?.steps?.find((s) => s.target === target);
        add('idle', `connections reached (target ${fmt(targets.at(-1))})`, (k) => run(k)?.maxConnected, 'higher');
        add('idle', 'RSS before any client (MiB)', (k) => run(k)?.baselineRssKiB / 1024, 'lower');
        for (const t of targets) add('idle', `RSS at the ${fmt(t)} step (MiB)`, (k) => stepOf(k, t)?.rssKiB / 1024, 'lower');
        add('idle', 'RSS per connection, slope (KiB)', (k) => run(k)?.kibPerConnection, 'lower', '<= reference and < 24', (o, f) => o <= f && o < 24);
        for (const t of targets) add('idle', `connects/s, ramp to the ${fmt(t)} step`, (k) => stepOf(k, t)?.connectsPerSecond, 'higher');
        for (const t of targets)
            add('idle', `server CPU while idle at the ${fmt(t)} step (cores)`, (k) => stepOf(k, t)?.idleServerCores, 'lower');
        add('idle', 'seconds until the server counts 0 after all clients close', (k) => run(k)?.disconnectSeconds, 'lower');
        add('idle', 'seconds to exit after SIGTERM', (k) => run(k)?.shutdown?.stopSeconds, 'lower');
    }

    const fan = r.workloads.fanout;
    if (fan) {
        const run = (k) => fan[k];
        add(
            'fan-out',
            'highest rate held, events/s (p99 < 100 ms, >= 99.9 % delivered)',
            (k) => run(k)?.highestHeldRate,
            'higher',
            '>= 3x reference',
            (o, f) => o > 0 && o >= 3 * f,
        );
        add('fan-out', 'delivered msgs/s at that rate', (k) => run(k)?.highestHeldDeliveredPerSecond, 'higher');
        add('fan-out', 'peak delivered msgs/s (any step)', (k) => run(k)?.peakDeliveredPerSecond, 'higher');
        // Like for like: the highest rate ours and the reference both held, else the first rate.
        const common =
            (run('ours')?.steps ?? []).filter((s) => s.held && stepAt(run('reference'), s.rate)?.held).map((s) => s.rate).at(-1) ??
            run('ours')?.steps?.[0]?.rate ??
            run('reference')?.steps?.[0]?.rate;
        const at = `at ${fmt(common)} events/s`;
        add('fan-out', `delivered msgs/s ${at}`, (k) => stepAt(run(k), common)?.deliveredPerSecond, 'higher');
        add('fan-out', `latency p50 (ms) ${at}`, (k) => stepAt(run(k), common)?.latencyMs?.p50, 'lower');
        add('fan-out', `latency p99 (ms) ${at}`, (k) => stepAt(run(k), common)?.latencyMs?.p99, 'lower');
        add('fan-out', `delivery ratio ${at}`, (k) => stepAt(run(k), common)?.deliveryRatio, 'higher');
        add('fan-out', `server CPU s per million deliveries ${at}`, (k) => stepAt(run(k), common)?.cpuSecondsPerMillion, 'lower');
        add('fan-out', 'server CPU s per million deliveries at own highest held rate', (k) => run(k)?.bestStep?.cpuSecondsPerMillion, 'lower');
    }

    const chat = r.workloads.chat;
    if (chat) {
        for (const [name, entry] of Object.entries(chat)) {
            const label = name === 'spec' ? `chat ${fmt(entry.totalRate)}/s (spec)` : `chat ${fmt(entry.totalRate)}/s (within limits)`;
            const run = (k) => (entry[k]?.ackMs ? entry[k] : null);
            for (const k of kinds) {
                if (entry[k]?.skipped) rows.push([label, `${k} not run: ${entry[k].skipped}`, ...kinds.map(() => ''), '', ...(experiment ? [''] : []), '', '', '']);
            }
            add(label, 'acked messages/s', (k) => run(k)?.ackedPerSecond, 'higher');
            add(
                label,
                'acks refused or missing',
                (k) => (run(k) ? Object.values(run(k).ackErrors ?? {}).reduce((a, b) => a + b, 0) + (run(k).unanswered ?? 0) : undefined),
                'lower',
            );
            add(label, 'ack round trip p50 (ms)', (k) => run(k)?.ackMs.p50, 'lower');
            add(label, 'ack round trip p99 (ms)', (k) => run(k)?.ackMs.p99, 'lower', '<= reference', (o, f) => o <= f);
            add(label, 'ack round trip p99.9 (ms)', (k) => run(k)?.ackMs.p999, 'lower');
            add(label, 'sender to receiver p50 (ms)', (k) => run(k)?.senderToReceiverMs.p50, 'lower');
            add(label, 'sender to receiver p99 (ms)', (k) => run(k)?.senderToReceiverMs.p99, 'lower', '<= reference', (o, f) => o <= f);
            add(label, 'sender to receiver p99.9 (ms)', (k) => run(k)?.senderToReceiverMs.p999, 'lower');
            add(label, 'delivery ratio', (k) => run(k)?.deliveryRatio, 'higher');
            add(label, 'server CPU (cores)', (k) => run(k)?.cpu?.serverCores, 'lower');
        }
    }
    return rows;
}

/** How busy the rest of the machine was over every measurement of the run. */
function othersSummary(r) {
    const values = [];
    for (const run of Object.values(r.workloads.idle ?? {})) for (const s of run?.steps ?? []) values.push(s.cpu?.otherCores);
    for (const run of Object.values(r.workloads.fanout ?? {})) for (const s of run?.steps ?? []) values.push(s.cpu?.otherCores);
    for (const entry of Object.values(r.workloads.chat ?? {}))
        for (const x of Object.values(entry)) if (x?.cpu) values.push(x.cpu.otherCores);
    const known = values.filter(Number.isFinite);
    if (!known.length) return '';
    const mean = known.reduce((a, b) => a + b, 0) / known.length;
    return (
        ` In this run other processes used ${fmt(Math.min(...known))} to ${fmt(Math.max(...known))} cores ` +
        `(mean ${fmt(mean)}) during the measurements.`
    );
}

function noiseLine(run) {
    const c = run?.cpu;
    return c ? `server ${fmt(c.serverCores)}, load generator ${fmt(c.loadGeneratorCores)}, other processes ${fmt(c.otherCores)}` : 'n/a';
}

export function renderMarkdown(r) {
    const m = r.machine;
    const out = [];
    out.push('# Real-time benchmarks: ours against Node socket.io');
    out.push('');
    out.push(
        `Generated by \`${r.command}\` (tests/bench/README.md) from ${r.started} to ${r.finished ?? '(unfinished)'}; ` +
            'every figure is also in `docs/benchmarks.json`. Ours is the application (`--headless`, ' +
            `${m.appBuildType ?? 'unknown'} build); the reference is Node socket.io ${m.socketIo} running ` +
            '`tests/bench/reference/server.mjs`, the same handlers, rooms, limits and REST endpoints. Both ran in the same run ' +
            'on the same machine with the same load generator (Node, `ws` ' +
            `${m.ws}, Engine.IO/Socket.IO framing written directly, spread over several processes and 127.0.0.x source ` +
            'addresses): idle one server after the other, fan-out and chat with both up and measured in turn.',
    );
    if (r.config?.experimentEnv && Object.keys(r.config.experimentEnv).length) {
        out.push('');
        out.push(
            `**Experiment:** a third server, "experiment", is ours again with ${Object.entries(r.config.experimentEnv)
                .map(([k, v]) => `\`${k}=${v}\``)
                .join(', ')} in its environment.`,
        );
    }
    out.push('');
    out.push('## Machine');
    out.push('');
    out.push(
        table(
            ['', ''],
            [
                ['CPU', `${m.cores} cores, ${m.cpuModel}${m.cpuMHz ? ` (${fmt(m.cpuMHz, 0)} MHz)` : ''}${m.hypervisor ? `, ${m.hypervisor} guest` : ''}`],
                ['RAM', `${m.memoryGiB} GiB`],
                ['Kernel / OS', `${m.kernel} / ${m.os}`],
                ['Qt', m.qt ?? 'n/a'],
                ['Node / socket.io / ws', `${m.node} / ${m.socketIo} / ${m.ws}`],
                ['Application', `${m.app ?? 'n/a'} (${m.appBuildType ?? 'unknown build type'})`],
                ['File descriptors per process', m.fileDescriptorLimit ?? 'n/a'],
                ['Load average at start / end', `${m.loadAverage?.join(' ')} / ${m.loadAverageAtEnd?.join(' ') ?? 'n/a'}`],
            ],
        ),
    );
    out.push('');
    out.push(
        '**Noise.** The machine is shared with other engineers\' builds, and the server, the load generator and ' +
            'the publisher share its cores. Absolute figures are noisy; the ratios, measured minutes apart under ' +
            'the same conditions, are what to read. The tables below give, per measurement, the cores used by ' +
            'the server, by the load generator and by everything else on the machine ("others").' +
            othersSummary(r),
    );
    out.push('');
    out.push('## Summary');
    out.push('');
    const kinds = kindsOf(r);
    const experiment = kinds.includes('experiment');
    out.push(
        'Ratio is ours / reference' +
            (experiment ? '; "experiment / ref" is the experiment\'s (ours with the environment above) / reference' : '') +
            '; "better" says which direction is good; "met" checks ours against the issue\'s target.',
    );
    out.push('');
    out.push(
        table(
            ['workload', 'figure', ...kinds, 'ratio', ...(experiment ? ['experiment / ref'] : []), 'better', 'target', 'met'],
            summaryRows(r, kinds),
        ),
    );
    out.push('');
    out.push(
        'Where our server\'s time and memory go, and what to change: `tests/bench/FINDINGS.md` (profiles, proposals, ' +
            'before/after figures from `--experiment` runs).',
    );
    out.push('');

    const idle = r.workloads.idle;
    if (idle) {
        out.push('## Idle connections');
        out.push('');
        out.push(
            'WebSocket-only clients (Engine.IO v4, CONNECT with a viewer token), each joining one of 100 chat sessions ' +
                '(`join_chat_session`), opened 16 at a time per load process (a step gives up after 180 s or 2 % failures); after ' +
                'each step the server\'s RSS (VmRSS) once it settles, and the CPU the server uses with every client idle (pings ' +
                'every 25 s): over 30 s (a whole ping interval) from 5,000 clients on, over the few settling seconds below that. ' +
                '"Cores during the ramp" include starting the load processes. The slope is a least-squares fit of RSS over open connections across the steps.',
        );
        out.push('');
        const rows = [];
        for (const [kind, run] of Object.entries(idle)) {
            if (run?.error) rows.push([kind, 'failed', run.error.split('\n')[0], '', '', '', '', '']);
            for (const s of run?.steps ?? []) {
                rows.push([
                    kind,
                    fmt(s.target),
                    `${fmt(s.connected)} (server: ${fmt(s.serverCount)})`,
                    (s.failed ? `${fmt(s.failed)} ${JSON.stringify(s.failureReasons)}` : '0') +
                        (s.rampStopped ? `; stopped (${s.rampStopped}), ${fmt(s.notTried)} not tried` : ''),
                    fmt(s.rssKiB / 1024, 1),
                    fmt(s.kibPerConnectionOverBaseline),
                    fmt(s.connectsPerSecond),
                    fmt(s.idleServerCores),
                    noiseLine(s),
                ]);
            }
        }
        out.push(
            table(
                ['server', 'target', 'open', 'failed', 'RSS MiB', 'KiB/conn over baseline', 'connects/s', 'server cores when idle', 'cores during the ramp'],
                rows,
            ),
        );
        for (const [kind, run] of Object.entries(idle)) {
            if (run?.steps)
                out.push(
                    '',
                    `${kind}: RSS ${fmt(run.baselineRssKiB / 1024, 1)} MiB before any client; all clients closed: the server counted 0 after ` +
                        `${fmt(run.disconnectSeconds ?? '> 60')} s; it exited ${fmt(run.shutdown?.stopSeconds)} s after SIGTERM` +
                        `${run.shutdown?.killed ? ' (killed: it did not exit within 20 s)' : ''}.`,
                );
        }
        out.push('');
    }

    const fan = r.workloads.fanout;
    if (fan) {
        out.push('## Fan-out');
        out.push('');
        out.push(
            'Clients subscribed to one room (`subscribe_processing_updates {video_id: "bench"}`, room `processing:bench`); a ' +
                'publisher POSTs `{event: "bench", room, data}` to `/api/v1/websocket/broadcast` (operator token, 8 keep-alive ' +
                'connections) at each rate; the Socket.IO frame is about 100 bytes. Latency runs from the time the publish was ' +
                'scheduled to the time a client read the frame (a publisher held up by a slow server counts against it). ' +
                'Delivery ratio = frames received / (published x members reported by the server). A rate is held when p99 < 100 ms, ' +
                '>= 99.9 % are delivered and every publish succeeded. Both servers are up with their clients at once and take ' +
                'each rate in turn (the order alternating), so the machine\'s changing load falls on both alike; stepping stops ' +
                'for a server once it is saturated (p50 over 1 s, under 95 % delivered, or under 80 % of the offered load).',
        );
        out.push('');
        const rows = [];
        for (const [kind, run] of Object.entries(fan)) {
            if (run?.error) rows.push([kind, 'failed', run.error.split('\n')[0], '', '', '', '', '', '', '']);
            for (const s of run?.steps ?? []) {
                rows.push([
                    kind,
                    fmt(s.rate),
                    fmt(s.publishedPerSecond),
                    fmt(s.deliveredPerSecond),
                    fmt(s.deliveryRatio, 5),
                    `${fmt(s.latencyMs.p50)} / ${fmt(s.latencyMs.p99)} / ${fmt(s.latencyMs.max)}`,
                    fmt(s.cpuSecondsPerMillion),
                    s.held ? 'yes' : 'no',
                    noiseLine(s),
                ]);
            }
        }
        out.push(
            table(
                ['server', 'events/s', 'published/s', 'delivered msgs/s', 'delivery ratio', 'latency ms p50 / p99 / max', 'CPU s per M', 'held', 'cores'],
                rows,
            ),
        );
        out.push('');
    }

    const chat = r.workloads.chat;
    if (chat) {
        out.push('## Chat round trip');
        out.push('');
        out.push(
            'Clients in one chat session (`join_chat_session`), each sending `send_chat_message {session_id, text, client_msg_id}` ' +
                'with an ack at an even share of the total rate (after a warm-up). Ack round trip: send to ack. Sender to receiver: ' +
                'send to the `chat_message` frame at every other member (the sender\'s own copy is not counted). Our server ' +
                'limits chat to 5 messages/s per socket (bursts of 20) and all events to 50/s; the reference enforces the same ' +
                'token buckets. "Within limits" runs at 90 % of the chat limit; "spec" runs the issue\'s rate with both servers\' ' +
                'limits raised. Both servers are up at once and measured in alternating blocks (4 blocks of a quarter of the ' +
                'time each, after a 1 s warm-up each), so both see the same noise.',
        );
        out.push('');
        const rows = [];
        for (const [name, entry] of Object.entries(chat)) {
            for (const kind of Object.keys(entry).filter((k) => !['totalRate', 'limits'].includes(k))) {
                const x = entry[kind];
                if (x.skipped || x.error) {
                    rows.push([name, kind, fmt(entry.totalRate), x.skipped ?? x.error.split('\n')[0], '', '', '', '', '']);
                    continue;
                }
                const errors = { ...x.ackErrors };
                if (x.unanswered) errors.unanswered = x.unanswered;
                rows.push([
                    name,
                    kind,
                    `${fmt(entry.totalRate)} (${fmt(x.ratePerClient)} per client, limit ${entry.limits.chatRate}/s)`,
                    `${fmt(x.acked)} / ${fmt(x.sent)}${Object.keys(errors).length ? ' ' + JSON.stringify(errors) : ''}`,
                    `${fmt(x.ackMs.p50)} / ${fmt(x.ackMs.p99)} / ${fmt(x.ackMs.p999)}`,
                    `${fmt(x.senderToReceiverMs.p50)} / ${fmt(x.senderToReceiverMs.p99)} / ${fmt(x.senderToReceiverMs.p999)}`,
                    fmt(x.deliveryRatio, 5),
                    noiseLine(x),
                ]);
            }
        }
        out.push(table(['variant', 'server', 'messages/s', 'acked ok / sent', 'ack ms p50 / p99 / p99.9', 'sender to receiver ms p50 / p99 / p99.9', 'delivery ratio', 'cores'], rows));
        out.push('');
    }
    return out.join('\n') + '\n';
}
