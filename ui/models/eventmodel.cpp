#include "eventmodel.h"

#include "ui/uitext.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>

#include <algorithm>

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
        // Paired on arrival, paused or not, so that an ack finds a request of the same batch.
        pair(entries.back(), entries);
    }
    if (m_paused) {
        for (Entry &entry : entries)
            m_pending.push_back(std::move(entry));
        while (qsizetype(m_pending.size()) > m_capacity)
            m_pending.pop_front();
        forgetStaleRequests();
        Q_EMIT pendingCountChanged(pendingCount());
        return;
    }
    insert(std::move(entries));
    forgetStaleRequests();
}

bool EventModel::isAck(const EventRecord &record)
{
    return record.type == u"ack" || record.type == u"binary_ack";
}

EventModel::Entry *EventModel::findEntry(qint64 sequence, std::deque<Entry> &batch)
{
    for (std::deque<Entry> *entries : { &m_records, &m_pending, &batch }) {
        const auto it = std::lower_bound(
            entries->begin(), entries->end(), sequence,
            [](const Entry &entry, qint64 value) { return entry.sequence < value; });
        if (it != entries->end() && it->sequence == sequence)
            return &*it;
    }
    return nullptr;
}

int EventModel::rowOfSequence(qint64 sequence) const
{
    const auto it
        = std::lower_bound(m_records.begin(), m_records.end(), sequence,
                           [](const Entry &entry, qint64 value) { return entry.sequence < value; });
    if (it == m_records.end() || it->sequence != sequence)
        return -1;
    return int(it - m_records.begin());
}

int EventModel::pairedRow(int row) const
{
    const qint64 paired = m_records.at(size_t(row)).pairedSequence;
    return paired < 0 ? -1 : rowOfSequence(paired);
}

void EventModel::pair(Entry &entry, std::deque<Entry> &batch)
{
    const EventRecord &r = entry.record;
    if (r.ackId < 0 || r.socketId.isEmpty())
        return;
    if (!isAck(r)) {
        m_awaitingAck.insert({ r.socketId, r.ackId, r.direction }, entry.sequence);
        return;
    }
    const EventRecord::Direction requester = r.direction == EventRecord::Direction::In
        ? EventRecord::Direction::Out
        : EventRecord::Direction::In;
    const auto waiting = m_awaitingAck.constFind({ r.socketId, r.ackId, requester });
    if (waiting == m_awaitingAck.cend())
        return;
    Entry *request = findEntry(waiting.value(), batch);
    m_awaitingAck.erase(waiting);
    if (!request)
        return; // the request was never seen (tap started later) or fell out of the ring
    entry.pairedSequence = request->sequence;
    entry.roundTripMs = qMax<qint64>(0, request->record.time.msecsTo(r.time));
    request->pairedSequence = entry.sequence;
    request->roundTripMs = entry.roundTripMs;
    const int row = rowOfSequence(request->sequence);
    if (row >= 0)
        Q_EMIT dataChanged(index(row, TypeColumn), index(row, TypeColumn));
}

void EventModel::forgetStaleRequests()
{
    // Requests whose ack never came must not pile up: past twice the ring's size, forget
    // those that are neither shown nor waiting to be (an ack for them could not be paired).
    if (m_awaitingAck.size() <= 2 * qsizetype(m_capacity))
        return;
    const auto holds = [](const std::deque<Entry> &entries, qint64 sequence) {
        const auto it = std::lower_bound(
            entries.begin(), entries.end(), sequence,
            [](const Entry &entry, qint64 value) { return entry.sequence < value; });
        return it != entries.end() && it->sequence == sequence;
    };
    m_awaitingAck.removeIf([&](const auto &it) {
        return !holds(m_records, it.value()) && !holds(m_pending, it.value());
    });
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
    m_awaitingAck.clear();
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
    case PairedSequenceRole:
        return entry.pairedSequence;
    case RoundTripRole:
        return entry.roundTripMs;
    case SearchTextRole:
        return QStringList{ r.event, r.socketId, r.type, r.rooms.join(QLatin1Char(' ')), r.preview }
            .join(QLatin1Char(' '));
    case Qt::ToolTipRole:
        if (index.column() == PreviewColumn)
            return r.preview.left(2000);
        if (index.column() == TypeColumn && r.ackId >= 0 && !r.socketId.isEmpty()) {
            if (isAck(r))
                return entry.pairedSequence < 0 ? tr("A reply to a request that is not in the list")
                                                : tr("The reply to request #%1, %2 ms after it")
                                                      .arg(r.ackId)
                                                      .arg(entry.roundTripMs);
            return entry.pairedSequence < 0
                ? tr("Asks for a reply; none has come yet")
                : tr("Answered by its ack after %1 ms").arg(entry.roundTripMs);
        }
        return {};
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
        if (r.ackId < 0)
            return r.type;
        if (entry.roundTripMs >= 0) {
            return isAck(r) ? tr("%1 #%2 (%3 ms)").arg(r.type).arg(r.ackId).arg(entry.roundTripMs)
                            : tr("%1 #%2 ✓ %3 ms").arg(r.type).arg(r.ackId).arg(entry.roundTripMs);
        }
        return tr("%1 #%2").arg(r.type).arg(r.ackId);
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
