#include "roommodel.h"

#include <QLocale>

namespace mmv::ui {

RoomModel::RoomModel(QObject *parent)
    : KeyedTableModel<RoomInfo>(parent)
{ }

QString RoomModel::kindOf(const QString &room)
{
    const qsizetype colon = room.indexOf(QLatin1Char(':'));
    const QString prefix = colon > 0 ? room.left(colon) : QString();
    if (prefix == u"chat" || prefix == u"processing" || prefix == u"visual")
        return prefix;
    return QStringLiteral("other");
}

int RoomModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RoomModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RoomInfo &room = item(index.row());
    if (role == NameRole)
        return room.name;
    if (role == Qt::TextAlignmentRole && index.column() == MembersColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    switch (Column(index.column())) {
    case NameColumn:
        return room.name;
    case KindColumn: {
        const QString kind = kindOf(room.name);
        if (role == SortRole)
            return kind;
        if (kind == u"chat")
            return tr("Chat");
        if (kind == u"processing")
            return tr("Processing");
        if (kind == u"visual")
            return tr("Visual analysis");
        return tr("Other");
    }
    case NamespaceColumn:
        return room.nsp;
    case MembersColumn:
        return role == SortRole ? QVariant(room.members)
                                : QVariant(QLocale().toString(room.members));
    case ColumnCount:
        break;
    }
    return {};
}

QVariant RoomModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case NameColumn:
        return tr("Room");
    case KindColumn:
        return tr("Kind");
    case NamespaceColumn:
        return tr("Namespace");
    case MembersColumn:
        return tr("Members");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace mmv::ui
