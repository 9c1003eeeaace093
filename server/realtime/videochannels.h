#pragma once

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QObject>

#include <deque>
#include <functional>
#include <optional>

namespace mmv::storage {
class Store;
}
namespace mmv::socketio {
class Namespace;
class SioSocket;
} // namespace mmv::socketio

namespace mmv::realtime {

/// The per-video channels: processing status (room "processing:<video_id>") and analysis
/// results (room "visual:<video_id>": visual_analysis_result and content_analysis_update).
///
/// This is the interface the analysis engine publishes through; it knows nothing of
/// sockets beyond the rooms. A subscriber gets the current state in its ack and every later
/// update as an event, nothing missed and nothing twice: the cache is the source and the
/// join happens in the same turn as the answer.
class VideoChannels : public QObject
{
    Q_OBJECT

public:
    VideoChannels(socketio::Namespace *nsp, storage::Store *store, QObject *parent = nullptr);

    static QString processingRoom(const QString &videoId)
    {
        return QStringLiteral("processing:") + videoId;
    }
    static QString visualRoom(const QString &videoId)
    {
        return QStringLiteral("visual:") + videoId;
    }

    void subscribeProcessing(socketio::SioSocket *socket, const QString &videoId,
                             std::function<void(std::optional<QJsonObject> status)> done);
    void unsubscribeProcessing(socketio::SioSocket *socket, const QString &videoId);
    void subscribeVisual(socketio::SioSocket *socket, const QString &videoId,
                         std::function<void(QList<QJsonObject> results)> done);
    void unsubscribeVisual(socketio::SioSocket *socket, const QString &videoId);

    /// Publishes a processing_status object (it must hold "video_id"); stores it as the
    /// latest and returns how many subscribers it reached.
    int publishProcessingStatus(const QJsonObject &status);
    /// Publishes a visual_analysis_result object; stored with the video's results.
    int publishVisualResult(const QJsonObject &result);
    /// Publishes a content_analysis_update object; stored with the video's results.
    int publishContentUpdate(const QJsonObject &update);

    /// The latest status, if known (answers from the cache or the store).
    void latestStatus(const QString &videoId, std::function<void(std::optional<QJsonObject>)> done);
    /// Every stored result of a video, in order.
    void results(const QString &videoId, std::function<void(QList<QJsonObject>)> done);
    /// Forgets a video's status and results (deleted or re-analysed).
    void clearVideo(const QString &videoId);

    int processingSubscribers(const QString &videoId) const;
    int visualSubscribers(const QString &videoId) const;

private:
    struct Video
    {
        bool statusLoaded = false;
        bool statusLoading = false;
        std::optional<QJsonObject> status;
        QList<std::function<void()>> statusWaiting;
        bool resultsLoaded = false;
        bool resultsLoading = false;
        QList<QJsonObject> results;
        QList<std::function<void()>> resultsWaiting;
    };
    void withStatus(const QString &videoId, std::function<void(Video &)> action);
    void withResults(const QString &videoId, std::function<void(Video &)> action);
    int publishResult(const QString &event, const QJsonObject &object);
    void touch(const QString &videoId);

    socketio::Namespace *m_nsp = nullptr;
    storage::Store *m_store = nullptr;
    QHash<QString, Video> m_videos;
    std::deque<QString> m_recent; ///< least recently used first, for eviction
};

} // namespace mmv::realtime
