#pragma once

#include "analysistypes.h"

#include "server/core/apperror.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QThreadPool>

#include <atomic>
#include <deque>
#include <memory>

namespace mmv::analysis {

class VideoLibrary;

/// Runs analyses: a bounded number at once (the rest wait in order, state "queued"), each in
/// a worker thread, cancellable within a second. Reports in protocol form through signals in
/// the thread that owns the runner: processing_status objects at a bounded rate,
/// visual_analysis_result and content_analysis_update objects as they are found. The full
/// result document is saved as <video dir>/analysis.json. Knows nothing of sockets.
class JobRunner : public QObject
{
    Q_OBJECT

public:
    JobRunner(VideoLibrary *library, int maxConcurrent, AnalysisOptions options = {},
              QObject *parent = nullptr);
    ~JobRunner() override;

    /// Queues an analysis of `videoId`; answers the job id. Conflict when one is queued or
    /// running already, NotFound for an unknown video.
    Result<QString> start(const QString &videoId);
    /// Cancels the queued or running job of `videoId`; answers its id.
    Result<QString> cancel(const QString &videoId);
    /// The job id of a queued or running analysis of `videoId`, or empty.
    QString activeJob(const QString &videoId) const;
    bool isRunning(const QString &videoId) const { return m_running.contains(videoId); }
    int runningCount() const { return int(m_running.size()); }
    int queuedCount() const { return int(m_queue.size()); }
    int maxConcurrent() const { return m_maxConcurrent; }

    /// The saved result document of a completed analysis.
    Result<QJsonObject> document(const QString &videoId) const;
    QString keyframePath(const QString &videoId, int index) const;

    /// Stops everything: running jobs are cancelled and reported as interrupted (they can be
    /// started again), queued ones too. Waits for the workers (at most `waitMs`).
    void shutdown(int waitMs = 5000);

    /// A processing_status object as the protocol defines it.
    static QJsonObject statusObject(const QString &videoId, const QString &jobId,
                                    const QString &state, const QString &stage, double progress,
                                    const QString &message, double etaSeconds = -1);

Q_SIGNALS:
    void statusChanged(const QJsonObject &status);
    void resultFound(const QJsonObject &result);
    void contentUpdated(const QJsonObject &update);
    /// Before a new analysis starts: earlier results of the video are obsolete.
    void analysisStarting(const QString &videoId);

private:
    struct Job
    {
        QString id;
        QString videoId;
        std::shared_ptr<std::atomic_bool> cancelled = std::make_shared<std::atomic_bool>(false);
    };
    void startNext();
    void handleFinished(const QString &videoId, const QString &jobId,
                        const Result<QJsonObject> &result, double seconds);
    void publishQueuePositions();
    QString generateJobId() const;
    QString pendingKeyframeDir(const QString &videoId) const;
    /// Adds "keyframe_url" next to every "keyframe" index in a result document.
    static QJsonValue addKeyframeUrls(const QJsonValue &value, const QString &videoId);

    VideoLibrary *m_library = nullptr;
    int m_maxConcurrent = 1;
    AnalysisOptions m_options;
    QThreadPool m_pool;
    std::deque<Job> m_queue;
    QHash<QString, Job> m_running; ///< by video id
    bool m_shuttingDown = false;
};

} // namespace mmv::analysis
