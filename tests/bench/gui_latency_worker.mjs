// One load process of the GUI latency benchmark (gui_latency.mjs forks a few): it holds a share
// of the clients and makes them emit acked events at a fixed total rate. Driven over IPC:
// {cmd: 'connect' | 'run' | 'close', args}; each command answers once with plain data.
//
// Every client joins a chat session of ten (join_chat_session). The events are set_name (cheap,
// acked, changes the name the dashboard shows) and, for a share of them, send_chat_message,
// which the server also delivers to the nine other members; both stay within the server's
// per-socket rate limits (docs/protocol.md) at the default load.

import { now, sleep } from './lib/clock.mjs';
import { Histogram } from './lib/histogram.mjs';
import { SioClient, socketUrl } from './lib/sioclient.mjs';

const clients = [];
let closed = 0;

async function connect({ url, token, first, count, addresses, concurrency = 16 }) {
    const failures = {};
    let next = 0;
    const one = async () => {
        while (next < count) {
            const index = first + next++;
            const client = new SioClient(socketUrl(url), {
                auth: { token },
                localAddress: addresses[index % addresses.length],
                onClose: () => ++closed,
            });
            try {
                await client.connect();
                client.index = index;
                clients.push(client);
                const session = `gui-bench-${Math.floor(index / 10)}`;
                client.session = session;
                await new Promise((resolve) =>
                    client.emit('join_chat_session', { session_id: session }, resolve),
                );
                client.emit('set_name', { name: `bench-${index}` }, () => {});
            } catch (error) {
                failures[error.reason ?? 'error'] = (failures[error.reason ?? 'error'] ?? 0) + 1;
            }
        }
    };
    await Promise.all(Array.from({ length: concurrency }, one));
    return { open: clients.length, failures };
}

/** Emits `rate` events/s in total for `seconds`, in 10 ms ticks, round-robin over the clients. */
async function run({ rate, seconds, chatShare }) {
    const hist = new Histogram();
    let sent = 0;
    let acked = 0;
    let refused = 0;
    const refusedBy = {};
    let turn = 0;
    let credit = 0;
    const perSecond = [];
    const start = now();
    const end = start + seconds * 1000;
    let tick = start;
    let secondStart = start;
    let secondSent = 0;
    let secondAcked = 0;
    while (tick < end && clients.length > 0) {
        credit += rate * 0.01;
        const due = Math.floor(credit);
        credit -= due;
        for (let i = 0; i < due; ++i) {
            const client = clients[turn++ % clients.length];
            const sentAt = now();
            const onAck = (data) => {
                hist.record(now() - sentAt);
                ++acked;
                ++secondAcked;
                if (data.indexOf('"ok":false') >= 0) {
                    ++refused;
                    const code = /"code":"([^"]+)"/.exec(data.toString('utf8'))?.[1] ?? 'unknown';
                    refusedBy[code] = (refusedBy[code] ?? 0) + 1;
                }
            };
            // Each client's own share, so that no client exceeds the chat rate limit.
            client.chatCredit = (client.chatCredit ?? 0) + chatShare;
            let ok;
            if (client.chatCredit >= 1) {
                client.chatCredit -= 1;
                ok = client.emit(
                    'send_chat_message',
                    { session_id: client.session, text: `hello from ${client.index} #${sent}` },
                    onAck,
                );
            } else {
                ok = client.emit('set_name', { name: `bench-${client.index}-${sent % 100}` }, onAck);
            }
            if (ok) {
                ++sent;
                ++secondSent;
            }
        }
        tick += 10;
        const wait = tick - now();
        if (wait > 0) await sleep(wait);
        if (now() - secondStart >= 1000) {
            perSecond.push({ sent: secondSent, acked: secondAcked });
            secondStart = now();
            secondSent = 0;
            secondAcked = 0;
        }
    }
    // Let the last acks come home.
    const drainUntil = now() + 5000;
    while (acked < sent && now() < drainUntil) await sleep(50);
    return { sent, acked, refused, refusedBy, elapsedMs: now() - start, hist: hist.state(), perSecond, closed };
}

function close() {
    for (const client of clients) client.terminate();
    clients.length = 0;
    return { closed: true };
}

process.on('message', async ({ id, cmd, args }) => {
    try {
        const result =
            cmd === 'connect' ? await connect(args) : cmd === 'run' ? await run(args) : close();
        process.send({ id, result });
    } catch (error) {
        process.send({ id, error: String(error?.stack ?? error) });
    }
});
process.on('disconnect', () => {
    close();
    process.exit(0);
});
