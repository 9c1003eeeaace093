#pragma once

#include "keyedtablemodel.h"

#include "server/core/realtimetypes.h"

namespace mmv::ui {

/// The rooms table: name, namespace, kind (chat, processing, visual or other) and member
/// count, refreshed from the same snapshot as the connections.
class RoomModel : public KeyedTableModel<RoomInfo>
{
    Q_OBJECT

public:
    enum Column { NameColumn, KindColumn, NamespaceColumn, MembersColumn, ColumnCount };
    static constexpr int SortRole = Qt::UserRole + 1;
    static constexpr int NameRole = Qt::UserRole + 2;

    explicit RoomModel(QObject *parent = nullptr);

    /// "chat", "processing", "visual" or "other": the prefix before the colon.
    static QString kindOf(const QString &room);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

protected:
    QString keyOf(const RoomInfo &value) const override
    {
        return value.nsp + QLatin1Char('\n') + value.name;
    }
    bool sameRow(const RoomInfo &a, const RoomInfo &b) const override
    {
        return a.members == b.members;
    }
};

} // namespace mmv::ui
