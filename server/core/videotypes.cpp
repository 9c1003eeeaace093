#include "videotypes.h"

namespace mmv {

QJsonObject VideoInfo::toJson() const
{
    return QJsonObject{
        { QStringLiteral("video_id"), id },
        { QStringLiteral("filename"), fileName },
        { QStringLiteral("size"), double(size) },
        { QStringLiteral("duration_s"), durationSeconds },
        { QStringLiteral("width"), width },
        { QStringLiteral("height"), height },
        { QStringLiteral("fps"), fps },
        { QStringLiteral("codec"), codec },
        { QStringLiteral("has_audio"), hasAudio },
        { QStringLiteral("created_at"), createdAt.toString(Qt::ISODateWithMs) },
    };
}

QJsonObject VideoInfo::toStoredJson() const
{
    QJsonObject object = toJson();
    object.insert(QStringLiteral("path"), path);
    object.insert(QStringLiteral("audio_codec"), audioCodec);
    object.insert(QStringLiteral("container"), container);
    object.insert(QStringLiteral("schema"), StoredSchema);
    return object;
}

VideoInfo VideoInfo::fromStoredJson(const QJsonObject &object)
{
    VideoInfo info;
    info.id = object.value(u"video_id").toString();
    info.fileName = object.value(u"filename").toString();
    info.path = object.value(u"path").toString();
    info.size = qint64(object.value(u"size").toDouble());
    info.durationSeconds = object.value(u"duration_s").toDouble();
    info.width = object.value(u"width").toInt();
    info.height = object.value(u"height").toInt();
    info.fps = object.value(u"fps").toDouble();
    info.codec = object.value(u"codec").toString();
    info.hasAudio = object.value(u"has_audio").toBool();
    info.audioCodec = object.value(u"audio_codec").toString();
    info.container = object.value(u"container").toString();
    info.createdAt
        = QDateTime::fromString(object.value(u"created_at").toString(), Qt::ISODateWithMs);
    return info;
}

} // namespace mmv
