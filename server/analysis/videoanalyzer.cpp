#include "videoanalyzer.h"

#include "server/analysis/audioanalyzer.h"
#include "server/analysis/colorstats.h"
#include "server/analysis/detectionworker.h"
#include "server/analysis/framesource.h"
#include "server/analysis/keyframeselector.h"
#include "server/analysis/outlinebuilder.h"
#include "server/analysis/shotdetector.h"
#include "server/analysis/trackbuilder.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <deque>
#include <memory>
#include <optional>

#include <time.h>

namespace mmv::analysis {

namespace {

constexpr int kAudioChunkPoints = 10; ///< loudness points per "audio" result (5 s)
/// Mean absolute frame difference (0..1) that counts as the most intense motion.
constexpr double kFullMotion = 0.06;
constexpr qint64 kProgressIntervalMs = 500;
constexpr double kProgressStep = 0.01;
constexpr qint64 kCancelPollMs = 5;
/// Shares of the progress bar: the pass over the file, then the outline and document.
constexpr double kPassShare = 0.97;
/// Keyframe candidates a second held at most over the shot detector's decision delay.
constexpr int kHeldCandidates = 8;

double threadCpuSeconds()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) + double(now.tv_nsec) / 1e9;
}

double rounded(double value, double scale = 1000)
{
    return std::round(value * scale) / scale;
}

/// Calls AnalysisSink::progress about every 1 % or 500 ms, never backwards, with an ETA from
/// the rate so far.
class ProgressReporter
{
public:
    explicit ProgressReporter(AnalysisSink &sink)
        : m_sink(sink)
    {
        m_clock.start();
    }

    void report(double fraction, const QString &stage, bool force = false)
    {
        fraction = std::clamp(fraction, m_last, 1.0);
        const qint64 now = m_clock.elapsed();
        if (!force && stage == m_stage && fraction - m_last < kProgressStep
            && now - m_lastAt < kProgressIntervalMs)
            return;
        double eta = -1;
        if (fraction >= 1)
            eta = 0;
        else if (fraction >= 0.02 && now >= 300)
            eta = rounded(double(now) / 1000 * (1 - fraction) / fraction, 10);
        m_last = fraction;
        m_lastAt = now;
        m_stage = stage;
        m_sink.progress(rounded(fraction, 10000), stage, eta);
    }

private:
    AnalysisSink &m_sink;
    QElapsedTimer m_clock;
    double m_last = 0;
    qint64 m_lastAt = -kProgressIntervalMs;
    QString m_stage;
};

/// The shot being accumulated from the frames the detector releases.
struct OpenShot
{
    int index = 0;
    qint64 firstFrame = 0;
    qint64 lastFrame = -1;
    double start = 0;
    QString transition = QStringLiteral("start");
    double score = 0;
    double confidence = -1;
    double transitionStart = 0;
    double transitionEnd = 0;
    ColorStats colors; ///< frames outside transitions
    ColorStats transitionColors; ///< the others, for shots that are all transition
    double motionSum = 0;
    int motionFrames = 0;
};

/// A closed shot whose detections may still be running.
struct ClosedShot
{
    int index = 0;
    double start = 0;
    double end = 0;
    qint64 firstFrame = 0;
    qint64 lastFrame = 0;
    QJsonObject document;
    OutlineShot outline;
};

class AnalysisRun
{
public:
    AnalysisRun(const AnalysisOptions &options, const QString &keyframeDir, AnalysisSink &sink)
        : m_options(options)
        , m_keyframeDir(keyframeDir)
        , m_sink(sink)
        , m_progress(sink)
    { }

    Result<QJsonObject> run(const QString &path);

private:
    bool cancelled();
    void handleFrame(const ShotFrame &frame);
    void handleTransition(const ShotTransition &transition);
    void closeShot(double end);
    void takeDetections();
    void completeShots();
    void finishShot(ClosedShot &shot);
    void addToOutline(const OutlineShot &shot);
    void emitAudio(bool final);
    double passFraction() const;
    QJsonObject document(double seconds) const;

    AnalysisOptions m_options;
    QString m_keyframeDir;
    AnalysisSink &m_sink;
    ProgressReporter m_progress;
    QElapsedTimer m_clock;
    qint64 m_lastCancelPoll = -kCancelPollMs;
    bool m_cancelled = false;
    std::optional<AppError> m_failure;

    FrameSource m_source;
    MediaInfo m_info;
    KeyframeSelector m_keyframes;
    std::optional<AudioAnalyzer> m_audio;
    std::unique_ptr<DetectionWorker> m_detection;
    OutlineBuilder m_outline;

    std::optional<OpenShot> m_open;
    int m_nextShot = 0;
    int m_keyframeWidth = 640;
    std::deque<ClosedShot> m_waiting; ///< closed, detections pending, in order
    std::deque<qint64> m_pendingSamples; ///< submitted to the detectors, not done yet
    std::deque<DetectionResult> m_detections; ///< done, not yet given to a shot
    QJsonArray m_shots;
    qint64 m_frames = 0;
    double m_lastTime = 0;
    double m_openSeconds = 0;
    double m_decodeSeconds = 0;
    double m_analysisCpuSeconds = 0; ///< of the calling thread, during run()
    double m_decodingCpuSeconds = 0; ///< of FrameSource's thread
    int m_heldCandidatesMax = 0; ///< keyframe candidates held at once, at most
    QList<LoudnessPoint> m_audioPending; ///< loudness not yet sent
    qint64 m_expectedSamples = 0;
    QString m_detectionError;
};

bool AnalysisRun::cancelled()
{
    if (m_cancelled)
        return true;
    const qint64 now = m_clock.elapsed();
    if (now - m_lastCancelPoll >= kCancelPollMs) {
        m_lastCancelPoll = now;
        m_cancelled = m_sink.isCancelled();
    }
    return m_cancelled;
}

void AnalysisRun::handleFrame(const ShotFrame &frame)
{
    if (!m_open)
        m_open = OpenShot{};
    OpenShot &shot = *m_open;
    shot.lastFrame = frame.index;
    if (frame.inTransition) {
        shot.transitionColors.add(frame.thumbnail, frame.thumbnailWidth, frame.thumbnailHeight,
                                  frame.thumbnailStride);
        m_keyframes.markInTransition(frame.index);
        return;
    }
    shot.colors.add(frame.thumbnail, frame.thumbnailWidth, frame.thumbnailHeight,
                    frame.thumbnailStride);
    // The first frame's difference is the cut itself.
    if (frame.index > shot.firstFrame) {
        shot.motionSum += frame.motion;
        ++shot.motionFrames;
    }
}

void AnalysisRun::handleTransition(const ShotTransition &transition)
{
    closeShot(transition.time);
    OpenShot next;
    next.index = m_nextShot;
    next.firstFrame = transition.frame;
    next.start = transition.time;
    next.transition = ShotTransition::kindName(transition.kind);
    next.score = transition.score;
    next.confidence = transition.confidence;
    next.transitionStart = transition.startTime;
    next.transitionEnd = transition.endTime;
    m_open = std::move(next);
}

void AnalysisRun::closeShot(double end)
{
    if (!m_open || m_open->lastFrame < m_open->firstFrame)
        return;
    OpenShot &shot = *m_open;
    const int n = shot.index;
    m_nextShot = n + 1;

    QJsonObject keyframe;
    std::optional<KeyframeCandidate> chosen = m_keyframes.take(shot.firstFrame, shot.lastFrame);
    if (chosen && !m_keyframes.materialise(*chosen, m_keyframeWidth)) {
        m_failure = AppError{ ErrorCode::Internal, QStringLiteral("cannot convert a keyframe") };
        return;
    }
    if (chosen) {
        QString error;
        const QString file = QDir(m_keyframeDir).filePath(QStringLiteral("%1.jpg").arg(n));
        if (!m_keyframes.writeJpeg(*chosen, file, &error)) {
            m_failure = AppError{ ErrorCode::Internal,
                                  QStringLiteral("cannot write keyframe %1: %2").arg(file, error) };
            return;
        }
        keyframe = QJsonObject{ { QStringLiteral("shot"), n },
                                { QStringLiteral("time"), rounded(chosen->time) },
                                { QStringLiteral("keyframe"), n },
                                { QStringLiteral("width"), chosen->width },
                                { QStringLiteral("height"), chosen->height } };
    }
    const bool hasKeyframe = !keyframe.isEmpty();

    const QJsonObject shotData{ { QStringLiteral("index"), n },
                                { QStringLiteral("transition"), shot.transition },
                                { QStringLiteral("score"), rounded(shot.score) },
                                { QStringLiteral("keyframe"),
                                  hasKeyframe ? QJsonValue(n) : QJsonValue() },
                                { QStringLiteral("transition_start"),
                                  rounded(shot.index == 0 ? shot.start : shot.transitionStart) },
                                { QStringLiteral("transition_end"),
                                  rounded(shot.index == 0 ? shot.start : shot.transitionEnd) } };
    m_sink.result(QStringLiteral("shot"), rounded(shot.start), rounded(end), shotData,
                  shot.index == 0 ? -1 : rounded(shot.confidence));
    if (hasKeyframe) {
        m_sink.result(QStringLiteral("keyframe"), keyframe.value(QStringLiteral("time")).toDouble(),
                      -1, keyframe, -1);
    }

    const ColorStats &colors = shot.colors.isEmpty() ? shot.transitionColors : shot.colors;
    const QList<DominantColor> dominant = colors.dominant();
    const QJsonObject colorData{ { QStringLiteral("shot"), n },
                                 { QStringLiteral("dominant"), ColorStats::toJson(dominant) },
                                 { QStringLiteral("brightness"), rounded(colors.brightness()) } };
    m_sink.result(QStringLiteral("colors"), rounded(shot.start), rounded(end), colorData, -1);

    const double meanMotion = shot.motionFrames > 0 ? shot.motionSum / shot.motionFrames : 0;
    const double intensity = std::clamp(meanMotion / kFullMotion, 0.0, 1.0);
    const QJsonObject motionData{ { QStringLiteral("shot"), n },
                                  { QStringLiteral("intensity"), rounded(intensity) } };
    m_sink.result(QStringLiteral("motion"), rounded(shot.start), rounded(end), motionData, -1);

    ClosedShot closed;
    closed.index = n;
    closed.start = shot.start;
    closed.end = end;
    closed.firstFrame = shot.firstFrame;
    closed.lastFrame = shot.lastFrame;
    QJsonObject doc = shotData;
    doc.insert(QStringLiteral("start"), rounded(shot.start));
    doc.insert(QStringLiteral("end"), rounded(end));
    doc.insert(QStringLiteral("first_frame"), shot.firstFrame);
    doc.insert(QStringLiteral("frames"), shot.lastFrame - shot.firstFrame + 1);
    doc.insert(QStringLiteral("confidence"), shot.index == 0 ? 1.0 : rounded(shot.confidence));
    if (hasKeyframe)
        doc.insert(QStringLiteral("keyframe_time"), keyframe.value(QStringLiteral("time")));
    doc.insert(
        QStringLiteral("colors"),
        QJsonObject{
            { QStringLiteral("dominant"), colorData.value(QStringLiteral("dominant")) },
            { QStringLiteral("brightness"), colorData.value(QStringLiteral("brightness")) } });
    doc.insert(QStringLiteral("motion"),
               QJsonObject{ { QStringLiteral("intensity"), rounded(intensity) },
                            { QStringLiteral("mean_difference"), rounded(meanMotion, 1e5) } });
    closed.document = doc;
    closed.outline.index = n;
    closed.outline.start = shot.start;
    closed.outline.end = end;
    closed.outline.keyframe = hasKeyframe ? n : -1;
    closed.outline.transition = shot.transition;
    closed.outline.histogram = colors.coarseHistogram();
    closed.outline.colors = dominant;
    closed.outline.brightness = colors.brightness();
    closed.outline.motion = intensity;
    m_waiting.push_back(std::move(closed));
    m_open.reset();
    completeShots();
}

void AnalysisRun::takeDetections()
{
    if (!m_detection)
        return;
    for (DetectionResult &result : m_detection->takeResults()) {
        if (!m_pendingSamples.empty() && m_pendingSamples.front() == result.frame)
            m_pendingSamples.pop_front();
        m_detections.push_back(std::move(result));
    }
}

/// Finishes the closed shots, in order, whose sampled frames have all been through the
/// detectors.
void AnalysisRun::completeShots()
{
    takeDetections();
    while (!m_waiting.empty()) {
        ClosedShot &shot = m_waiting.front();
        if (!m_pendingSamples.empty() && m_pendingSamples.front() <= shot.lastFrame)
            return;
        finishShot(shot);
        m_waiting.pop_front();
    }
}

void AnalysisRun::finishShot(ClosedShot &shot)
{
    if (m_detection) {
        TrackBuilder faces;
        TrackBuilder people;
        while (!m_detections.empty() && m_detections.front().frame <= shot.lastFrame) {
            const DetectionResult &result = m_detections.front();
            if (result.frame >= shot.firstFrame) {
                faces.add(result.time, result.faces);
                people.add(result.time, result.people);
            }
            m_detections.pop_front();
        }
        const auto publish = [&](const QString &kind, const TrackBuilder &builder, int *count) {
            const QJsonObject data = builder.summary(shot.index);
            *count = data.value(QStringLiteral("max_count")).toInt();
            m_sink.result(kind, rounded(shot.start), rounded(shot.end), data, -1);
            QJsonObject stored = data;
            stored.remove(QStringLiteral("shot"));
            stored.insert(QStringLiteral("samples"), builder.sampleCount());
            shot.document.insert(kind, stored);
        };
        if (m_detection->detectsFaces())
            publish(QStringLiteral("faces"), faces, &shot.outline.faces);
        if (m_detection->detectsPeople())
            publish(QStringLiteral("people"), people, &shot.outline.people);
    }
    m_shots.append(shot.document);
    addToOutline(shot.outline);
}

void AnalysisRun::addToOutline(const OutlineShot &shot)
{
    if (const std::optional<QJsonObject> closed = m_outline.addShot(shot))
        m_sink.content(QStringLiteral("segment"), QJsonArray{ *closed });
    m_sink.content(QStringLiteral("outline"), m_outline.segments());
}

void AnalysisRun::emitAudio(bool final)
{
    if (!m_audio)
        return;
    for (const SilenceSpan &span : m_audio->takeSilences()) {
        m_sink.result(QStringLiteral("silence"), rounded(span.start), rounded(span.end),
                      AudioAnalyzer::toJson(span), -1);
    }
    m_audioPending.append(m_audio->takeLoudness());
    while (m_audioPending.size() >= kAudioChunkPoints || (final && !m_audioPending.isEmpty())) {
        const QList<LoudnessPoint> chunk = m_audioPending.mid(0, kAudioChunkPoints);
        m_audioPending.remove(0, chunk.size());
        const double window = 0.5;
        m_sink.result(QStringLiteral("audio"), rounded(chunk.front().time),
                      rounded(chunk.back().time + window),
                      QJsonObject{ { QStringLiteral("loudness"), AudioAnalyzer::toJson(chunk) } },
                      -1);
    }
}

double AnalysisRun::passFraction() const
{
    double decoded = 0;
    if (m_info.duration > 0)
        decoded = m_lastTime / m_info.duration;
    else if (m_info.frameCount > 0)
        decoded = double(m_frames) / double(m_info.frameCount);
    decoded = std::clamp(decoded, 0.0, 1.0);
    if (!m_detection || m_expectedSamples <= 0)
        return decoded;
    // The detectors trail the decoding; the pass is done when both are.
    const double detected
        = std::clamp(double(m_detection->completed()) / double(m_expectedSamples), 0.0, 1.0);
    return std::min(decoded, 0.5 * (decoded + detected));
}

Result<QJsonObject> AnalysisRun::run(const QString &path)
{
    m_clock.start();
    const double cpuAtStart = threadCpuSeconds();
    FrameSourceOptions sourceOptions;
    sourceOptions.analysisWidth = std::max(32, m_options.analysisWidth);
    sourceOptions.decoderThreads = m_options.decoderThreads;
    sourceOptions.decodeAudio = m_options.analyzeAudio;
    if (const Status status = m_source.open(path, sourceOptions))
        return *status;
    m_info = m_source.info();
    m_openSeconds = m_clock.nsecsElapsed() / 1e9;
    // Only the last level: the parent is the video's folder, and a video deleted meanwhile
    // must not come back as a folder without its video.
    if (!QDir(m_keyframeDir).exists() && !QDir().mkdir(m_keyframeDir)) {
        return AppError{
            ErrorCode::Internal,
            QStringLiteral("cannot create the keyframe directory %1").arg(m_keyframeDir)
        };
    }
    if (m_options.analyzeAudio && m_info.hasAudio)
        m_audio.emplace(m_source.audioSampleRate());
    const bool sampling = m_options.sampleFps > 0;
    if (sampling && (m_options.detectFaces || m_options.detectPeople)) {
        // The detectors load in their own threads while decoding starts; whether they are
        // usable is asked only when a shot needs them.
        m_detection = std::make_unique<DetectionWorker>(
            m_options.detectFaces, m_options.detectPeople, m_options.fullScanEvery);
        if (!m_detection->isRunning()) {
            // Out of threads: the rest of the analysis goes on without faces and people.
            m_detectionError = m_detection->errorString();
            m_detection.reset();
        } else if (m_info.duration > 0) {
            m_expectedSamples = qint64(std::ceil(m_info.duration * m_options.sampleFps));
        }
    }
    m_keyframeWidth = std::max(64, m_options.detectionWidth);
    const int detectionWidth = std::max(64, m_options.detectionWidth);
    const double fps = m_info.fps > 0 ? m_info.fps : 25;
    const double sampleInterval = sampling ? 1.0 / m_options.sampleFps : 1.0;
    ShotDetectorOptions shotOptions;
    shotOptions.fps = fps;
    ShotDetector shots(shotOptions);
    // Keyframe candidates, kept by reference and converted only when chosen: one a second,
    // and the first frame of every likely cut so that even a very short shot has one. Every
    // candidate among the frames whose shot the detector has not settled yet is held (a
    // decoded picture each), and that delay is counted in frames: at a low frame rate it is
    // many seconds (tree.avi, a frame every 0.44 s: 28 s). So the candidates a second are also
    // spaced to hold at most kHeldCandidates over the delay; a 1 frame/s 4K time-lapse would
    // otherwise hold 64 pictures (800 MB), and each new picture costs the decoder fresh memory.
    const double candidateInterval = 1.0;
    const qint64 candidateSpacing = std::max(1, shots.decisionDelay() / kHeldCandidates);
    shots.setFrameHandler([this](const ShotFrame &frame) { handleFrame(frame); });
    shots.setTransitionHandler(
        [this](const ShotTransition &transition) { handleTransition(transition); });

    m_progress.report(0, QStringLiteral("decoding"), true);
    double nextSample = 0;
    double nextCandidate = 0;
    qint64 lastCandidate = -1000;
    bool sceneChanged = false; ///< a likely cut since the last sample
    auto cancelCheck = [this] { return cancelled(); };
    for (;;) {
        if (cancelled())
            return cancelledError();
        const Result<FrameSource::Event> event = m_source.next();
        if (!event)
            return event.error();
        if (event.value() == FrameSource::Event::End)
            break;
        if (event.value() == FrameSource::Event::Audio) {
            if (m_audio) {
                const std::vector<float> &samples = m_source.audioSamples();
                m_audio->add(samples.data(), samples.size(), m_source.audioTime());
                emitAudio(false);
            }
            continue;
        }

        const qint64 index = m_source.frameIndex();
        const double time = m_source.frameTime();
        ++m_frames;
        m_lastTime = time;
        const FrameView frame = m_source.analysisFrame();
        shots.push(frame, index);
        if (m_failure)
            return *m_failure;

        const bool sample = m_detection && time >= nextSample;
        const bool mayStartShot = shots.lastMayStartShot();
        sceneChanged = sceneChanged || mayStartShot;
        const bool candidate = (time >= nextCandidate && index - lastCandidate >= candidateSpacing)
            || (mayStartShot && index - lastCandidate > 2);
        if (candidate) {
            m_keyframes.offer(index, time, KeyframeSelector::quality(frame), m_source.picture());
            m_heldCandidatesMax = std::max(m_heldCandidatesMax, m_keyframes.size());
            lastCandidate = index;
            if (time >= nextCandidate)
                nextCandidate = std::max(nextCandidate + candidateInterval, time);
            if (m_open)
                m_keyframes.prune(m_open->firstFrame, m_open->lastFrame);
        }
        if (sample) {
            nextSample = std::max(nextSample + sampleInterval, time);
            if (!shots.lastBlank()) {
                if (!m_detection->submit(index, time, m_source.picture(), detectionWidth,
                                         sceneChanged, cancelCheck))
                    return cancelledError();
                m_pendingSamples.push_back(index);
                sceneChanged = false;
            }
        }
        completeShots();
        if (m_failure)
            return *m_failure;
        m_progress.report(kPassShare * passFraction(), QStringLiteral("decoding"));
    }

    m_decodingCpuSeconds = m_source.decodingThreadSeconds();
    shots.finish();
    closeShot(m_lastTime + 1.0 / fps);
    if (m_failure)
        return *m_failure;
    if (m_audio) {
        m_audio->finish();
        emitAudio(true);
    }
    m_decodeSeconds = m_clock.nsecsElapsed() / 1e9;

    // The detectors may still be working through the last samples.
    while (!m_waiting.empty()) {
        if (cancelled())
            return cancelledError();
        if (m_detection)
            m_detection->waitForResult(50);
        completeShots();
        m_progress.report(kPassShare * passFraction(), QStringLiteral("detecting"));
    }

    m_progress.report(kPassShare, QStringLiteral("outline"), true);
    if (const std::optional<QJsonObject> closed = m_outline.finish())
        m_sink.content(QStringLiteral("segment"), QJsonArray{ *closed });
    m_sink.content(QStringLiteral("summary"), m_outline.segments());
    if (m_detection)
        m_detectionError = m_detection->errorString();
    m_analysisCpuSeconds = threadCpuSeconds() - cpuAtStart;
    const QJsonObject result = document(m_clock.nsecsElapsed() / 1e9);
    m_progress.report(1, QStringLiteral("done"), true);
    return result;
}

QJsonObject AnalysisRun::document(double seconds) const
{
    // As shown: a portrait phone video is stored as landscape pictures turned by 90 degrees.
    const QSize shown = shownSize(m_info.width, m_info.height, m_info.rotation);
    const QJsonObject video{
        { QStringLiteral("duration"), rounded(m_info.duration) },
        { QStringLiteral("width"), shown.width() },
        { QStringLiteral("height"), shown.height() },
        { QStringLiteral("rotation"), m_info.rotation },
        { QStringLiteral("fps"), rounded(m_info.fps) },
        { QStringLiteral("frames"), m_frames },
        { QStringLiteral("codec"), m_info.codec },
        { QStringLiteral("container"), m_info.container },
        { QStringLiteral("has_audio"), m_info.hasAudio },
        { QStringLiteral("audio_codec"), m_info.audioCodec },
    };
    const QJsonObject options{
        { QStringLiteral("sample_fps"), m_options.sampleFps },
        { QStringLiteral("analysis_width"), m_options.analysisWidth },
        { QStringLiteral("detection_width"), m_options.detectionWidth },
        { QStringLiteral("full_scan_every"), m_options.fullScanEvery },
        { QStringLiteral("faces"), m_detection && m_detection->detectsFaces() },
        { QStringLiteral("people"), m_detection && m_detection->detectsPeople() },
        { QStringLiteral("audio"), m_options.analyzeAudio },
    };
    QJsonObject audio{ { QStringLiteral("present"), m_audio.has_value() && m_audio->hasAudio() } };
    if (m_audio) {
        const QJsonObject details = m_audio->toJson();
        for (auto it = details.begin(); it != details.end(); ++it)
            audio.insert(it.key(), it.value());
    }
    QJsonObject timings{
        { QStringLiteral("total_s"), rounded(seconds, 1e4) },
        { QStringLiteral("open_s"), rounded(m_openSeconds, 1e4) },
        { QStringLiteral("pass_s"), rounded(m_decodeSeconds, 1e4) },
        { QStringLiteral("decoding_thread_cpu_s"), rounded(m_decodingCpuSeconds, 1e4) },
        { QStringLiteral("segment_decoders"), m_source.segmentDecoders() },
        { QStringLiteral("keyframe_candidates_held_max"), m_heldCandidatesMax },
        { QStringLiteral("analysis_thread_cpu_s"), rounded(m_analysisCpuSeconds, 1e4) },
        { QStringLiteral("frames_per_s"), rounded(seconds > 0 ? m_frames / seconds : 0, 10) },
        { QStringLiteral("realtime_factor"), rounded(seconds > 0 ? m_lastTime / seconds : 0, 100) },
    };
    if (m_detection && (m_detection->detectsFaces() || m_detection->detectsPeople())) {
        timings.insert(QStringLiteral("detection_busy_s"), rounded(m_detection->busySeconds()));
        timings.insert(QStringLiteral("detection_samples"), m_detection->completed());
        timings.insert(QStringLiteral("detection_full_scans"), m_detection->fullScans());
    }
    if (!m_detectionError.isEmpty())
        timings.insert(QStringLiteral("detection_error"), m_detectionError);
    return QJsonObject{
        { QStringLiteral("schema"), 1 },        { QStringLiteral("video"), video },
        { QStringLiteral("options"), options }, { QStringLiteral("shots"), m_shots },
        { QStringLiteral("audio"), audio },     { QStringLiteral("outline"), m_outline.segments() },
        { QStringLiteral("timings"), timings }
    };
}

} // namespace

VideoAnalyzer::VideoAnalyzer(AnalysisOptions options)
    : m_options(options)
{ }

Result<QJsonObject> VideoAnalyzer::run(const QString &path, const QString &keyframeDir,
                                       AnalysisSink &sink)
{
    AnalysisRun analysis(m_options, keyframeDir, sink);
    return analysis.run(path);
}

} // namespace mmv::analysis
