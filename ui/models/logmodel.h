#pragma once

#include "server/core/servertypes.h"

#include <QAbstractTableModel>
#include <QList>

namespace mmv::ui {

/// The dashboard's log: one row per LogEntry (time, level, category, message).
///
/// Rows arrive in batches through appendEntries(), one insertion per batch. The model keeps
/// at most capacity() rows; past that it drops the oldest tenth in one removal, so a busy
/// log does not pay for a removal on every batch.
class LogModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { TimeColumn, LevelColumn, CategoryColumn, MessageColumn, ColumnCount };
    enum Role {
        TypeRole = Qt::UserRole + 1, ///< the entry's QtMsgType as an int
        SequenceRole, ///< LogHub sequence number
    };

    static constexpr int DefaultCapacity = 5000;

    explicit LogModel(QObject *parent = nullptr)
        : LogModel(DefaultCapacity, parent)
    { }
    explicit LogModel(int capacity, QObject *parent = nullptr);

    int capacity() const { return m_capacity; }
    const LogEntry &entry(int row) const { return m_entries.at(row); }

    void appendEntries(const QList<LogEntry> &entries);
    void clear();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<LogEntry> m_entries;
    int m_capacity;
};

} // namespace mmv::ui
