// A latency histogram with logarithmic buckets 1 % wide, from 1 microsecond to minutes:
// recording is a log and an increment, merging is an addition, and percentiles are exact to
// within one bucket (1 %). Values are milliseconds.

const GROWTH = Math.log(1.01);
const BUCKETS = 2000; // 1.01^2000 us is about 7 minutes

export class Histogram {
    constructor(state) {
        this.counts = state?.counts ?? new Float64Array(BUCKETS);
        this.n = state?.n ?? 0;
        this.sum = state?.sum ?? 0;
        this.max = state?.max ?? 0;
        this.min = state?.min ?? Infinity;
    }

    record(ms) {
        const us = ms * 1000;
        const index = us <= 1 ? 0 : Math.min(BUCKETS - 1, Math.ceil(Math.log(us) / GROWTH));
        this.counts[index] += 1;
        this.n += 1;
        this.sum += ms;
        if (ms > this.max) this.max = ms;
        if (ms < this.min) this.min = ms;
    }

    merge(other) {
        const o = other instanceof Histogram ? other : new Histogram(other);
        for (let i = 0; i < BUCKETS; ++i) this.counts[i] += o.counts[i];
        this.n += o.n;
        this.sum += o.sum;
        this.max = Math.max(this.max, o.max);
        this.min = Math.min(this.min, o.min);
        return this;
    }

    /** The value below which a fraction p (0..1) of the samples lie, in ms; null if empty. */
    percentile(p) {
        if (this.n === 0) return null;
        const rank = Math.max(1, Math.ceil(p * this.n));
        let seen = 0;
        for (let i = 0; i < BUCKETS; ++i) {
            seen += this.counts[i];
            if (seen >= rank) return Math.min(this.max, Math.max(this.min, Math.exp(i * GROWTH) / 1000));
        }
        return this.max;
    }

    mean() {
        return this.n ? this.sum / this.n : null;
    }

    /** Plain state for IPC (structured clone keeps the Float64Array). */
    state() {
        return { counts: this.counts, n: this.n, sum: this.sum, max: this.max, min: this.min };
    }

    summary() {
        return {
            count: this.n,
            p50: this.percentile(0.5),
            p99: this.percentile(0.99),
            p999: this.percentile(0.999),
            max: this.n ? this.max : null,
            mean: this.mean(),
        };
    }
}
