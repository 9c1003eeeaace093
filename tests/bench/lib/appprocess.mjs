// Stopping the application started under xvfb-run (GUI benchmark, screenshot script).

import fs from 'node:fs';
import path from 'node:path';

import { now, sleep } from './clock.mjs';

/** Pids of the descendants of `pid` (from /proc/<pid>/task/<tid>/children). */
export function descendants(pid) {
    const result = [];
    const visit = (p) => {
        let tasks = [];
        try {
            tasks = fs.readdirSync(`/proc/${p}/task`);
        } catch {
            return;
        }
        for (const task of tasks) {
            let children = '';
            try {
                children = fs.readFileSync(`/proc/${p}/task/${task}/children`, 'utf8');
            } catch {
                continue;
            }
            for (const child of children.split(' ').filter(Boolean).map(Number)) {
                result.push(child);
                visit(child);
            }
        }
    };
    visit(pid);
    return result;
}

/**
 * Stops the app started under xvfb-run: SIGTERM to the app itself first (it closes its window
 * and stops the server; xvfb-run then takes Xvfb down), the whole group only if that fails.
 */
export async function stopApp(child, appPath) {
    const exited = () => child.exitCode !== null || child.signalCode !== null;
    if (exited()) return;
    const resolved = fs.realpathSync(appPath);
    for (const pid of descendants(child.pid)) {
        try {
            if (fs.realpathSync(`/proc/${pid}/exe`) === resolved) process.kill(pid, 'SIGTERM');
        } catch {
            // gone meanwhile
        }
    }
    if (child.pid && path.basename(child.spawnfile) !== 'xvfb-run') {
        try {
            process.kill(child.pid, 'SIGTERM');
        } catch {
            // gone
        }
    }
    const until = now() + 10000;
    while (!exited() && now() < until) await sleep(100);
    for (const signal of ['SIGTERM', 'SIGKILL']) {
        if (exited()) return;
        try {
            process.kill(-child.pid, signal);
        } catch {
            return;
        }
        const wait = now() + 5000;
        while (!exited() && now() < wait) await sleep(100);
    }
}
