// The load-generating processes (loadworker.mjs), each with its own file-descriptor budget and
// its own 127.0.0.x source addresses, and a request/answer call over IPC.

import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

class Worker {
    constructor(index) {
        this.index = index;
        this.nextId = 0;
        this.waiting = new Map();
        this.child = fork(path.join(here, 'loadworker.mjs'), [], {
            serialization: 'advanced',
            stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        });
        this.child.on('message', ({ id, result, error }) => {
            const entry = this.waiting.get(id);
            if (!entry) return;
            this.waiting.delete(id);
            if (error) entry.reject(new Error(`worker ${this.index}: ${error}`));
            else entry.resolve(result);
        });
        this.child.on('exit', (code) => {
            for (const entry of this.waiting.values()) entry.reject(new Error(`worker ${this.index} exited (${code})`));
            this.waiting.clear();
        });
    }

    call(cmd, args) {
        const id = this.nextId++;
        return new Promise((resolve, reject) => {
            this.waiting.set(id, { resolve, reject });
            this.child.send({ id, cmd, args });
        });
    }

    get pid() {
        return this.child.pid;
    }
}

export class WorkerPool {
    constructor(count) {
        this.workers = Array.from({ length: count }, (_, i) => new Worker(i));
    }

    /** Calls every worker with args(worker) and resolves with the list of answers. */
    all(cmd, args = () => ({})) {
        return Promise.all(this.workers.map((w) => w.call(cmd, typeof args === 'function' ? args(w) : args)));
    }

    pids() {
        return this.workers.map((w) => w.pid);
    }

    close() {
        for (const w of this.workers) w.child.disconnect();
    }
}

/** Source addresses for worker `index`: 127.0.0.x, a block of `perWorker` per worker. */
export function sourceAddresses(index, perWorker = 4) {
    return Array.from({ length: perWorker }, (_, j) => `127.0.0.${10 + index * perWorker + j}`);
}
