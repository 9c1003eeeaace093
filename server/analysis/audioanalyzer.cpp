#include "audioanalyzer.h"

#include <algorithm>
#include <cmath>

namespace mmv::analysis {

namespace {

constexpr double kFloorDb = -120;

double toDb(double meanSquare)
{
    return meanSquare > 0 ? std::max(kFloorDb, 10 * std::log10(meanSquare)) : kFloorDb;
}

double rounded(double value, double scale)
{
    return std::round(value * scale) / scale;
}

} // namespace

AudioAnalyzer::AudioAnalyzer(int sampleRate, AudioAnalyzerOptions options)
    : m_rate(std::max(1, sampleRate))
    , m_options(options)
    , m_windowLength(std::max<qint64>(1, std::llround(options.window * m_rate)))
    , m_blockLength(std::max<qint64>(1, std::llround(options.silenceBlock * m_rate)))
{ }

void AudioAnalyzer::add(const float *samples, size_t count, double time)
{
    if (m_start < 0)
        m_start = time;
    for (size_t i = 0; i < count; ++i) {
        const double square = double(samples[i]) * samples[i];
        m_windowSum += square;
        m_blockSum += square;
        m_totalSum += square;
        ++m_samples;
        if (++m_windowCount == m_windowLength)
            closeWindow();
        if (++m_blockCount == m_blockLength)
            closeBlock();
    }
}

void AudioAnalyzer::closeWindow()
{
    const double db = toDb(m_windowSum / double(m_windowCount));
    const qint64 first = m_samples - m_windowCount;
    m_all.append(LoudnessPoint{ m_start + double(first) / m_rate, db });
    m_maxDb = std::max(m_maxDb, db);
    m_windowSum = 0;
    m_windowCount = 0;
}

void AudioAnalyzer::closeBlock()
{
    const bool silent = toDb(m_blockSum / double(m_blockCount)) < m_options.silenceThreshold;
    const qint64 blockEnd = m_blockStart + m_blockCount;
    if (silent && m_silentFrom < 0)
        m_silentFrom = m_blockStart;
    if (!silent && m_silentFrom >= 0) {
        if (double(m_blockStart - m_silentFrom) / m_rate >= m_options.minSilence) {
            m_allSilences.append(SilenceSpan{ m_start + double(m_silentFrom) / m_rate,
                                              m_start + double(m_blockStart) / m_rate });
        }
        m_silentFrom = -1;
    }
    m_blockStart = blockEnd;
    m_blockSum = 0;
    m_blockCount = 0;
}

void AudioAnalyzer::finish()
{
    if (m_windowCount > 0)
        closeWindow();
    if (m_blockCount > 0)
        closeBlock();
    if (m_silentFrom >= 0) {
        if (double(m_blockStart - m_silentFrom) / m_rate >= m_options.minSilence) {
            m_allSilences.append(SilenceSpan{ m_start + double(m_silentFrom) / m_rate,
                                              m_start + double(m_blockStart) / m_rate });
        }
        m_silentFrom = -1;
    }
}

QList<LoudnessPoint> AudioAnalyzer::takeLoudness()
{
    const QList<LoudnessPoint> points = m_all.mid(m_loudnessTaken);
    m_loudnessTaken = m_all.size();
    return points;
}

QList<SilenceSpan> AudioAnalyzer::takeSilences()
{
    const QList<SilenceSpan> spans = m_allSilences.mid(m_silencesTaken);
    m_silencesTaken = m_allSilences.size();
    return spans;
}

QJsonArray AudioAnalyzer::toJson(const QList<LoudnessPoint> &points)
{
    QJsonArray array;
    for (const LoudnessPoint &point : points) {
        array.append(QJsonObject{ { QStringLiteral("t"), rounded(point.time, 1000) },
                                  { QStringLiteral("db"), rounded(point.db, 10) } });
    }
    return array;
}

QJsonObject AudioAnalyzer::toJson(const SilenceSpan &span)
{
    return QJsonObject{ { QStringLiteral("start"), rounded(span.start, 1000) },
                        { QStringLiteral("end"), rounded(span.end, 1000) } };
}

QJsonObject AudioAnalyzer::toJson() const
{
    QJsonArray silences;
    for (const SilenceSpan &span : m_allSilences)
        silences.append(toJson(span));
    return QJsonObject{
        { QStringLiteral("sample_rate"), m_rate },
        { QStringLiteral("window"), m_options.window },
        { QStringLiteral("silence_threshold_db"), m_options.silenceThreshold },
        { QStringLiteral("loudness"), toJson(m_all) },
        { QStringLiteral("silence"), silences },
        { QStringLiteral("mean_db"),
          rounded(m_samples > 0 ? toDb(m_totalSum / double(m_samples)) : kFloorDb, 10) },
        { QStringLiteral("max_db"), rounded(m_maxDb, 10) },
    };
}

} // namespace mmv::analysis
