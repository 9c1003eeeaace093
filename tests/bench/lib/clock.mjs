// One clock for every process of the benchmark: milliseconds of CLOCK_MONOTONIC (what
// process.hrtime reads), so a timestamp taken by the publisher can be subtracted from one taken
// by a receiver in another process. performance.now() is cheaper than hrtime.bigint() and
// runs on the same clock from another origin; the offset between them is measured once.

import { performance } from 'node:perf_hooks';

const offset = Number(process.hrtime.bigint()) / 1e6 - performance.now();

/** Milliseconds on the machine-wide monotonic clock, microsecond resolution. */
export function now() {
    return performance.now() + offset;
}

export function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
