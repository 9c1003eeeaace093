#pragma once

#include "server/core/realtimetypes.h"

#include <QAbstractTableModel>

#include <deque>

namespace mmv::ui {

/// The event stream: packet records in and out, in a capped ring buffer.
///
/// Batches from ServerController::eventsRecorded go in with appendRecords(): one insertion
/// per batch; past capacity() the oldest tenth leaves in one removal. While paused, batches
/// wait in a pending buffer (capped as well) and are inserted on resume, so nothing that
/// arrives meanwhile is lost unless it would have fallen out of the ring anyway.
class EventModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        TimeColumn,
        DirectionColumn,
        TypeColumn,
        EventColumn,
        SocketColumn,
        RoomsColumn,
        SizeColumn,
        PreviewColumn,
        ColumnCount
    };
    enum Role {
        DirectionRole = Qt::UserRole + 1, ///< EventRecord::Direction as an int
        SequenceRole, ///< increasing number of the record since the model was created
        SearchTextRole, ///< everything a text filter looks at
    };

    static constexpr int DefaultCapacity = 50'000;

    explicit EventModel(QObject *parent = nullptr)
        : EventModel(DefaultCapacity, parent)
    { }
    explicit EventModel(int capacity, QObject *parent = nullptr);

    int capacity() const { return m_capacity; }
    const EventRecord &record(int row) const { return m_records.at(size_t(row)).record; }
    qint64 sequence(int row) const { return m_records.at(size_t(row)).sequence; }

    void appendRecords(const QList<EventRecord> &records);
    void clear();

    bool isPaused() const { return m_paused; }
    void setPaused(bool paused);
    /// Records received while paused, not shown yet.
    int pendingCount() const { return int(m_pending.size()); }

    qint64 totalIn() const { return m_totalIn; }
    qint64 totalOut() const { return m_totalOut; }

    /// One JSON object per record (for copy and the JSON Lines export).
    static QJsonObject toJson(const EventRecord &record);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void pendingCountChanged(int count);

private:
    struct Entry
    {
        qint64 sequence;
        EventRecord record;
    };
    void insert(std::deque<Entry> &&entries);

    std::deque<Entry> m_records;
    std::deque<Entry> m_pending;
    int m_capacity;
    bool m_paused = false;
    qint64 m_nextSequence = 0;
    qint64 m_totalIn = 0;
    qint64 m_totalOut = 0;
};

} // namespace mmv::ui
