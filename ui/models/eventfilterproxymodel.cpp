#include "eventfilterproxymodel.h"

#include "eventmodel.h"

namespace mmv::ui {

EventFilterProxyModel::EventFilterProxyModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{ }

void EventFilterProxyModel::setDirection(Direction direction)
{
    if (m_direction == direction)
        return;
    m_direction = direction;
    invalidateRowsFilter();
}

void EventFilterProxyModel::update(QString &field, const QString &text)
{
    const QString trimmed = text.trimmed();
    if (field == trimmed)
        return;
    field = trimmed;
    invalidateRowsFilter();
}

void EventFilterProxyModel::setEventFilter(const QString &text)
{
    update(m_event, text);
}

void EventFilterProxyModel::setRoomFilter(const QString &text)
{
    update(m_room, text);
}

void EventFilterProxyModel::setSocketFilter(const QString &text)
{
    update(m_socket, text);
}

void EventFilterProxyModel::setTextFilter(const QString &text)
{
    update(m_text, text);
}

bool EventFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const auto *model = qobject_cast<const EventModel *>(sourceModel());
    if (!model || sourceParent.isValid())
        return true;
    const EventRecord &r = model->record(sourceRow);
    if (m_direction == Direction::In && r.direction != EventRecord::Direction::In)
        return false;
    if (m_direction == Direction::Out && r.direction != EventRecord::Direction::Out)
        return false;
    if (!m_event.isEmpty() && !r.event.contains(m_event, Qt::CaseInsensitive))
        return false;
    if (!m_socket.isEmpty() && !r.socketId.contains(m_socket, Qt::CaseInsensitive))
        return false;
    if (!m_room.isEmpty()) {
        bool found = false;
        for (const QString &room : r.rooms)
            found = found || room.contains(m_room, Qt::CaseInsensitive);
        if (!found)
            return false;
    }
    if (!m_text.isEmpty()) {
        const QString text = model->index(sourceRow, 0).data(EventModel::SearchTextRole).toString();
        if (!text.contains(m_text, Qt::CaseInsensitive))
            return false;
    }
    return true;
}

} // namespace mmv::ui
