#include "connectionmodel.h"

#include "ui/uitext.h"

#include <QLocale>

namespace mmv::ui {

ConnectionModel::ConnectionModel(QObject *parent)
    : KeyedTableModel<ConnectionInfo>(parent)
{ }

bool ConnectionModel::sameRow(const ConnectionInfo &a, const ConnectionInfo &b) const
{
    return a.messagesIn == b.messagesIn && a.messagesOut == b.messagesOut && a.bytesIn == b.bytesIn
        && a.bytesOut == b.bytesOut && a.rooms == b.rooms && a.name == b.name && a.role == b.role
        && a.transport == b.transport && a.remoteAddress == b.remoteAddress
        && a.userAgent == b.userAgent && a.connectedAt == b.connectedAt && a.nsp == b.nsp
        && a.engineId == b.engineId;
}

int ConnectionModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ConnectionModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ConnectionInfo &c = item(index.row());
    if (role == IdRole)
        return c.id;
    // Every socket is in the room named after its id: the table leaves it out (the details
    // beside it list every room).
    const auto joinedRooms = [&c](const QString &separator) {
        QStringList rooms = c.rooms;
        rooms.removeAll(c.id);
        return rooms.join(separator);
    };
    if (role == Qt::TextAlignmentRole) {
        return index.column() >= MessagesInColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                                  : QVariant();
    }
    if (role == Qt::ToolTipRole) {
        if (index.column() == UserAgentColumn)
            return c.userAgent;
        if (index.column() == RoomsColumn)
            return joinedRooms(QStringLiteral("\n"));
        return {};
    }
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    const bool sort = role == SortRole;
    switch (Column(index.column())) {
    case IdColumn:
        return c.id;
    case NameColumn:
        return c.name;
    case RoleColumn:
        return c.role;
    case AddressColumn:
        return c.remoteAddress;
    case TransportColumn:
        return c.transport;
    case UserAgentColumn:
        return c.userAgent;
    case ConnectedColumn:
        if (sort)
            return c.connectedAt;
        return QLocale().toString(c.connectedAt.toLocalTime().time(), QLocale::ShortFormat);
    case RoomsColumn:
        return sort ? QVariant(c.rooms.size() - (c.rooms.contains(c.id) ? 1 : 0))
                    : QVariant(joinedRooms(QStringLiteral(", ")));
    case MessagesInColumn:
        return sort ? QVariant(c.messagesIn) : QVariant(QLocale().toString(c.messagesIn));
    case MessagesOutColumn:
        return sort ? QVariant(c.messagesOut) : QVariant(QLocale().toString(c.messagesOut));
    case BytesInColumn:
        return sort ? QVariant(c.bytesIn) : QVariant(UiText::dataSize(c.bytesIn));
    case BytesOutColumn:
        return sort ? QVariant(c.bytesOut) : QVariant(UiText::dataSize(c.bytesOut));
    case ColumnCount:
        break;
    }
    return {};
}

QVariant ConnectionModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case IdColumn:
        return tr("Socket ID");
    case NameColumn:
        return tr("Name");
    case RoleColumn:
        return tr("Role");
    case AddressColumn:
        return tr("Address");
    case TransportColumn:
        return tr("Transport");
    case UserAgentColumn:
        return tr("User agent");
    case ConnectedColumn:
        return tr("Connected since");
    case RoomsColumn:
        return tr("Rooms");
    case MessagesInColumn:
        return tr("Msgs in");
    case MessagesOutColumn:
        return tr("Msgs out");
    case BytesInColumn:
        return tr("Bytes in");
    case BytesOutColumn:
        return tr("Bytes out");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace mmv::ui
