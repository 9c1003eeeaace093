// One load-generating process, driven by run.mjs over IPC (child_process.fork). It holds a
// share of the clients (connect), counts and timestamps what they receive (fan-out, chat),
// sends acked chat messages at a fixed rate, or publishes fan-out events over the REST
// broadcast endpoint. Each command answers once with plain data; histograms travel as
// Float64Arrays.

import http from 'node:http';

import { now, sleep } from './clock.mjs';
import { Histogram } from './histogram.mjs';
import { SioClient, ackArgument, intAt, intEnd, numberAfter, socketUrl } from './sioclient.mjs';

const KEY_A = Buffer.from('"a":');
const KEY_B = Buffer.from('"b":');
const KEY_TEXT = Buffer.from('"text":"');
const OK_TRUE = Buffer.from('"ok":true');

const clients = [];
let closedUnexpectedly = 0;

// ---------------------------------------------------------------- fan-out receive side

const fan = {
    step: 0,
    received: 0,
    late: 0, // a message of an earlier step
    malformed: 0,
    first: Infinity,
    last: 0,
    hist: new Histogram(),
};

// Frames look like 42["bench",{"a":<step>,"b":<published at, us>,"c":"<padding>"}] on both
// servers (QJsonDocument sorts keys; the publisher inserts them in that order), so the two
// integers are read in place; anything else takes the slow path.
const FANOUT_PREFIX = Buffer.from('42["bench",{"a":');
const B_SEPARATOR = Buffer.from(',"b":');

function fanoutFields(data) {
    let step = NaN;
    let t0 = NaN;
    if (data.compare(FANOUT_PREFIX, 0, FANOUT_PREFIX.length, 0, FANOUT_PREFIX.length) === 0) {
        step = intAt(data, FANOUT_PREFIX.length);
        if (!Number.isNaN(step) && data.compare(B_SEPARATOR, 0, B_SEPARATOR.length, intEnd, intEnd + B_SEPARATOR.length) === 0)
            t0 = intAt(data, intEnd + B_SEPARATOR.length);
    }
    if (Number.isNaN(t0)) {
        step = numberAfter(data, KEY_A, 10);
        t0 = numberAfter(data, KEY_B, 10);
    }
    return { step, t0 };
}

function onFanoutEvent(data) {
    const t1 = now();
    const { step, t0 } = fanoutFields(data);
    if (!(t0 > 0)) {
        ++fan.malformed;
        return;
    }
    if (step !== fan.step) {
        ++fan.late;
        return;
    }
    ++fan.received;
    if (t1 < fan.first) fan.first = t1;
    fan.last = t1;
    fan.hist.record(t1 - t0 / 1000);
}

// ---------------------------------------------------------------- chat

const chat = {
    epoch: 0,
    running: false,
    timer: null,
    sent: 0,
    acked: 0,
    ackErrors: {},
    received: 0, // chat_message frames of this epoch from other senders
    receivedOwn: 0,
    foreign: 0, // of another epoch
    ackHist: new Histogram(),
    s2rHist: new Histogram(),
    outstanding: 0,
};

function onChatEvent(data, self) {
    const t1 = now();
    const at = data.indexOf(KEY_TEXT);
    if (at < 0) return; // another event
    // text = "<sent at, us>|<sender index>|<epoch>|padding"
    const t0 = intAt(data, at + KEY_TEXT.length);
    const sender = intAt(data, intEnd + 1);
    const epoch = intAt(data, intEnd + 1);
    if (epoch !== chat.epoch) {
        ++chat.foreign;
        return;
    }
    if (sender === self.index) {
        ++chat.receivedOwn;
        return;
    }
    ++chat.received;
    chat.s2rHist.record(t1 - t0 / 1000);
}

function sendChat(client, session, padding) {
    const epoch = chat.epoch;
    const t0 = now();
    const text = `${Math.round(t0 * 1000)}|${client.index}|${epoch}|${padding}`;
    const msgId = `${process.pid}-${client.index}-${client.sent++}`;
    const ok = client.sio.emit(
        'send_chat_message',
        { session_id: session, text, client_msg_id: msgId },
        (data, offset) => {
            if (epoch !== chat.epoch) return;
            --chat.outstanding;
            chat.ackHist.record(now() - t0);
            if (data.indexOf(OK_TRUE, offset) >= 0) {
                ++chat.acked;
            } else {
                let code = 'unparsable';
                try {
                    code = ackArgument(data, offset)?.error?.code ?? 'no ok';
                } catch {
                    // keep 'unparsable'
                }
                chat.ackErrors[code] = (chat.ackErrors[code] ?? 0) + 1;
            }
        },
    );
    if (ok) {
        ++chat.sent;
        ++chat.outstanding;
    }
}

function resetChat() {
    ++chat.epoch;
    chat.sent = 0;
    chat.acked = 0;
    chat.ackErrors = {};
    chat.received = 0;
    chat.receivedOwn = 0;
    chat.foreign = 0;
    chat.outstanding = 0;
    chat.ackHist = new Histogram();
    chat.s2rHist = new Histogram();
}

// ---------------------------------------------------------------- commands

function joinArguments(join, index) {
    const value = join.value.replace('{g}', String(index % (join.groups ?? 1)));
    return { [join.field]: value };
}

const commands = {
    /** Opens `count` clients numbered from `base`, each joining a room; answers the tally. */
    async connect({ url, auth, count, base, addresses, join, kind, concurrency = 64, timeoutMs = 15000, deadlineMs = 0, maxFailures = Infinity }) {
        const started = now();
        let stopped = null; // why no more clients were started
        const reasons = {};
        let connected = 0;
        let failed = 0;
        let next = 0;
        const wsUrl = socketUrl(url);
        const fail = (reason) => {
            ++failed;
            reasons[reason] = (reasons[reason] ?? 0) + 1;
        };
        const one = async (index) => {
            const self = { index, sio: null, sent: 0 };
            const onEvent =
                kind === 'fanout' ? onFanoutEvent : kind === 'chat' ? (data) => onChatEvent(data, self) : () => {};
            const sio = new SioClient(wsUrl, {
                auth,
                localAddress: addresses[index % addresses.length],
                onEvent,
                onClose: () => ++closedUnexpectedly,
                timeoutMs,
            });
            self.sio = sio;
            try {
                await sio.connect();
            } catch (error) {
                fail(error.reason ?? 'error');
                return;
            }
            const answer = await new Promise((resolve) => {
                const timer = setTimeout(() => resolve({ ok: false, error: { code: 'ack timeout' } }), timeoutMs);
                sio.emit(join.event, joinArguments(join, index), (data, offset) => {
                    clearTimeout(timer);
                    try {
                        resolve(ackArgument(data, offset));
                    } catch {
                        resolve({ ok: false, error: { code: 'unparsable ack' } });
                    }
                });
            });
            if (!answer?.ok) {
                fail(`join: ${answer?.error?.code ?? 'refused'}`);
                sio.terminate();
                return;
            }
            clients.push(self);
            ++connected;
        };
        const lanes = [];
        for (let lane = 0; lane < Math.min(concurrency, count); ++lane) {
            lanes.push(
                (async () => {
                    while (next < count && !stopped) {
                        if (deadlineMs && now() - started > deadlineMs) stopped = 'deadline';
                        else if (failed >= maxFailures) stopped = 'too many failures';
                        else await one(base + next++);
                    }
                })(),
            );
        }
        await Promise.all(lanes);
        return { connected, failed, notTried: count - next, stopped, reasons, ms: now() - started, open: openCount() };
    },

    status() {
        return { open: openCount(), closedUnexpectedly, cpu: process.cpuUsage(), rss: process.memoryUsage().rss };
    },

    fanoutStep({ step }) {
        fan.step = step;
        fan.received = 0;
        fan.late = 0;
        fan.malformed = 0;
        fan.first = Infinity;
        fan.last = 0;
        fan.hist = new Histogram();
        return { cpu: process.cpuUsage() };
    },

    fanoutCount() {
        return { received: fan.received, last: fan.last };
    },

    fanoutCollect() {
        return {
            received: fan.received,
            late: fan.late,
            malformed: fan.malformed,
            first: fan.first,
            last: fan.last,
            hist: fan.hist.state(),
            cpu: process.cpuUsage(),
            open: openCount(),
        };
    },

    /** Sends acked chat messages from every client of this process, `ratePerClient` each. */
    chatStart({ session, ratePerClient, textLength = 80 }) {
        if (chat.running) return { already: true };
        chat.running = true;
        const padding = 'x'.repeat(Math.max(1, textLength - 24));
        const members = clients.slice();
        const total = ratePerClient * members.length;
        const started = now();
        let sent = 0;
        let cursor = 0;
        const tick = () => {
            if (!chat.running) return;
            const due = Math.floor(((now() - started) * total) / 1000) - sent;
            for (let k = 0; k < due; ++k) {
                sendChat(members[cursor], session, padding);
                cursor = (cursor + 1) % members.length;
            }
            sent += Math.max(0, due);
            chat.timer = setTimeout(tick, 1);
        };
        tick();
        return { cpu: process.cpuUsage() };
    },

    chatReset() {
        resetChat();
        return { cpu: process.cpuUsage() };
    },

    chatStop() {
        chat.running = false;
        clearTimeout(chat.timer);
        return {};
    },

    chatCollect() {
        return {
            sent: chat.sent,
            acked: chat.acked,
            ackErrors: chat.ackErrors,
            unanswered: chat.outstanding,
            received: chat.received,
            receivedOwn: chat.receivedOwn,
            foreign: chat.foreign,
            ackHist: chat.ackHist.state(),
            s2rHist: chat.s2rHist.state(),
            cpu: process.cpuUsage(),
            open: openCount(),
        };
    },

    /**
     * Publishes `rate` events per second for `durationMs` through POST
     * /api/v1/websocket/broadcast. Each event carries its scheduled time, so a server that
     * answers slowly delays the measured delivery too (no coordinated omission).
     */
    async publish({ url, token, room, event, rate, durationMs, step, padding = 55, maxInFlight = 4000 }) {
        const target = new URL('/api/v1/websocket/broadcast', url);
        const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
        const pad = 'p'.repeat(padding);
        const result = {
            scheduled: 0,
            ok: 0,
            failed: {},
            skipped: 0,
            deliveredTo: 0,
            httpHist: new Histogram(),
        };
        let inFlight = 0;
        let drained = null;
        const fail = (why) => {
            result.failed[why] = (result.failed[why] ?? 0) + 1;
        };
        const post = (scheduledAt) => {
            const body = JSON.stringify({ event, room, data: { a: step, b: Math.round(scheduledAt * 1000), c: pad } });
            ++inFlight;
            const request = http.request(
                target,
                {
                    method: 'POST',
                    agent,
                    headers: {
                        authorization: `Bearer ${token}`,
                        'content-type': 'application/json',
                        'content-length': Buffer.byteLength(body),
                    },
                },
                (response) => {
                    const chunks = [];
                    response.on('data', (chunk) => chunks.push(chunk));
                    response.on('end', () => {
                        result.httpHist.record(now() - scheduledAt);
                        if (response.statusCode === 200) {
                            ++result.ok;
                            try {
                                result.deliveredTo += JSON.parse(Buffer.concat(chunks)).delivered_to ?? 0;
                            } catch {
                                fail('unparsable reply');
                            }
                        } else {
                            fail(`http ${response.statusCode}`);
                        }
                        if (--inFlight === 0 && drained) drained();
                    });
                },
            );
            request.on('error', (error) => {
                fail(error.code ?? 'error');
                if (--inFlight === 0 && drained) drained();
            });
            request.end(body);
        };
        const started = now();
        const interval = 1000 / rate;
        const total = Math.round((rate * durationMs) / 1000);
        await new Promise((resolve) => {
            const tick = () => {
                const t = now();
                while (result.scheduled < total && started + result.scheduled * interval <= t) {
                    const scheduledAt = started + result.scheduled * interval;
                    ++result.scheduled;
                    if (inFlight >= maxInFlight) ++result.skipped;
                    else post(scheduledAt);
                }
                if (result.scheduled >= total) resolve();
                else setTimeout(tick, 1);
            };
            tick();
        });
        const lastScheduled = started + (total - 1) * interval;
        if (inFlight > 0) {
            await Promise.race([new Promise((resolve) => (drained = resolve)), sleep(15000)]);
        }
        agent.destroy();
        return {
            ...result,
            unanswered: inFlight,
            httpHist: result.httpHist.state(),
            started,
            lastScheduled,
            ended: now(),
            cpu: process.cpuUsage(),
        };
    },

    closeAll() {
        for (const client of clients) client.sio.terminate();
        const count = clients.length;
        clients.length = 0;
        return { closed: count };
    },
};

function openCount() {
    let open = 0;
    for (const client of clients) if (client.sio.connected) ++open;
    return open;
}

process.on('message', async ({ id, cmd, args }) => {
    try {
        const result = await commands[cmd](args ?? {});
        process.send({ id, result });
    } catch (error) {
        process.send({ id, error: String(error?.stack ?? error) });
    }
});
process.on('disconnect', () => process.exit(0));
