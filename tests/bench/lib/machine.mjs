// What the benchmark ran on: cores, RAM, CPU model, kernel, Qt / Node / socket.io versions,
// and how busy the machine was (other people's builds share it).

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function run(command, args) {
    try {
        return execFileSync(command, args, { encoding: 'utf8', timeout: 20000 }).trim();
    } catch {
        return null;
    }
}

function packageVersion(name) {
    try {
        const main = require.resolve(name);
        let dir = path.dirname(main);
        while (dir !== '/' && !fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
        return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
    } catch {
        return null;
    }
}

function cmakeBuildType(appPath) {
    let dir = path.dirname(appPath);
    for (let i = 0; i < 4; ++i, dir = path.dirname(dir)) {
        try {
            const cache = fs.readFileSync(path.join(dir, 'CMakeCache.txt'), 'utf8');
            return /CMAKE_BUILD_TYPE:\w+=(\S*)/.exec(cache)?.[1] ?? null;
        } catch {
            // not here
        }
    }
    return null;
}

export function describeMachine(appPath) {
    const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
    const meminfo = fs.readFileSync('/proc/meminfo', 'utf8');
    const osRelease = fs.existsSync('/etc/os-release') ? fs.readFileSync('/etc/os-release', 'utf8') : '';
    return {
        cores: os.cpus().length,
        cpuModel: /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model,
        cpuMHz: Number(/cpu MHz\s*:\s*(.*)/.exec(cpuinfo)?.[1]) || null,
        hypervisor: /hypervisor/.test(cpuinfo) ? run('sh', ['-c', "lscpu | sed -n 's/^Hypervisor vendor: *//p'"]) || 'yes' : null,
        memoryGiB: Math.round((Number(/MemTotal:\s+(\d+)/.exec(meminfo)[1]) / 1024 / 1024) * 10) / 10,
        kernel: os.release(),
        os: /PRETTY_NAME="([^"]*)"/.exec(osRelease)?.[1] ?? os.type(),
        qt: run('qtpaths6', ['--qt-version']) ?? run('/usr/lib/qt6/bin/qtpaths', ['--qt-version']),
        node: process.version,
        socketIo: packageVersion('socket.io'),
        ws: packageVersion('ws'),
        app: run(appPath, ['--version']),
        appBuildType: cmakeBuildType(appPath),
        fileDescriptorLimit: run('sh', ['-c', 'ulimit -n']),
        ephemeralPorts: fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().replace(/\s+/, '-'),
        loadAverage: os.loadavg().map((v) => Math.round(v * 100) / 100),
    };
}
