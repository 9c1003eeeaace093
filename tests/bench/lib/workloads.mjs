// The three workloads, each run against one started server with a fresh pool of load
// workers. Every function returns plain data for the report; nothing here judges targets.

import { now, sleep } from './clock.mjs';
import { Histogram } from './histogram.mjs';
import { WorkerPool, sourceAddresses } from './pool.mjs';
import { cpuSeconds, getJson, machineCpu, rssKiB } from './servers.mjs';

const round = (v, digits = 3) => (v === null || v === undefined || !Number.isFinite(v) ? null : Number(v.toFixed(digits)));

/** CPU seconds of the server, the load workers, this process and the whole machine. */
function cpuSnapshot(server, pids) {
    const usage = process.cpuUsage();
    return {
        t: now(),
        server: cpuSeconds(server.pid),
        workers: pids.reduce((sum, pid) => sum + (cpuSeconds(pid) ?? 0), 0),
        self: (usage.user + usage.system) / 1e6,
        machine: machineCpu(),
    };
}

/** Who used the machine between two snapshots, in cores (1.0 = one core busy all along). */
function cpuBetween(a, b, cores) {
    const wall = (b.t - a.t) / 1000;
    const server = b.server - a.server;
    const workers = b.workers - a.workers + (b.self - a.self);
    const busy = b.machine.busy - a.machine.busy;
    return {
        wallSeconds: round(wall),
        serverCpuSeconds: round(server),
        serverCores: round(server / wall),
        loadGeneratorCores: round(workers / wall),
        otherCores: round(Math.max(0, busy - server - workers) / wall),
        machineIdleFraction: round(1 - busy / (wall * cores)),
    };
}

function splitEvenly(total, parts) {
    return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

async function connectClients(pool, server, { count, kind, join, startIndex = 0, concurrency, timeoutMs, deadlineMs = 0, maxFailures }) {
    const shares = splitEvenly(count, pool.workers.length);
    let base = startIndex;
    const bases = shares.map((share) => {
        const b = base;
        base += share;
        return b;
    });
    const answers = await pool.all('connect', (w) => ({
        url: server.url,
        auth: { token: server.viewerToken },
        count: shares[w.index],
        base: bases[w.index],
        addresses: sourceAddresses(w.index),
        join,
        kind,
        concurrency,
        timeoutMs,
        deadlineMs,
        maxFailures: maxFailures ?? Infinity,
    }));
    const reasons = {};
    for (const a of answers) for (const [k, v] of Object.entries(a.reasons)) reasons[k] = (reasons[k] ?? 0) + v;
    return {
        connected: answers.reduce((s, a) => s + a.connected, 0),
        failed: answers.reduce((s, a) => s + a.failed, 0),
        open: answers.reduce((s, a) => s + a.open, 0),
        notTried: answers.reduce((s, a) => s + a.notTried, 0),
        stopped: [...new Set(answers.map((a) => a.stopped).filter(Boolean))].join(', ') || null,
        reasons,
        ms: Math.max(...answers.map((a) => a.ms)),
    };
}

/** RSS once it stops moving (within 0.5 % over 0.5 s), and the CPU used meanwhile. */
async function settledRss(pid) {
    await sleep(2000);
    const cpu0 = cpuSeconds(pid);
    const t0 = now();
    let last = rssKiB(pid);
    for (let i = 0; i < 12; ++i) {
        await sleep(500);
        const current = rssKiB(pid);
        if (current === null) break;
        const settled = Math.abs(current - last) <= last * 0.005;
        last = current;
        if (settled && i >= 9) break;
    }
    const cores = (cpuSeconds(pid) - cpu0) / ((now() - t0) / 1000);
    return { rss: last, idleCores: round(cores) };
}

/** Least-squares slope of y over x. */
function slope(points) {
    const n = points.length;
    if (n < 2) return null;
    const mx = points.reduce((s, p) => s + p.x, 0) / n;
    const my = points.reduce((s, p) => s + p.y, 0) / n;
    let num = 0;
    let den = 0;
    for (const p of points) {
        num += (p.x - mx) * (p.y - my);
        den += (p.x - mx) ** 2;
    }
    return den ? num / den : null;
}

// ------------------------------------------------------------------------------ idle

/**
 * Idle connections ramped to each of `steps`, every client in one of 100 chat sessions; RSS of
 * the server after each step settles, and the slope in KiB per connection.
 */
export async function idleConnections(
    server,
    { steps, workers, cores, log, rampDeadlineSeconds = 180, idleCpuWindowSeconds = 30, idleCpuFromClients = 5000 },
) {
    const pool = new WorkerPool(workers);
    const result = { steps: [], baselineRssKiB: null };
    try {
        const baseline = await settledRss(server.pid);
        result.baselineRssKiB = baseline.rss;
        result.baselineIdleCores = baseline.idleCores;
        let connected = 0;
        let index = 0;
        for (const target of steps) {
            const want = target - connected;
            if (want <= 0) continue;
            const before = cpuSnapshot(server, pool.pids());
            const ramp = await connectClients(pool, server, {
                count: want,
                kind: 'idle',
                join: { event: 'join_chat_session', field: 'session_id', value: 'idle-{g}', groups: 100 },
                startIndex: index,
                concurrency: 16,
                timeoutMs: 20000,
                deadlineMs: rampDeadlineSeconds * 1000,
                maxFailures: Math.max(50, Math.ceil((want * 0.02) / workers)),
            });
            index += want;
            const after = cpuSnapshot(server, pool.pids());
            const status = await pool.all('status');
            connected = status.reduce((s, a) => s + a.open, 0);
            const settled = await settledRss(server.pid);
            const rss = settled.rss;
            // Idle clients cost the server only pings (every 25 s each): measure over a full
            // ping interval, or the window may see none.
            let idleCores = settled.idleCores;
            let idleWindowSeconds = null;
            if (idleCpuWindowSeconds > 0 && target >= idleCpuFromClients) {
                const cpu0 = cpuSeconds(server.pid);
                const t0 = now();
                await sleep(idleCpuWindowSeconds * 1000);
                idleWindowSeconds = round((now() - t0) / 1000, 1);
                idleCores = round((cpuSeconds(server.pid) - cpu0) / idleWindowSeconds);
            }
            let serverCount = null;
            try {
                serverCount = (await getJson(new URL('/api/v1/websocket/connections', server.url), server.viewerToken))
                    .active_connections;
            } catch (error) {
                serverCount = `error: ${error.message}`;
            }
            const step = {
                target,
                connected,
                serverCount,
                attempted: want,
                failed: ramp.failed,
                failureReasons: ramp.reasons,
                notTried: ramp.notTried,
                rampStopped: ramp.stopped,
                closedUnexpectedly: status.reduce((s, a) => s + a.closedUnexpectedly, 0),
                idleServerCores: idleCores,
                idleWindowSeconds,
                rampSeconds: round(ramp.ms / 1000),
                connectsPerSecond: round(ramp.connected / (ramp.ms / 1000), 0),
                rssKiB: rss,
                kibPerConnectionOverBaseline: round((rss - result.baselineRssKiB) / Math.max(1, connected), 2),
                cpu: cpuBetween(before, after, cores),
                serverAlive: server.alive(),
            };
            result.steps.push(step);
            log(
                `  idle ${server.kind}: ${connected}/${target} open (server says ${serverCount}), ` +
                    `RSS ${(rss / 1024).toFixed(1)} MiB, ${step.connectsPerSecond} connects/s, ` +
                    `idle server ${idleCores} cores` +
                    (ramp.failed ? `, ${ramp.failed} failed ${JSON.stringify(ramp.reasons)}` : '') +
                    (ramp.stopped ? `, ramp stopped: ${ramp.stopped} (${ramp.notTried} not tried)` : ''),
            );
            if (!server.alive() || ramp.stopped || ramp.failed > want * 0.02) break;
        }
        const points = result.steps.filter((s) => s.connected > 0).map((s) => ({ x: s.connected, y: s.rssKiB }));
        result.kibPerConnection = round(slope(points), 2);
        result.maxConnected = Math.max(0, ...result.steps.map((s) => s.connected));
        result.maxTarget = steps[steps.length - 1];
        // How long the server takes to notice every client gone (bounded at 60 s).
        const closing = now();
        await pool.all('closeAll');
        result.disconnectSeconds = null;
        while (now() - closing < 60000) {
            try {
                const left = (await getJson(new URL('/api/v1/websocket/connections', server.url), server.viewerToken))
                    .active_connections;
                if (left === 0) {
                    result.disconnectSeconds = round((now() - closing) / 1000, 1);
                    break;
                }
            } catch {
                // busy; ask again
            }
            await sleep(250);
        }
        log(`  idle ${server.kind}: all ${result.maxConnected} clients closed; server count reached 0 after ${result.disconnectSeconds ?? '> 60'} s`);
    } finally {
        pool.close();
    }
    return result;
}

// ------------------------------------------------------------------------------ fan-out

/**
 * Fan-out on every server of `servers` at once, step by step: at each rate every server runs
 * its step in turn (the order alternating), so that the machine's noise, which comes and goes,
 * falls on both alike. Per server: `clients` in room processing:bench
 * (subscribe_processing_updates); a publisher POSTs ~100-byte events to
 * /api/v1/websocket/broadcast at each rate for `seconds`; per step the deliveries, latency,
 * delivery ratio and server CPU. Answers {kind: result}.
 */
export async function fanOut(servers, { clients, rates, seconds, receivers, cores, log, maxLatencyMs = 100, minRatio = 0.999 }) {
    const contexts = servers.map((server) => ({
        server,
        pool: new WorkerPool(receivers),
        publisher: new WorkerPool(1),
        result: { clients, steps: [] },
        done: false,
    }));
    try {
        for (const c of contexts) {
            const joined = await connectClients(c.pool, c.server, {
                count: clients,
                kind: 'fanout',
                join: { event: 'subscribe_processing_updates', field: 'video_id', value: 'bench' },
                concurrency: 16,
                timeoutMs: 20000,
            });
            c.joined = joined.connected;
            c.result.joined = joined.connected;
            c.result.joinFailures = joined.reasons;
            log(`  fan-out ${c.server.kind}: ${joined.connected}/${clients} clients in the room`);
            // A short warm-up so that neither server is measured cold (JIT, allocator, caches).
            await c.publisher.workers[0].call('publish', {
                url: c.server.url,
                token: c.server.operatorToken,
                room: 'processing:bench',
                event: 'bench',
                rate: Math.min(50, rates[0]),
                durationMs: 1000,
                step: 0,
            });
        }
        await sleep(1000);
        let step = 0;
        for (const [index, rate] of rates.entries()) {
            ++step;
            const order = index % 2 === 0 ? contexts : [...contexts].reverse();
            for (const c of order) {
                if (c.done) continue;
                const s = await fanOutStep(c, { rate, step, seconds, cores, maxLatencyMs, minRatio });
                c.result.steps.push(s);
                log(
                    `  fan-out ${c.server.kind} ${rate}/s: ${s.deliveredPerSecond} msgs/s, ratio ${s.deliveryRatio}, ` +
                        `p50 ${s.latencyMs.p50} ms, p99 ${s.latencyMs.p99} ms, server ${s.cpu.serverCores} cores, ` +
                        `load gen ${s.cpu.loadGeneratorCores}, others ${s.cpu.otherCores}${s.held ? '' : '  (not held)'}`,
                );
                // Go on past a miss (a noisy step is not a limit) until the server is saturated:
                // it falls seconds behind, loses messages or delivers well under the offered load.
                const offered = rate * s.membersAtEnd;
                if (
                    !c.server.alive() ||
                    s.deliveryRatio < 0.95 ||
                    (s.latencyMs.p50 ?? 0) > 1000 ||
                    s.deliveredPerSecond < 0.8 * offered
                ) {
                    c.done = true;
                }
                await sleep(1500);
            }
            if (contexts.every((c) => c.done)) break;
        }
        for (const c of contexts) {
            const r = c.result;
            const best = r.steps.filter((x) => x.held).reduce((b, x) => (!b || x.rate > b.rate ? x : b), null);
            r.highestHeldRate = best ? best.rate : 0;
            r.highestHeldDeliveredPerSecond = best ? best.deliveredPerSecond : 0;
            r.bestStep = best;
            r.peakDeliveredPerSecond = Math.max(0, ...r.steps.map((x) => x.deliveredPerSecond ?? 0));
            await c.pool.all('closeAll');
        }
    } finally {
        for (const c of contexts) {
            c.pool.close();
            c.publisher.close();
        }
    }
    return Object.fromEntries(contexts.map((c) => [c.server.kind, c.result]));
}

async function fanOutStep(c, { rate, step, seconds, cores, maxLatencyMs, minRatio }) {
    const { server, pool, publisher } = c;
    await pool.all('fanoutStep', { step });
    const pids = [...pool.pids(), ...publisher.pids()];
    const before = cpuSnapshot(server, pids);
    const pub = await publisher.workers[0].call('publish', {
        url: server.url,
        token: server.operatorToken,
        room: 'processing:bench',
        event: 'bench',
        rate,
        durationMs: seconds * 1000,
        step,
    });
    // Every publish reaches the room; one whose HTTP answer never came counts at the room's
    // size, as delivered_to would have said.
    const roomSize = pub.ok ? Math.round(pub.deliveredTo / pub.ok) : c.joined;
    const expected = pub.deliveredTo + pub.unanswered * roomSize;
    // Drain: wait until every expected delivery arrived or nothing arrives for 1 s.
    let received = 0;
    let quietSince = now();
    const drainStart = now();
    while (now() - drainStart < 8000) {
        const counts = await pool.all('fanoutCount');
        const total = counts.reduce((sum, x) => sum + x.received, 0);
        if (total > received) quietSince = now();
        received = total;
        if (received >= expected || now() - quietSince > 1000) break;
        await sleep(100);
    }
    const after = cpuSnapshot(server, pids);
    const collected = await pool.all('fanoutCollect');
    const hist = new Histogram();
    for (const x of collected) hist.merge(x.hist);
    received = collected.reduce((sum, x) => sum + x.received, 0);
    const first = Math.min(...collected.map((x) => x.first));
    const last = Math.max(...collected.map((x) => x.last));
    const cpu = cpuBetween(before, after, cores);
    const lat = hist.summary();
    // From the first scheduled publish to the last delivery, never shorter than the step.
    const deliveryWindow = Math.max(seconds, (last - pub.started) / 1000);
    const ratio = expected > 0 ? received / expected : 0;
    const httpLatency = new Histogram(pub.httpHist).summary();
    return {
        rate,
        scheduled: pub.scheduled,
        published: pub.ok,
        publishFailures: pub.failed,
        publishSkipped: pub.skipped,
        publishUnanswered: pub.unanswered,
        publishedPerSecond: round(pub.ok / ((pub.lastScheduled - pub.started) / 1000 || 1), 1),
        membersAtEnd: collected.reduce((sum, x) => sum + x.open, 0),
        expected,
        received,
        late: collected.reduce((sum, x) => sum + x.late, 0),
        deliveryRatio: round(ratio, 5),
        deliveredPerSecond: round(received / deliveryWindow, 0),
        latencyMs: { p50: round(lat.p50), p99: round(lat.p99), p999: round(lat.p999), max: round(lat.max), mean: round(lat.mean) },
        publishHttpMs: { p50: round(httpLatency.p50), p99: round(httpLatency.p99), max: round(httpLatency.max) },
        cpuSecondsPerMillion: received ? round((cpu.serverCpuSeconds / received) * 1e6, 2) : null,
        cpu,
        held:
            ratio >= minRatio &&
            lat.p99 !== null &&
            lat.p99 < maxLatencyMs &&
            pub.ok >= pub.scheduled * 0.999 &&
            Object.keys(pub.failed).length === 0,
        firstDeliveryAfterMs: round(first - pub.started),
    };
}

// ------------------------------------------------------------------------------ chat

/**
 * Chat on every server of `servers` at once, in `blocks` alternating blocks of
 * seconds / blocks each (after a warm-up of each block), so that both see the same noise. Per
 * server: `clients` in chat session bench-chat, each sending acked send_chat_message at
 * totalRate / clients per second; ack round trip and sender-to-receiver latency, ack errors by
 * code. Answers {kind: result}.
 */
export async function chatRoundTrip(servers, { clients, totalRate, seconds, workers, cores, log, blocks = 4, warmupSeconds = 1 }) {
    const session = 'bench-chat';
    const contexts = servers.map((server) => ({
        server,
        pool: new WorkerPool(workers),
        blocks: [],
    }));
    const ratePerClient = totalRate / clients;
    try {
        for (const c of contexts) {
            const joined = await connectClients(c.pool, c.server, {
                count: clients,
                kind: 'chat',
                join: { event: 'join_chat_session', field: 'session_id', value: session },
                concurrency: 8,
                timeoutMs: 20000,
            });
            c.joined = joined.connected;
        }
        for (let b = 0; b < blocks; ++b) {
            const order = b % 2 === 0 ? contexts : [...contexts].reverse();
            for (const c of order) {
                await c.pool.all('chatStart', { session, ratePerClient, textLength: 80 });
                await sleep(warmupSeconds * 1000);
                await c.pool.all('chatReset');
                const before = cpuSnapshot(c.server, c.pool.pids());
                await sleep((seconds / blocks) * 1000);
                await c.pool.all('chatStop');
                const stopped = now();
                const after = cpuSnapshot(c.server, c.pool.pids());
                // Drain: wait for the last acks and deliveries (bounded).
                while (now() - stopped < 5000) {
                    const answers = await c.pool.all('chatCollect');
                    if (answers.every((x) => x.unanswered === 0)) break;
                    await sleep(100);
                }
                await sleep(300);
                c.blocks.push({ collected: await c.pool.all('chatCollect'), before, after });
            }
        }
        for (const c of contexts) await c.pool.all('closeAll');
    } finally {
        for (const c of contexts) c.pool.close();
    }
    const results = {};
    for (const c of contexts) {
        const ack = new Histogram();
        const s2r = new Histogram();
        const ackErrors = {};
        let sent = 0;
        let acked = 0;
        let unanswered = 0;
        let received = 0;
        let expectedReceived = 0;
        let serverCpu = 0;
        let loadCpu = 0;
        let busy = 0;
        let wall = 0;
        for (const { collected, before, after } of c.blocks) {
            const members = collected.reduce((sum, x) => sum + x.open, 0);
            for (const x of collected) {
                ack.merge(x.ackHist);
                s2r.merge(x.s2rHist);
                for (const [k, v] of Object.entries(x.ackErrors)) ackErrors[k] = (ackErrors[k] ?? 0) + v;
                sent += x.sent;
                acked += x.acked;
                unanswered += x.unanswered;
                received += x.received;
                expectedReceived += x.acked * (members - 1);
            }
            const cpu = cpuBetween(before, after, cores);
            serverCpu += cpu.serverCpuSeconds;
            loadCpu += cpu.loadGeneratorCores * cpu.wallSeconds;
            busy += (cpu.serverCores + cpu.loadGeneratorCores + cpu.otherCores) * cpu.wallSeconds;
            wall += cpu.wallSeconds;
        }
        const a = ack.summary();
        const r = s2r.summary();
        const result = {
            clients,
            joined: c.joined,
            totalRate,
            ratePerClient,
            blocks,
            measuredSeconds: round(wall, 1),
            sent,
            sentPerSecond: round(sent / wall, 1),
            acked,
            ackedPerSecond: round(acked / wall, 1),
            ackErrors,
            unanswered,
            received,
            expectedReceived,
            deliveryRatio: expectedReceived ? round(received / expectedReceived, 5) : null,
            ackMs: { p50: round(a.p50), p99: round(a.p99), p999: round(a.p999), max: round(a.max), mean: round(a.mean) },
            senderToReceiverMs: { p50: round(r.p50), p99: round(r.p99), p999: round(r.p999), max: round(r.max), mean: round(r.mean) },
            cpu: {
                wallSeconds: round(wall, 1),
                serverCpuSeconds: round(serverCpu),
                serverCores: round(serverCpu / wall),
                loadGeneratorCores: round(loadCpu / wall),
                otherCores: round(Math.max(0, busy / wall - serverCpu / wall - loadCpu / wall)),
            },
        };
        results[c.server.kind] = result;
        log(
            `  chat ${c.server.kind} ${totalRate}/s: acked ${acked}/${sent}` +
                (Object.keys(ackErrors).length ? ` errors ${JSON.stringify(ackErrors)}` : '') +
                `, ack p50 ${result.ackMs.p50} p99 ${result.ackMs.p99} p99.9 ${result.ackMs.p999} ms, ` +
                `s2r p50 ${result.senderToReceiverMs.p50} p99 ${result.senderToReceiverMs.p99} ms, ` +
                `server ${result.cpu.serverCores} cores, others ${result.cpu.otherCores}`,
        );
    }
    return results;
}
