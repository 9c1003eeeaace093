#pragma once

#include <QElapsedTimer>

namespace mmv::realtime {

/// A token bucket: `rate` events per second on average, bursts up to `capacity`.
class TokenBucket
{
public:
    /// `rate` tokens per second up to `capacity`; a rate of 0 means no limit.
    TokenBucket(double rate, double capacity)
        : m_rate(rate)
        , m_capacity(capacity)
        , m_tokens(capacity)
    {
        m_clock.start();
    }

    /// Takes one token; false when the bucket is empty (the event is over the limit).
    bool take()
    {
        if (m_rate <= 0)
            return true;
        // Nanoseconds, not restart()'s whole milliseconds: at high rates every call would
        // otherwise round the refill down to nothing.
        const qint64 now = m_clock.nsecsElapsed();
        m_tokens = qMin(m_capacity, m_tokens + double(now - m_last) * m_rate / 1e9);
        m_last = now;
        if (m_tokens < 1.0)
            return false;
        m_tokens -= 1.0;
        return true;
    }

private:
    double m_rate;
    double m_capacity;
    double m_tokens;
    qint64 m_last = 0;
    QElapsedTimer m_clock;
};

} // namespace mmv::realtime
