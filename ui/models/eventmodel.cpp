#include "eventmodel.h"

#include "ui/uitext.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>

namespace mmv::ui {

EventModel::EventModel(int capacity, QObject *parent)
    : QAbstractTableModel(parent)
    , m_capacity(qMax(1, capacity))
{ }

void EventModel::appendRecords(const QList<EventRecord> &records)
{
    if (records.isEmpty())
        return;
    std::deque<Entry> entries;
    for (const EventRecord &record : records) {
        (record.direction == EventRecord::Direction::In ? m_totalIn : m_totalOut) += 1;
        entries.push_back({ m_nextSequence++, record });
    }
    if (m_paused) {
        for (Entry &entry : entries)
            m_pending.push_back(std::move(entry));
        while (qsizetype(m_pending.size()) > m_capacity)
            m_pending.pop_front();
        Q_EMIT pendingCountChanged(pendingCount());
        return;
    }
    insert(std::move(entries));
}

void EventModel::insert(std::deque<Entry> &&entries)
{
    // Only the newest `capacity` records of an oversized batch can ever be shown.
    while (qsizetype(entries.size()) > m_capacity)
        entries.pop_front();
    const qsizetype incoming = qsizetype(entries.size());
    if (incoming == 0)
        return;

    const qsizetype current = qsizetype(m_records.size());
    if (current + incoming > m_capacity) {
        const qsizetype slack = m_capacity / 10;
        const qsizetype drop = qMin(current, current + incoming - m_capacity + slack);
        if (drop > 0) {
            beginRemoveRows({}, 0, int(drop - 1));
            m_records.erase(m_records.begin(), m_records.begin() + drop);
            endRemoveRows();
        }
    }
    const int first = int(m_records.size());
    beginInsertRows({}, first, int(first + incoming - 1));
    for (Entry &entry : entries)
        m_records.push_back(std::move(entry));
    endInsertRows();
}

void EventModel::clear()
{
    const bool hadPending = !m_pending.empty();
    m_pending.clear();
    if (!m_records.empty()) {
        beginRemoveRows({}, 0, int(m_records.size() - 1));
        m_records.clear();
        endRemoveRows();
    }
    if (hadPending)
        Q_EMIT pendingCountChanged(0);
}

void EventModel::setPaused(bool paused)
{
    if (m_paused == paused)
        return;
    m_paused = paused;
    if (!paused && !m_pending.empty()) {
        insert(std::move(m_pending));
        m_pending.clear();
        Q_EMIT pendingCountChanged(0);
    }
}

QJsonObject EventModel::toJson(const EventRecord &record)
{
    QJsonObject object{
        { QStringLiteral("time"), record.time.toUTC().toString(Qt::ISODateWithMs) },
        { QStringLiteral("direction"),
          record.direction == EventRecord::Direction::In ? QStringLiteral("in")
                                                         : QStringLiteral("out") },
        { QStringLiteral("type"), record.type },
        { QStringLiteral("nsp"), record.nsp },
        { QStringLiteral("size"), record.size },
        { QStringLiteral("recipients"), record.recipients },
    };
    if (!record.event.isEmpty())
        object.insert(QStringLiteral("event"), record.event);
    if (!record.socketId.isEmpty())
        object.insert(QStringLiteral("socket"), record.socketId);
    if (!record.rooms.isEmpty())
        object.insert(QStringLiteral("rooms"), QJsonArray::fromStringList(record.rooms));
    if (record.ackId >= 0)
        object.insert(QStringLiteral("ack_id"), record.ackId);
    if (record.attachments > 0)
        object.insert(QStringLiteral("attachments"), record.attachments);
    object.insert(QStringLiteral("preview"), record.preview);
    return object;
}

int EventModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_records.size());
}

int EventModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &entry = m_records.at(size_t(index.row()));
    const EventRecord &r = entry.record;
    const bool in = r.direction == EventRecord::Direction::In;
    switch (role) {
    case DirectionRole:
        return int(r.direction);
    case SequenceRole:
        return entry.sequence;
    case SearchTextRole:
        return QStringList{ r.event, r.socketId, r.type, r.rooms.join(QLatin1Char(' ')), r.preview }
            .join(QLatin1Char(' '));
    case Qt::ToolTipRole:
        return index.column() == PreviewColumn ? QVariant(r.preview.left(2000)) : QVariant();
    case Qt::TextAlignmentRole:
        return index.column() == SizeColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                            : QVariant();
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (Column(index.column())) {
    case TimeColumn:
        return r.time.toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz"));
    case DirectionColumn:
        return in ? tr("in") : tr("out");
    case TypeColumn:
        return r.ackId >= 0 ? tr("%1 #%2").arg(r.type).arg(r.ackId) : r.type;
    case EventColumn:
        return r.event;
    case SocketColumn:
        if (!r.socketId.isEmpty())
            return r.socketId;
        return tr("%n recipient(s)", "", r.recipients);
    case RoomsColumn:
        return r.rooms.join(QStringLiteral(", "));
    case SizeColumn:
        return r.attachments > 0
            ? tr("%1 + %n attachment(s)", "", r.attachments).arg(UiText::dataSize(r.size))
            : UiText::dataSize(r.size);
    case PreviewColumn: {
        QString line = r.preview.left(300);
        line.replace(QLatin1Char('\n'), QLatin1Char(' '));
        return line;
    }
    case ColumnCount:
        break;
    }
    return {};
}

QVariant EventModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case TimeColumn:
        return tr("Time");
    case DirectionColumn:
        return tr("Dir.");
    case TypeColumn:
        return tr("Type");
    case EventColumn:
        return tr("Event");
    case SocketColumn:
        return tr("Socket");
    case RoomsColumn:
        return tr("Rooms");
    case SizeColumn:
        return tr("Size");
    case PreviewColumn:
        return tr("Payload");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace mmv::ui
