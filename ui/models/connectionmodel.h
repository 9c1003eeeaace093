#pragma once

#include "keyedtablemodel.h"

#include "server/core/realtimetypes.h"

namespace mmv::ui {

/// The live connections table: one row per Socket.IO connection (ConnectionInfo), refreshed
/// from a snapshot every second with in-place updates (see KeyedTableModel).
class ConnectionModel : public KeyedTableModel<ConnectionInfo>
{
    Q_OBJECT

public:
    enum Column {
        IdColumn,
        NameColumn,
        RoleColumn,
        AddressColumn,
        TransportColumn,
        UserAgentColumn,
        ConnectedColumn,
        RoomsColumn,
        MessagesInColumn,
        MessagesOutColumn,
        BytesInColumn,
        BytesOutColumn,
        ColumnCount
    };
    /// The raw value for sorting (numbers and times sort as such).
    static constexpr int SortRole = Qt::UserRole + 1;
    /// The socket id of the row, whatever the column.
    static constexpr int IdRole = Qt::UserRole + 2;

    explicit ConnectionModel(QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

protected:
    QString keyOf(const ConnectionInfo &value) const override { return value.id; }
    bool sameRow(const ConnectionInfo &a, const ConnectionInfo &b) const override;
};

} // namespace mmv::ui
