#include "shotmodel.h"

#include <QFileInfo>
#include <QImage>
#include <QLocale>

#include <algorithm>

namespace mmv::ui {

namespace {
QString clock(double seconds)
{
    const int total = int(seconds);
    // Hundredths: shots a frame or two long must not share a label with their neighbour.
    return QStringLiteral("%1:%2.%3")
        .arg(total / 60)
        .arg(total % 60, 2, 10, QLatin1Char('0'))
        .arg(qMin(99, int((seconds - total) * 100)), 2, 10, QLatin1Char('0'));
}
} // namespace

ShotModel::ShotModel(QObject *parent)
    : QAbstractListModel(parent)
{ }

void ShotModel::setVideo(const QString &videoId)
{
    beginResetModel();
    m_videoId = videoId;
    m_shots.clear();
    m_thumbnails.clear();
    endResetModel();
}

int ShotModel::rowFor(int shotIndex, bool create)
{
    const auto it = std::lower_bound(m_shots.begin(), m_shots.end(), shotIndex,
                                     [](const Shot &s, int i) { return s.index < i; });
    const int row = int(it - m_shots.begin());
    if (it != m_shots.end() && it->index == shotIndex)
        return row;
    if (!create)
        return -1;
    beginInsertRows({}, row, row);
    Shot shot;
    shot.index = shotIndex;
    m_shots.insert(row, shot);
    endInsertRows();
    return row;
}

bool ShotModel::applyResult(const QJsonObject &result)
{
    if (result.value(QStringLiteral("video_id")).toString() != m_videoId)
        return false;
    const QString kind = result.value(QStringLiteral("kind")).toString();
    const QJsonObject data = result.value(QStringLiteral("data")).toObject();
    int row = -1;
    if (kind == u"shot") {
        row = rowFor(data.value(QStringLiteral("index")).toInt(), true);
        Shot &s = m_shots[row];
        s.start = result.value(QStringLiteral("start")).toDouble();
        s.end = result.value(QStringLiteral("end")).toDouble(-1);
        s.transition = data.value(QStringLiteral("transition")).toString();
        s.keyframe = data.value(QStringLiteral("keyframe")).toInt(s.keyframe);
    } else if (kind == u"keyframe") {
        row = rowFor(data.value(QStringLiteral("shot")).toInt(), true);
        m_shots[row].keyframe = data.value(QStringLiteral("keyframe")).toInt(m_shots[row].keyframe);
    } else if (kind == u"faces" || kind == u"people") {
        row = rowFor(data.value(QStringLiteral("shot")).toInt(), true);
        const int count = data.value(QStringLiteral("max_count"))
                              .toInt(data.value(QStringLiteral("count")).toInt());
        (kind == u"faces" ? m_shots[row].faces : m_shots[row].people) = count;
    } else {
        return false;
    }
    Q_EMIT dataChanged(index(row), index(row));
    return true;
}

int ShotModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_shots.size());
}

QPixmap ShotModel::thumbnail(int keyframe) const
{
    if (keyframe < 0 || !m_locator)
        return {};
    const auto cached = m_thumbnails.constFind(keyframe);
    if (cached != m_thumbnails.constEnd())
        return *cached;
    const QImage image(m_locator(keyframe));
    if (image.isNull())
        return {}; // not written yet: try again on the next paint
    const QPixmap pixmap = QPixmap::fromImage(
        image.scaled(m_thumbnailSize, Qt::KeepAspectRatio, Qt::SmoothTransformation));
    m_thumbnails.insert(keyframe, pixmap);
    return pixmap;
}

QVariant ShotModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Shot &s = m_shots.at(index.row());
    switch (role) {
    case Qt::DisplayRole: {
        QString text = tr("Shot %1 · %2").arg(s.index + 1).arg(clock(s.start));
        if (s.faces > 0 || s.people > 0)
            text += QLatin1Char('\n') + tr("%n face(s)", "", s.faces) + QStringLiteral(" · ")
                + tr("%n person(s)", "", s.people);
        return text;
    }
    case Qt::ToolTipRole:
        return tr("Shot %1: %2 – %3, %4")
            .arg(s.index + 1)
            .arg(clock(s.start), s.end >= 0 ? clock(s.end) : tr("running"),
                 s.transition.isEmpty() ? tr("no transition") : s.transition);
    case Qt::DecorationRole:
        return thumbnail(s.keyframe);
    case StartRole:
        return s.start;
    case EndRole:
        return s.end;
    case FacesRole:
        return s.faces;
    case PeopleRole:
        return s.people;
    case KeyframeRole:
        return s.keyframe;
    default:
        return {};
    }
}

} // namespace mmv::ui
