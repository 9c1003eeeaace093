#include "videochannels.h"

#include "server/core/logging.h"
#include "server/socketio/sionamespace.h"
#include "server/socketio/siosocket.h"
#include "server/storage/store.h"

#include <QPointer>

namespace mmv::realtime {

namespace {
constexpr qsizetype CachedVideos = 64;
}

VideoChannels::VideoChannels(socketio::Namespace *nsp, storage::Store *store, QObject *parent)
    : QObject(parent)
    , m_nsp(nsp)
    , m_store(store)
{ }

void VideoChannels::touch(const QString &videoId)
{
    const auto it = std::find(m_recent.begin(), m_recent.end(), videoId);
    if (it != m_recent.end())
        m_recent.erase(it);
    m_recent.push_back(videoId);
    // Evict idle videos nobody waits for; they reload from the store when asked again.
    for (auto old = m_recent.begin();
         qsizetype(m_recent.size()) > CachedVideos && old != m_recent.end();) {
        const Video &video = m_videos[*old];
        const bool busy = video.statusLoading || video.resultsLoading;
        if (!busy && *old != videoId) {
            m_videos.remove(*old);
            old = m_recent.erase(old);
        } else {
            ++old;
        }
    }
}

void VideoChannels::withStatus(const QString &videoId, std::function<void(Video &)> action)
{
    touch(videoId);
    Video &video = m_videos[videoId];
    if (video.statusLoaded) {
        action(video);
        return;
    }
    video.statusWaiting.append(
        [this, videoId, action = std::move(action)] { action(m_videos[videoId]); });
    if (video.statusLoading)
        return;
    video.statusLoading = true;
    QPointer<VideoChannels> self(this);
    m_store->latestStatus(videoId, [self, videoId](Result<std::optional<QJsonObject>> stored) {
        if (!self)
            return;
        Video &v = self->m_videos[videoId];
        if (!v.status && stored) // a status published meanwhile is newer
            v.status = stored.value();
        v.statusLoaded = true;
        v.statusLoading = false;
        const auto waiting = std::exchange(v.statusWaiting, {});
        for (const auto &run : waiting)
            run();
    });
}

void VideoChannels::withResults(const QString &videoId, std::function<void(Video &)> action)
{
    touch(videoId);
    Video &video = m_videos[videoId];
    if (video.resultsLoaded) {
        action(video);
        return;
    }
    video.resultsWaiting.append(
        [this, videoId, action = std::move(action)] { action(m_videos[videoId]); });
    if (video.resultsLoading)
        return;
    video.resultsLoading = true;
    QPointer<VideoChannels> self(this);
    m_store->results(videoId, [self, videoId](Result<QList<QJsonObject>> stored) {
        if (!self)
            return;
        Video &v = self->m_videos[videoId];
        if (stored)
            v.results = stored.value() + v.results; // keep what was published while loading
        else
            qCWarning(lcApp) << "results of" << videoId
                             << "are unavailable:" << stored.error().message;
        v.resultsLoaded = true;
        v.resultsLoading = false;
        const auto waiting = std::exchange(v.resultsWaiting, {});
        for (const auto &run : waiting)
            run();
    });
}

void VideoChannels::subscribeProcessing(socketio::SioSocket *socket, const QString &videoId,
                                        std::function<void(std::optional<QJsonObject>)> done)
{
    QPointer<socketio::SioSocket> guard(socket);
    withStatus(videoId, [guard, videoId, done = std::move(done)](Video &video) {
        if (!guard || !guard->isConnected())
            return;
        guard->join(processingRoom(videoId));
        done(video.status);
    });
}

void VideoChannels::unsubscribeProcessing(socketio::SioSocket *socket, const QString &videoId)
{
    socket->leave(processingRoom(videoId));
}

void VideoChannels::subscribeVisual(socketio::SioSocket *socket, const QString &videoId,
                                    std::function<void(QList<QJsonObject>)> done)
{
    QPointer<socketio::SioSocket> guard(socket);
    withResults(videoId, [guard, videoId, done = std::move(done)](Video &video) {
        if (!guard || !guard->isConnected())
            return;
        guard->join(visualRoom(videoId));
        done(video.results);
    });
}

void VideoChannels::unsubscribeVisual(socketio::SioSocket *socket, const QString &videoId)
{
    socket->leave(visualRoom(videoId));
}

int VideoChannels::publishProcessingStatus(const QJsonObject &status)
{
    const QString videoId = status.value(u"video_id").toString();
    touch(videoId);
    Video &video = m_videos[videoId];
    video.status = status;
    m_store->setLatestStatus(videoId, status);
    return m_nsp->broadcast(socketio::BroadcastTarget{ { processingRoom(videoId) }, {} },
                            QStringLiteral("processing_status"),
                            socketio::Payload{ QJsonArray{ status }, {} });
}

int VideoChannels::publishResult(const QString &event, const QJsonObject &object)
{
    const QString videoId = object.value(u"video_id").toString();
    touch(videoId);
    Video &video = m_videos[videoId];
    // Cached lists stay complete; while a load is under way, new results wait in the list
    // and go after the stored ones. Unloaded videos read everything from the store later.
    if (video.resultsLoaded || video.resultsLoading)
        video.results.append(object);
    m_store->appendResult(videoId, object);
    return m_nsp->broadcast(socketio::BroadcastTarget{ { visualRoom(videoId) }, {} }, event,
                            socketio::Payload{ QJsonArray{ object }, {} });
}

int VideoChannels::publishVisualResult(const QJsonObject &result)
{
    return publishResult(QStringLiteral("visual_analysis_result"), result);
}

int VideoChannels::publishContentUpdate(const QJsonObject &update)
{
    return publishResult(QStringLiteral("content_analysis_update"), update);
}

void VideoChannels::latestStatus(const QString &videoId,
                                 std::function<void(std::optional<QJsonObject>)> done)
{
    withStatus(videoId, [done = std::move(done)](Video &video) { done(video.status); });
}

void VideoChannels::results(const QString &videoId, std::function<void(QList<QJsonObject>)> done)
{
    withResults(videoId, [done = std::move(done)](Video &video) { done(video.results); });
}

void VideoChannels::clearVideo(const QString &videoId)
{
    Video &video = m_videos[videoId];
    video.status.reset();
    video.results.clear();
    m_store->clearVideo(videoId);
}

int VideoChannels::processingSubscribers(const QString &videoId) const
{
    return m_nsp->memberCount(processingRoom(videoId));
}

int VideoChannels::visualSubscribers(const QString &videoId) const
{
    return m_nsp->memberCount(visualRoom(videoId));
}

} // namespace mmv::realtime
