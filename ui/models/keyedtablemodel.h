#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QString>

namespace mmv::ui {

/// A table model over value snapshots that are identified by a string key.
///
/// applySnapshot() turns a fresh snapshot into the smallest set of changes: removals of the
/// rows whose key is gone (one removal per contiguous run), one dataChanged per contiguous run
/// of changed rows, and one insertion at the end for the new keys. Rows never move, so views
/// keep their selection and scroll position while the data refreshes every second; a sort
/// proxy on top orders them.
template<typename T>
class KeyedTableModel : public QAbstractTableModel
{
public:
    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_items.size());
    }

    const T &item(int row) const { return m_items.at(row); }
    const QList<T> &items() const { return m_items; }
    /// The row of `key`, or -1.
    int rowOf(const QString &key) const { return int(m_rows.value(key, -1)); }

    void applySnapshot(const QList<T> &snapshot)
    {
        QHash<QString, qsizetype> incoming;
        incoming.reserve(snapshot.size());
        for (qsizetype i = 0; i < snapshot.size(); ++i)
            incoming.insert(keyOf(snapshot.at(i)), i);

        // Removals, from the end so that earlier row numbers stay valid.
        bool removed = false;
        for (qsizetype row = m_items.size() - 1; row >= 0;) {
            if (incoming.contains(keyOf(m_items.at(row)))) {
                --row;
                continue;
            }
            qsizetype first = row;
            while (first > 0 && !incoming.contains(keyOf(m_items.at(first - 1))))
                --first;
            beginRemoveRows({}, int(first), int(row));
            m_items.remove(first, row - first + 1);
            endRemoveRows();
            removed = true;
            row = first - 1;
        }
        if (removed)
            rebuildIndex();

        // Updates in place, one dataChanged per run of changed rows.
        const int lastColumn = columnCount() - 1;
        qsizetype runStart = -1;
        for (qsizetype row = 0; row <= m_items.size(); ++row) {
            bool changed = false;
            if (row < m_items.size()) {
                const T &fresh = snapshot.at(incoming.value(keyOf(m_items.at(row))));
                if (!sameRow(m_items.at(row), fresh)) {
                    m_items[row] = fresh;
                    changed = true;
                }
            }
            if (changed && runStart < 0)
                runStart = row;
            if (!changed && runStart >= 0) {
                Q_EMIT dataChanged(index(int(runStart), 0), index(int(row - 1), lastColumn));
                runStart = -1;
            }
        }

        // New keys, in snapshot order, in one insertion.
        QList<T> added;
        for (const T &value : snapshot) {
            if (!m_rows.contains(keyOf(value)))
                added.append(value);
        }
        if (!added.isEmpty()) {
            const int first = int(m_items.size());
            beginInsertRows({}, first, int(first + added.size() - 1));
            for (const T &value : std::as_const(added)) {
                m_rows.insert(keyOf(value), m_items.size());
                m_items.append(value);
            }
            endInsertRows();
        }
    }

    void clear()
    {
        if (m_items.isEmpty())
            return;
        beginRemoveRows({}, 0, int(m_items.size() - 1));
        m_items.clear();
        m_rows.clear();
        endRemoveRows();
    }

    /// Replaces the row with the same key, or appends `value` as a new row.
    void upsert(const T &value)
    {
        if (updateItem(value))
            return;
        const int row = int(m_items.size());
        beginInsertRows({}, row, row);
        m_rows.insert(keyOf(value), row);
        m_items.append(value);
        endInsertRows();
    }

    /// Removes the row of `key`; false when there is none.
    bool removeKey(const QString &key)
    {
        const int row = rowOf(key);
        if (row < 0)
            return false;
        beginRemoveRows({}, row, row);
        m_items.remove(row);
        rebuildIndex();
        endRemoveRows();
        return true;
    }

protected:
    virtual QString keyOf(const T &value) const = 0;
    virtual bool sameRow(const T &a, const T &b) const = 0;

    /// Replaces one row (found by key) and reports it changed; false when the key is unknown.
    bool updateItem(const T &value)
    {
        const int row = rowOf(keyOf(value));
        if (row < 0)
            return false;
        m_items[row] = value;
        Q_EMIT dataChanged(index(row, 0), index(row, columnCount() - 1));
        return true;
    }

    QList<T> m_items;

private:
    void rebuildIndex()
    {
        m_rows.clear();
        m_rows.reserve(m_items.size());
        for (qsizetype i = 0; i < m_items.size(); ++i)
            m_rows.insert(keyOf(m_items.at(i)), i);
    }

    QHash<QString, qsizetype> m_rows;
};

} // namespace mmv::ui
