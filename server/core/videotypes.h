#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QMetaType>
#include <QString>

namespace mmv {

/// A video of the library: what probing the file found. Crosses threads by value.
struct VideoInfo
{
    QString id; ///< server-generated, never derived from the file name
    QString fileName; ///< the name the uploader gave (display only)
    QString path; ///< where the file lives in the data directory
    qint64 size = 0;
    double durationSeconds = 0;
    int width = 0;
    int height = 0;
    double fps = 0;
    QString codec;
    bool hasAudio = false;
    QString audioCodec;
    QString container;
    QDateTime createdAt;

    /// The public form: {video_id, filename, size, duration_s, width, height, fps, codec,
    /// has_audio, created_at}.
    QJsonObject toJson() const;
    /// Everything, for the library's own index file, with "schema": StoredSchema.
    QJsonObject toStoredJson() const;
    /// 2: width and height as shown (turned by the display matrix); 1 had the coded sizes.
    static constexpr int StoredSchema = 2;
    static VideoInfo fromStoredJson(const QJsonObject &object);
};

} // namespace mmv

Q_DECLARE_METATYPE(mmv::VideoInfo)
