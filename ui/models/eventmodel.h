#pragma once

#include "server/core/realtimetypes.h"

#include <QAbstractTableModel>
#include <QHash>

#include <deque>

namespace mmv::ui {

/// The event stream: packet records in and out, in a capped ring buffer.
///
/// Batches from ServerController::eventsRecorded go in with appendRecords(): one insertion
/// per batch; past capacity() the oldest tenth leaves in one removal. While paused, batches
/// wait in a pending buffer (capped as well) and are inserted on resume, so nothing that
/// arrives meanwhile is lost unless it would have fallen out of the ring anyway.
///
/// Acks are paired with their request as they arrive: an "ack" from socket S with id N
/// answers the event with ack id N on the same socket in the opposite direction. Both rows
/// then know each other (PairedSequenceRole) and the round-trip time.
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
        PairedSequenceRole, ///< sequence of the ack of a request or the request of an ack; -1
        RoundTripRole, ///< milliseconds between a request and its ack; -1 when not paired
    };

    static constexpr int DefaultCapacity = 50'000;

    explicit EventModel(QObject *parent = nullptr)
        : EventModel(DefaultCapacity, parent)
    { }
    explicit EventModel(int capacity, QObject *parent = nullptr);

    int capacity() const { return m_capacity; }
    const EventRecord &record(int row) const { return m_records.at(size_t(row)).record; }
    qint64 sequence(int row) const { return m_records.at(size_t(row)).sequence; }
    /// The row holding record `sequence`, or -1 when it is not (or no longer) shown.
    int rowOfSequence(qint64 sequence) const;
    /// For a request: the row of its ack; for an ack: the row of its request; else -1.
    int pairedRow(int row) const;
    /// Milliseconds between a request and its ack, for either row of the pair; -1 if unpaired.
    qint64 roundTripMs(int row) const { return m_records.at(size_t(row)).roundTripMs; }
    /// Requests remembered while they wait for their ack; bounded by twice the capacity.
    int awaitingAckCount() const { return int(m_awaitingAck.size()); }
    /// Whether a record is a reply (an ack packet), as opposed to an event asking for one.
    static bool isAck(const EventRecord &record);

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
        qint64 pairedSequence = -1;
        qint64 roundTripMs = -1;
    };
    /// A request waiting for its ack: the socket, the ack id and who asked.
    struct AckKey
    {
        QString socketId;
        qint64 ackId;
        EventRecord::Direction requester;
        friend bool operator==(const AckKey &, const AckKey &) = default;
        friend size_t qHash(const AckKey &key, size_t seed = 0)
        {
            return qHashMulti(seed, key.socketId, key.ackId, int(key.requester));
        }
    };
    void insert(std::deque<Entry> &&entries);
    void pair(Entry &entry, std::deque<Entry> &batch);
    /// The entry `sequence` in the ring, the pending buffer or the batch being added.
    Entry *findEntry(qint64 sequence, std::deque<Entry> &batch);
    void forgetStaleRequests();

    QHash<AckKey, qint64> m_awaitingAck; ///< requests by key -> sequence

    std::deque<Entry> m_records;
    std::deque<Entry> m_pending;
    int m_capacity;
    bool m_paused = false;
    qint64 m_nextSequence = 0;
    qint64 m_totalIn = 0;
    qint64 m_totalOut = 0;
};

} // namespace mmv::ui
