#include "broadcasthistorymodel.h"

#include <QLocale>

namespace mmv::ui {

BroadcastHistoryModel::BroadcastHistoryModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void BroadcastHistoryModel::append(const Broadcast &broadcast)
{
    if (m_items.size() >= Capacity) {
        beginRemoveRows({}, 0, 0);
        m_items.removeFirst();
        endRemoveRows();
    }
    const int row = int(m_items.size());
    beginInsertRows({}, row, row);
    m_items.append(broadcast);
    endInsertRows();
}

int BroadcastHistoryModel::rowOf(quint64 requestId) const
{
    if (requestId == 0)
        return -1;
    // Answers usually come for recent broadcasts: search from the newest.
    for (qsizetype row = m_items.size() - 1; row >= 0; --row) {
        if (m_items.at(row).requestId == requestId)
            return int(row);
    }
    return -1;
}

bool BroadcastHistoryModel::finish(quint64 requestId, int delivered, const QString &error)
{
    const int row = rowOf(requestId);
    if (row < 0)
        return false;
    Broadcast &b = m_items[row];
    if (b.delivered >= 0 || !b.error.isEmpty())
        return false;
    b.delivered = qMax(0, delivered);
    b.error = error;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    return true;
}

int BroadcastHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

int BroadcastHistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BroadcastHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Broadcast &b = m_items.at(index.row());
    if (role == Qt::ToolTipRole)
        return index.column() == PayloadColumn ? b.payload.left(2000) : b.error;
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case TimeColumn:
        return QLocale().toString(b.time.toLocalTime().time(), QLocale::ShortFormat);
    case TargetColumn:
        if (!b.socketId.isEmpty())
            return tr("Socket %1").arg(b.socketId);
        if (!b.room.isEmpty())
            return tr("Room %1").arg(b.room);
        return tr("Everybody");
    case EventColumn:
        return b.event;
    case DeliveredColumn:
        if (!b.error.isEmpty())
            return tr("Error: %1").arg(b.error);
        return b.delivered < 0 ? tr("sending…") : QLocale().toString(b.delivered);
    case PayloadColumn:
        return b.payload.left(300);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant BroadcastHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case TimeColumn:
        return tr("Sent");
    case TargetColumn:
        return tr("Target");
    case EventColumn:
        return tr("Event");
    case DeliveredColumn:
        return tr("Delivered to");
    case PayloadColumn:
        return tr("Payload");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace mmv::ui
