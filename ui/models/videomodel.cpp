#include "videomodel.h"

#include "ui/uitext.h"

#include <QLocale>

namespace mmv::ui {

VideoModel::VideoModel(QObject *parent)
    : KeyedTableModel<VideoRow>(parent)
{ }

bool VideoModel::sameRow(const VideoRow &a, const VideoRow &b) const
{
    return a.info.fileName == b.info.fileName && a.info.size == b.info.size
        && a.info.durationSeconds == b.info.durationSeconds && a.state == b.state
        && a.stage == b.stage && a.progress == b.progress && a.message == b.message;
}

void VideoModel::setVideos(const QList<VideoInfo> &videos)
{
    QList<VideoRow> rows;
    rows.reserve(videos.size());
    for (const VideoInfo &video : videos) {
        VideoRow row;
        const int existing = rowOf(video.id);
        if (existing >= 0)
            row = item(existing);
        row.info = video;
        rows.append(row);
    }
    applySnapshot(rows);
}

void VideoModel::addVideo(const VideoInfo &video)
{
    VideoRow row;
    const int existing = rowOf(video.id);
    if (existing >= 0)
        row = item(existing);
    row.info = video;
    upsert(row);
}

void VideoModel::removeVideo(const QString &videoId)
{
    removeKey(videoId);
}

void VideoModel::applyStatus(const QJsonObject &status)
{
    const int row = rowOf(status.value(QStringLiteral("video_id")).toString());
    if (row < 0)
        return;
    VideoRow updated = item(row);
    const QString state = status.value(QStringLiteral("state"))
                              .toString(status.value(QStringLiteral("status")).toString());
    if (!state.isEmpty())
        updated.state = state;
    updated.stage = status.value(QStringLiteral("stage")).toString();
    updated.message = status.value(QStringLiteral("message")).toString();
    const QJsonValue progress = status.value(QStringLiteral("progress"));
    if (progress.isDouble()) {
        // The protocol sends 0..100 (REST) or 0..1 (the engine); both end up as 0..1.
        const double value = progress.toDouble();
        updated.progress = value > 1.0 ? value / 100.0 : value;
    }
    if (updated.state == u"completed")
        updated.progress = 1.0;
    updateItem(updated);
}

QString VideoModel::stateText(const QString &state)
{
    if (state.isEmpty())
        return tr("Not analysed");
    if (state == u"queued")
        return tr("Queued");
    if (state == u"running")
        return tr("Running");
    if (state == u"completed")
        return tr("Completed");
    if (state == u"failed")
        return tr("Failed");
    if (state == u"cancelled")
        return tr("Cancelled");
    return state;
}

int VideoModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant VideoModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const VideoRow &row = item(index.row());
    const VideoInfo &v = row.info;
    if (role == IdRole)
        return v.id;
    if (role == ProgressRole)
        return row.progress;
    if (role == Qt::ToolTipRole) {
        QString tip = tr("%1\nID: %2\nCodec: %3, %4 fps")
                          .arg(v.fileName, v.id, v.codec, QLocale().toString(v.fps, 'f', 2));
        if (!row.message.isEmpty())
            tip += QLatin1Char('\n') + row.message;
        return tip;
    }
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    const bool sort = role == SortRole;
    switch (Column(index.column())) {
    case NameColumn:
        return v.fileName;
    case DurationColumn:
        return sort ? QVariant(v.durationSeconds)
                    : QVariant(UiText::uptime(qint64(v.durationSeconds + 0.5)));
    case ResolutionColumn:
        return sort ? QVariant(v.width * v.height)
                    : QVariant(QStringLiteral("%1×%2").arg(v.width).arg(v.height));
    case SizeColumn:
        return sort ? QVariant(v.size) : QVariant(UiText::dataSize(v.size));
    case StateColumn:
        if (sort)
            return row.state;
        return row.stage.isEmpty() || row.state != u"running"
            ? stateText(row.state)
            : tr("%1 (%2)").arg(stateText(row.state), row.stage);
    case ProgressColumn:
        if (sort)
            return row.progress;
        return row.progress < 0 ? QString()
                                : QLocale().toString(qRound(row.progress * 100)) + QLatin1Char('%');
    case ColumnCount:
        break;
    }
    return {};
}

QVariant VideoModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case NameColumn:
        return tr("File");
    case DurationColumn:
        return tr("Duration");
    case ResolutionColumn:
        return tr("Resolution");
    case SizeColumn:
        return tr("Size");
    case StateColumn:
        return tr("Analysis");
    case ProgressColumn:
        return tr("Progress");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace mmv::ui
