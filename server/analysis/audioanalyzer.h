#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QList>

#include <vector>

namespace mmv::analysis {

struct LoudnessPoint
{
    double time = 0; ///< start of the window, seconds
    double db = 0; ///< RMS level in dBFS (a full-scale sine is -3 dBFS), floored at -120
};

struct SilenceSpan
{
    double start = 0;
    double end = 0;
};

struct AudioAnalyzerOptions
{
    double window = 0.5; ///< seconds per loudness point
    double silenceThreshold = -45; ///< dBFS under which a block is silent
    double minSilence = 1.0; ///< seconds a silent stretch lasts at least
    double silenceBlock = 0.05; ///< resolution of the silence edges, seconds
};

/// Loudness over time and silent stretches of a mono float stream, fed in chunks as it is
/// decoded. Loudness is the RMS level per window; silence is found on short blocks so that
/// its edges are precise, and reported once a stretch ends. New points and stretches are
/// taken with takeLoudness() / takeSilences(); toJson() holds everything.
class AudioAnalyzer
{
public:
    explicit AudioAnalyzer(int sampleRate, AudioAnalyzerOptions options = {});

    /// `time` is when the first sample plays; the stream is taken as continuous.
    void add(const float *samples, size_t count, double time);
    /// Flushes the last partial window and closes a silence still open.
    void finish();

    QList<LoudnessPoint> takeLoudness();
    QList<SilenceSpan> takeSilences();
    bool hasAudio() const { return m_samples > 0; }

    /// {sample_rate, window, loudness: [{t, db}], silence: [{start, end}], mean_db, max_db}
    QJsonObject toJson() const;
    static QJsonArray toJson(const QList<LoudnessPoint> &points);
    static QJsonObject toJson(const SilenceSpan &span);

private:
    void closeWindow();
    void closeBlock();

    int m_rate;
    AudioAnalyzerOptions m_options;
    qint64 m_windowLength;
    qint64 m_blockLength;
    double m_start = -1;
    qint64 m_samples = 0;

    double m_windowSum = 0;
    qint64 m_windowCount = 0;
    double m_blockSum = 0;
    qint64 m_blockCount = 0;
    qint64 m_blockStart = 0; ///< sample index of the current block
    qint64 m_silentFrom = -1; ///< sample index where the current silent stretch began

    double m_totalSum = 0;
    double m_maxDb = -120;
    QList<LoudnessPoint> m_all;
    QList<SilenceSpan> m_allSilences;
    qsizetype m_loudnessTaken = 0;
    qsizetype m_silencesTaken = 0;
};

} // namespace mmv::analysis
