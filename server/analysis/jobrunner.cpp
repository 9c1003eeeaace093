#include "jobrunner.h"

#include "ffmpeglog.h"

#include "videoanalyzer.h"
#include "videolibrary.h"

#include "server/core/logging.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QPointer>
#include <QRandomGenerator>
#include <QSaveFile>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <sys/resource.h>
#include <unistd.h>

namespace mmv::analysis {

namespace {

/// The nice value of the analysis threads: they take whatever CPU is idle, and the network
/// thread, the dashboard and storage come first. FFmpeg's frame threads and the detector
/// threads, created from the job's thread, inherit it. Measured on 2 cores with analyses of
/// cockatoo.mp4 back to back (tests/bench/analysis_responsiveness.mjs): chat acknowledgements
/// p50 0.4 ms and p99 5.6-5.7 ms at nice 10, 0.8-1.1 and 10-19.6 ms at nice 0, with as many
/// analyses done. MMV_ANALYSIS_NICE (0-19) changes it, for that comparison.
int analysisNice()
{
    bool ok = false;
    const int fromEnvironment = qEnvironmentVariableIntValue("MMV_ANALYSIS_NICE", &ok);
    return ok ? std::clamp(fromEnvironment, 0, 19) : 10;
}

/// Lowers the calling thread (on Linux the nice value belongs to each thread), once.
void lowerThisThread()
{
    static thread_local bool lowered = false;
    if (lowered)
        return;
    lowered = true;
    static const int nice = analysisNice();
    const auto self = id_t(gettid());
    errno = 0;
    const int current = getpriority(PRIO_PROCESS, self);
    if (errno == 0 && current < nice && setpriority(PRIO_PROCESS, self, nice) != 0)
        qCWarning(lcAnalysis) << "cannot lower the analysis thread's priority:" << strerror(errno);
}

QString timestampNow()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

QString keyframeUrl(const QString &videoId, int index)
{
    return QStringLiteral("/api/v1/videos/%1/keyframes/%2.jpg").arg(videoId).arg(index);
}

/// Forwards what the analyzer finds, from the worker thread to the runner's thread, in
/// protocol form; progress at most every 1 % or 500 ms.
class RelaySink : public AnalysisSink
{
public:
    RelaySink(JobRunner *runner, QString videoId, QString jobId,
              std::shared_ptr<std::atomic_bool> cancelled)
        : m_runner(runner)
        , m_videoId(std::move(videoId))
        , m_jobId(std::move(jobId))
        , m_cancelled(std::move(cancelled))
    {
        m_clock.start();
    }

    void progress(double fraction, const QString &stage, double etaSeconds) override
    {
        const double percent = qBound(0.0, fraction * 100.0, 99.9);
        const qint64 now = m_clock.elapsed();
        if (stage == m_lastStage && percent - m_lastPercent < 1.0 && now - m_lastTime < 500)
            return;
        m_lastStage = stage;
        m_lastPercent = percent;
        m_lastTime = now;
        const QJsonObject status = JobRunner::statusObject(
            m_videoId, m_jobId, QStringLiteral("running"), stage, std::round(percent * 10) / 10,
            QStringLiteral("analysing: %1").arg(stage), etaSeconds);
        post([status](JobRunner *runner) { Q_EMIT runner->statusChanged(status); });
    }

    void result(const QString &kind, double start, double end, const QJsonObject &data,
                double confidence) override
    {
        QJsonObject object{
            { QStringLiteral("video_id"), m_videoId },
            { QStringLiteral("job_id"), m_jobId },
            { QStringLiteral("kind"), kind },
            { QStringLiteral("start"), start },
            { QStringLiteral("data"), withUrls(data) },
            { QStringLiteral("timestamp"), timestampNow() },
        };
        if (end >= 0)
            object.insert(QStringLiteral("end"), end);
        if (confidence >= 0)
            object.insert(QStringLiteral("confidence"), confidence);
        post([object](JobRunner *runner) { Q_EMIT runner->resultFound(object); });
    }

    void content(const QString &kind, const QJsonArray &segments) override
    {
        QJsonArray withUrl;
        for (const QJsonValue &segment : segments)
            withUrl.append(withUrls(segment.toObject()));
        const QJsonObject object{
            { QStringLiteral("video_id"), m_videoId },
            { QStringLiteral("job_id"), m_jobId },
            { QStringLiteral("kind"), kind },
            { QStringLiteral("segments"), withUrl },
            { QStringLiteral("timestamp"), timestampNow() },
        };
        post([object](JobRunner *runner) { Q_EMIT runner->contentUpdated(object); });
    }

    bool isCancelled() const override { return m_cancelled->load(); }

private:
    QJsonObject withUrls(QJsonObject data) const
    {
        if (data.value(u"keyframe").isDouble() && data.value(u"keyframe").toInt() >= 0
            && !data.contains(u"keyframe_url"))
            data.insert(QStringLiteral("keyframe_url"),
                        keyframeUrl(m_videoId, data.value(u"keyframe").toInt()));
        return data;
    }

    template<typename F>
    void post(F &&function)
    {
        JobRunner *runner = m_runner;
        QMetaObject::invokeMethod(
            runner, [runner, function = std::forward<F>(function)] { function(runner); },
            Qt::QueuedConnection);
    }

    JobRunner *m_runner;
    QString m_videoId;
    QString m_jobId;
    std::shared_ptr<std::atomic_bool> m_cancelled;
    QElapsedTimer m_clock;
    QString m_lastStage;
    double m_lastPercent = -100;
    qint64 m_lastTime = -1000;
};

} // namespace

JobRunner::JobRunner(VideoLibrary *library, int maxConcurrent, AnalysisOptions options,
                     QObject *parent)
    : QObject(parent)
    , m_library(library)
    , m_maxConcurrent(qMax(1, maxConcurrent))
    , m_options(options)
{
    installFfmpegLogging();
    m_pool.setMaxThreadCount(m_maxConcurrent);
    m_pool.setObjectName(QStringLiteral("analysis"));
}

JobRunner::~JobRunner()
{
    shutdown(10'000);
}

QJsonObject JobRunner::statusObject(const QString &videoId, const QString &jobId,
                                    const QString &state, const QString &stage, double progress,
                                    const QString &message, double etaSeconds)
{
    QJsonObject status{
        { QStringLiteral("video_id"), videoId },
        { QStringLiteral("job_id"), jobId },
        { QStringLiteral("state"), state },
        { QStringLiteral("stage"), stage },
        { QStringLiteral("progress"), progress },
        { QStringLiteral("message"), message },
        { QStringLiteral("timestamp"), timestampNow() },
    };
    if (etaSeconds >= 0)
        status.insert(QStringLiteral("eta_s"), std::round(etaSeconds * 10) / 10);
    return status;
}

QString JobRunner::generateJobId() const
{
    return QStringLiteral("job_%1").arg(QRandomGenerator::system()->generate64(), 16, 16,
                                        QLatin1Char('0'));
}

QString JobRunner::activeJob(const QString &videoId) const
{
    if (m_running.contains(videoId))
        return m_running.value(videoId).id;
    for (const Job &job : m_queue) {
        if (job.videoId == videoId)
            return job.id;
    }
    return {};
}

Result<QString> JobRunner::start(const QString &videoId)
{
    if (m_shuttingDown)
        return AppError{ ErrorCode::Unavailable, QStringLiteral("the server is shutting down") };
    if (!m_library->video(videoId))
        return AppError{ ErrorCode::NotFound, QStringLiteral("no video '%1'").arg(videoId) };
    if (const QString active = activeJob(videoId); !active.isEmpty())
        return AppError{
            ErrorCode::Conflict,
            QStringLiteral("an analysis of this video is already under way (%1)").arg(active)
        };
    Job job;
    job.id = generateJobId();
    job.videoId = videoId;
    Q_EMIT analysisStarting(videoId);
    m_queue.push_back(job);
    Q_EMIT statusChanged(statusObject(videoId, job.id, QStringLiteral("queued"),
                                      QStringLiteral("queued"), 0,
                                      QStringLiteral("waiting for a free worker")));
    startNext();
    publishQueuePositions();
    return job.id;
}

void JobRunner::publishQueuePositions()
{
    int position = 1;
    for (const Job &job : m_queue) {
        Q_EMIT statusChanged(statusObject(job.videoId, job.id, QStringLiteral("queued"),
                                          QStringLiteral("queued"), 0,
                                          QStringLiteral("waiting for a free worker (%1 ahead)")
                                              .arg(position - 1 + runningCount())));
        ++position;
    }
}

void JobRunner::startNext()
{
    while (!m_shuttingDown && int(m_running.size()) < m_maxConcurrent && !m_queue.empty()) {
        const Job job = m_queue.front();
        m_queue.pop_front();
        const auto video = m_library->video(job.videoId);
        if (!video)
            continue; // deleted while it waited
        m_running.insert(job.videoId, job);
        Q_EMIT statusChanged(statusObject(job.videoId, job.id, QStringLiteral("running"),
                                          QStringLiteral("starting"), 0,
                                          QStringLiteral("starting the analysis")));
        // The new keyframes go to a folder of their own: the previous analysis stays whole
        // until this one completes (a cancelled re-analysis must not break it).
        const QString keyframeDir = pendingKeyframeDir(job.videoId);
        QDir(keyframeDir).removeRecursively();
        QDir().mkpath(keyframeDir);
        const AnalysisOptions options = m_options;
        const QString path = video->path;
        m_pool.start([this, job, path, keyframeDir, options] {
            lowerThisThread();
            QElapsedTimer clock;
            clock.start();
            RelaySink sink(this, job.videoId, job.id, job.cancelled);
            VideoAnalyzer analyzer(options);
            Result<QJsonObject> result = analyzer.run(path, keyframeDir, sink);
            const double seconds = clock.elapsed() / 1000.0;
            QMetaObject::invokeMethod(
                this,
                [this, job, result, seconds] {
                    handleFinished(job.videoId, job.id, result, seconds);
                },
                Qt::QueuedConnection);
        });
    }
}

void JobRunner::handleFinished(const QString &videoId, const QString &jobId,
                               const Result<QJsonObject> &result, double seconds)
{
    const Job job = m_running.take(videoId);
    const bool cancelled = job.cancelled && job.cancelled->load();
    if (result) {
        const QString finalDir = m_library->videoDir(videoId) + QStringLiteral("/keyframes");
        QDir(finalDir).removeRecursively();
        if (!QDir().rename(pendingKeyframeDir(videoId), finalDir))
            qCWarning(lcAnalysis) << "cannot move the keyframes of" << videoId << "into place";
        QJsonObject document = addKeyframeUrls(result.value(), videoId).toObject();
        document.insert(QStringLiteral("video_id"), videoId);
        document.insert(QStringLiteral("job_id"), jobId);
        document.insert(QStringLiteral("completed_at"), timestampNow());
        QSaveFile file(m_library->videoDir(videoId) + QStringLiteral("/analysis.json"));
        if (!file.open(QIODevice::WriteOnly)
            || file.write(QJsonDocument(document).toJson(QJsonDocument::Compact)) < 0
            || !file.commit()) {
            qCWarning(lcAnalysis) << "cannot save the analysis of" << videoId << ":"
                                  << file.errorString();
        }
        const int shots = document.value(u"shots").toArray().size();
        Q_EMIT statusChanged(statusObject(
            videoId, jobId, QStringLiteral("completed"), QStringLiteral("done"), 100,
            QStringLiteral("%1 shots found in %2 s").arg(shots).arg(seconds, 0, 'f', 1)));
        qCInfo(lcAnalysis) << "analysis of" << videoId << "completed in" << seconds << "s";
    } else if (cancelled || m_shuttingDown) {
        QDir(pendingKeyframeDir(videoId)).removeRecursively();
        Q_EMIT statusChanged(statusObject(
            videoId, jobId, QStringLiteral("cancelled"),
            m_shuttingDown ? QStringLiteral("interrupted") : QStringLiteral("cancelled"), 0,
            m_shuttingDown ? QStringLiteral("interrupted by a server shutdown; start it again")
                           : QStringLiteral("cancelled")));
    } else {
        QDir(pendingKeyframeDir(videoId)).removeRecursively();
        qCWarning(lcAnalysis) << "analysis of" << videoId << "failed:" << result.error().message;
        Q_EMIT statusChanged(statusObject(videoId, jobId, QStringLiteral("failed"),
                                          QStringLiteral("failed"), 0, result.error().message));
    }
    startNext();
    publishQueuePositions();
}

Result<QString> JobRunner::cancel(const QString &videoId)
{
    for (auto it = m_queue.begin(); it != m_queue.end(); ++it) {
        if (it->videoId != videoId)
            continue;
        const Job job = *it;
        m_queue.erase(it);
        Q_EMIT statusChanged(statusObject(videoId, job.id, QStringLiteral("cancelled"),
                                          QStringLiteral("cancelled"), 0,
                                          QStringLiteral("cancelled before it started")));
        publishQueuePositions();
        return job.id;
    }
    const auto it = m_running.constFind(videoId);
    if (it == m_running.cend())
        return AppError{ ErrorCode::Conflict,
                         QStringLiteral("no analysis of this video is under way") };
    it->cancelled->store(true);
    return it->id;
}

Result<QJsonObject> JobRunner::document(const QString &videoId) const
{
    QFile file(m_library->videoDir(videoId) + QStringLiteral("/analysis.json"));
    if (!file.open(QIODevice::ReadOnly))
        return AppError{ ErrorCode::NotFound,
                         QStringLiteral("this video has not been analysed yet") };
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return AppError{ ErrorCode::Internal, QStringLiteral("the saved analysis is damaged") };
    return document.object();
}

QString JobRunner::keyframePath(const QString &videoId, int index) const
{
    // While a job runs, its live results name its own keyframes.
    const QString folder = m_running.contains(videoId)
        ? pendingKeyframeDir(videoId)
        : m_library->videoDir(videoId) + QStringLiteral("/keyframes");
    return folder + QStringLiteral("/%1.jpg").arg(index);
}

QString JobRunner::pendingKeyframeDir(const QString &videoId) const
{
    return m_library->videoDir(videoId) + QStringLiteral("/keyframes.new");
}

QJsonValue JobRunner::addKeyframeUrls(const QJsonValue &value, const QString &videoId)
{
    if (value.isArray()) {
        QJsonArray array;
        for (const QJsonValue &item : value.toArray())
            array.append(addKeyframeUrls(item, videoId));
        return array;
    }
    if (!value.isObject())
        return value;
    QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it)
        it.value() = addKeyframeUrls(it.value(), videoId);
    const QJsonValue keyframe = object.value(u"keyframe");
    if (keyframe.isDouble() && keyframe.toInt() >= 0 && !object.contains(u"keyframe_url"))
        object.insert(QStringLiteral("keyframe_url"), keyframeUrl(videoId, keyframe.toInt()));
    return object;
}

void JobRunner::shutdown(int waitMs)
{
    if (m_shuttingDown)
        return;
    m_shuttingDown = true;
    for (const Job &job : std::as_const(m_running))
        job.cancelled->store(true);
    for (const Job &job : m_queue) {
        Q_EMIT statusChanged(statusObject(
            job.videoId, job.id, QStringLiteral("cancelled"), QStringLiteral("interrupted"), 0,
            QStringLiteral("interrupted by a server shutdown; start it again")));
    }
    m_queue.clear();
    if (!m_pool.waitForDone(waitMs))
        qCWarning(lcAnalysis) << "analysis workers did not stop in time";
    // Deliver the workers' last reports (interrupted statuses) before the runner goes.
    QCoreApplication::sendPostedEvents(this);
}

} // namespace mmv::analysis
