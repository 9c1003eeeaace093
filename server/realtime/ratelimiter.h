#pragma once

#include <QElapsedTimer>

namespace mmv::realtime {

/// A token bucket: `rate` events per second on average, bursts up to `capacity`.
class TokenBucket
{
public:
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
        const qint64 elapsed = m_clock.restart();
        m_tokens = qMin(m_capacity, m_tokens + double(elapsed) * m_rate / 1000.0);
        if (m_tokens < 1.0)
            return false;
        m_tokens -= 1.0;
        return true;
    }

private:
    double m_rate;
    double m_capacity;
    double m_tokens;
    QElapsedTimer m_clock;
};

} // namespace mmv::realtime
